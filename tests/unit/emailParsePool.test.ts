// Reading mail on worker threads: every message reads the same as on the main thread, and a worker
// that crashes or hangs on a message costs no other message (that one is quarantined with the reason).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEmail, type ParseEmailOptions, type ParseEmailResult } from '../../src/main/email/mime';
import { ParsePool } from '../../src/main/email/parsePool';
import { buildMailCorpus } from '../helpers/mailCorpus';
import { tempDir } from '../helpers/tempDir';

const RECEIVED = Date.UTC(2026, 0, 12, 9, 0);
const REAL_WORKER = fileURLToPath(new URL('../../src/main/email/parseWorker.ts', import.meta.url));

function customerMail(n: number, extraHeader?: string): Buffer {
  return Buffer.from(
    [
      `From: Customer ${n} <customer${n}@customer.example>`,
      'To: Support <support@omni.test>',
      `Subject: Order ORD-${1000 + n} has not arrived`,
      `Message-ID: <order-${n}@customer.example>`,
      'Date: Mon, 12 Jan 2026 08:00:00 +0000',
      ...(extraHeader ? [extraHeader] : []),
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Hello, order ${n} has not arrived yet.`,
      '',
    ].join('\r\n'),
  );
}

/**
 * The real worker behind a listener that runs first: a mail marked `X-Test-Fault: crash` ends the
 * worker thread, `hang` blocks it for good, `slow N` blocks it for N ms before the real parse.
 */
function faultyWorker(dir: string): string {
  const file = path.join(dir, 'faultyParseWorker.mts');
  fs.writeFileSync(
    file,
    `import { parentPort } from 'node:worker_threads';
parentPort!.on('message', (request: { jobs: Array<{ source: Uint8Array }> }) => {
  for (const job of request.jobs) {
    const text = Buffer.from(job.source).toString('latin1');
    if (text.includes('X-Test-Fault: crash')) process.exit(7);
    if (text.includes('X-Test-Fault: hang')) for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    const slow = /X-Test-Fault: slow (\\d+)/.exec(text);
    if (slow) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(slow[1]));
  }
});
await import(${JSON.stringify(pathToFileURL(REAL_WORKER).href)});
`,
  );
  return file;
}

const inline = (sources: Buffer[], options: ParseEmailOptions) => Promise.all(sources.map((source) => parseEmail(source, options)));

const pools: ParsePool[] = [];
const dirs: Array<{ remove(): void }> = [];
function pool(options: ConstructorParameters<typeof ParsePool>[0]): ParsePool {
  const p = new ParsePool(options);
  pools.push(p);
  return p;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
  for (const d of dirs.splice(0)) d.remove();
});

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('the parse pool', () => {
  it('reads every message of the odd-mail corpus on a worker exactly as the main thread does', { timeout: 60_000 }, async () => {
    const corpus = buildMailCorpus({ mutations: 40 }).filter((m) => m.raw.length < 8 * 1024 * 1024);
    const options = { receivedAt: RECEIVED };
    const p = pool({ size: 1, workerScript: REAL_WORKER });
    await p.warm();
    expect(p.usesWorkers).toBe(true);
    const onWorker = await p.parse(corpus.map((m) => ({ source: m.raw, options })));
    const here = await inline(
      corpus.map((m) => m.raw),
      options,
    );
    expect(onWorker.length).toBe(corpus.length);
    for (let i = 0; i < corpus.length; i++) expect(onWorker[i], corpus[i]!.id).toEqual(here[i]);
    // Attachment contents come back as Buffers, as parseEmail returns them.
    const withAttachment = onWorker.find((r): r is Extract<ParseEmailResult, { kind: 'parsed' }> => r.kind === 'parsed' && r.attachments.length > 0);
    expect(withAttachment && Buffer.isBuffer(withAttachment.attachments[0]!.content)).toBe(true);
  });

  it('quarantines the one message a worker crashes on, with the reason, and reads all the others', { timeout: 60_000 }, async () => {
    const dir = tempDir('omni-parse-pool-');
    dirs.push(dir);
    const lines: string[] = [];
    const p = pool({ size: 1, workerScript: faultyWorker(dir.dir), log: (line) => lines.push(line) });
    await p.warm();
    const sources = Array.from({ length: 30 }, (_, i) => customerMail(i + 1, i === 12 ? 'X-Test-Fault: crash' : undefined));
    const results = await p.parse(sources.map((source) => ({ source, options: { receivedAt: RECEIVED } })));
    const expected = await inline(sources, { receivedAt: RECEIVED });

    const crashed = results[12]!;
    expect(crashed.kind).toBe('quarantined');
    if (crashed.kind !== 'quarantined') return;
    expect(crashed.code).toBe('parser-crashed');
    expect(crashed.reason).toMatch(/^Reading the message stopped the parser \(.+\); it was not imported\.$/);
    expect(crashed.said).toMatchObject({ key: 'quarantineParserStopped', params: { error: expect.any(String) } });
    // The same identity the store dedupes by, and what the quarantine list shows.
    expect(crashed.headerHash).toBe(expected[12]!.headerHash);
    expect(crashed.messageId).toBe('<order-13@customer.example>');
    expect(crashed.subject).toBe('Order ORD-1013 has not arrived');
    for (let i = 0; i < sources.length; i++) if (i !== 12) expect(results[i]).toEqual(expected[i]);
    expect(lines.some((l) => l.includes('stopped the parser'))).toBe(true);
    // A new worker took over: the pool still reads mail.
    const after = await p.parse([{ source: customerMail(99), options: { receivedAt: RECEIVED } }]);
    expect(after[0]!.kind).toBe('parsed');
    expect(p.usesWorkers).toBe(true);
  });

  it('replaces a worker stuck in a message and quarantines that message as too slow', { timeout: 90_000 }, async () => {
    const dir = tempDir('omni-parse-pool-');
    dirs.push(dir);
    const p = pool({ size: 1, workerScript: faultyWorker(dir.dir), hangMarginMs: 1_500 });
    await p.warm();
    const options = { receivedAt: RECEIVED, parseTimeoutMs: 3_000 };
    const sources = [customerMail(1), customerMail(2, 'X-Test-Fault: hang'), customerMail(3)];
    const results = await p.parse(sources.map((source) => ({ source, options })));
    expect(results.map((r) => r.kind)).toEqual(['parsed', 'quarantined', 'parsed']);
    const stuck = results[1]!;
    expect(stuck.kind === 'quarantined' && stuck.code).toBe('timeout');
    expect(stuck.kind === 'quarantined' && stuck.reason).toMatch(/^Reading the message took longer than 3 s and the parser did not stop; it was not imported\.$/);
    expect(stuck.kind === 'quarantined' && stuck.said).toMatchObject({ key: 'quarantineParserHung', params: { seconds: 3 } });
  });

  it('parses on the main thread when no worker can start', async () => {
    const dir = tempDir('omni-parse-pool-');
    dirs.push(dir);
    const broken = path.join(dir.dir, 'broken.mjs');
    fs.writeFileSync(broken, "throw new Error('this worker cannot start');\n");
    const lines: string[] = [];
    const p = pool({ size: 1, workerScript: broken, log: (line) => lines.push(line) });
    const sources = [customerMail(1), customerMail(2)];
    const results = await p.parse(sources.map((source) => ({ source, options: { receivedAt: RECEIVED } })));
    expect(results).toEqual(await inline(sources, { receivedAt: RECEIVED }));
    await waitFor(() => !p.usesWorkers);
    expect(lines.join('\n')).toMatch(/no worker thread could start \(this worker cannot start\); parsing on the main thread/);

    const none = pool({ size: 0 });
    expect(none.usesWorkers).toBe(false);
    expect((await none.parse([{ source: sources[0]!, options: { receivedAt: RECEIVED } }]))[0]).toEqual(results[0]);
  });

  it('ends idle workers and starts them again when mail arrives', { timeout: 60_000 }, async () => {
    const p = pool({ size: 1, workerScript: REAL_WORKER, idleMs: 100 });
    const first = await p.parse([{ source: customerMail(1), options: { receivedAt: RECEIVED } }]);
    expect(first[0]!.kind).toBe('parsed');
    await waitFor(() => p.usesWorkers && p.workers === 1);
    await waitFor(() => p.workers === 0);
    const again = await p.parse([{ source: customerMail(2), options: { receivedAt: RECEIVED } }]);
    expect(again[0]!.kind).toBe('parsed');
    expect(p.usesWorkers).toBe(true);
  });

  it('keeps results in the order given when a later message is read first', { timeout: 60_000 }, async () => {
    const dir = tempDir('omni-parse-pool-');
    dirs.push(dir);
    const p = pool({ size: 2, workerScript: faultyWorker(dir.dir) });
    await p.warm();
    expect(p.workers).toBe(2);
    const slow = p.parse([{ source: customerMail(1, 'X-Test-Fault: slow 1500'), options: { receivedAt: RECEIVED } }]);
    const fast = await p.parse([{ source: customerMail(2), options: { receivedAt: RECEIVED } }]);
    // The second worker answered while the first was still busy.
    expect(fast[0]!.kind === 'parsed' && fast[0]!.messageId).toBe('<order-2@customer.example>');
    expect((await slow)[0]!.kind === 'parsed' && (await slow)[0]!.messageId).toBe('<order-1@customer.example>');
    // More than one chunk: the first (with the slow mail) and the rest go to different workers.
    const many = await p.parse(Array.from({ length: 40 }, (_, i) => ({ source: customerMail(100 + i, i === 0 ? 'X-Test-Fault: slow 1000' : undefined), options: { receivedAt: RECEIVED } })));
    expect(many.map((r) => r.kind === 'parsed' && r.messageId)).toEqual(Array.from({ length: 40 }, (_, i) => `<order-${100 + i}@customer.example>`));
  });
});
