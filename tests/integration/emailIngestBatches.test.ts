// Fetch batches parsed side by side on worker threads are still stored one after the other, in the
// order they were fetched, on a real SQLite file: a reply threads into the case its original opened,
// and a batch behind one that failed is not stored out of order.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestFetchedBatch, type FetchedMail, type IngestDeps, type IngestResult } from '../../src/main/email/ingest';
import { ParsePool } from '../../src/main/email/parsePool';
import { openDatabase, type Db } from '../../src/main/store/database';
import { MailStore } from '../../src/main/store/mailStore';
import { Repository } from '../../src/main/store/repository';
import { tempDir } from '../helpers/tempDir';

const T0 = Date.UTC(2026, 2, 2, 9, 0);
const REAL_WORKER = fileURLToPath(new URL('../../src/main/email/parseWorker.ts', import.meta.url));

let tmp: ReturnType<typeof tempDir>;
let db: Db;
let store: MailStore;
let accountId: number;
let pool: ParsePool | null = null;

beforeEach(() => {
  tmp = tempDir('omni-ingest-batches-');
  db = openDatabase(path.join(tmp.dir, 'omni-desk.sqlite'));
  store = new MailStore(db, new Repository(db));
  accountId = store.upsertAccount({ name: 'Support', address: 'support@omni.test', imap: { host: '127.0.0.1', port: 993, tls: 'tls' }, smtp: null, username: 'support', auth: 'password', secretRef: null }, T0);
});

afterEach(async () => {
  await pool?.close();
  pool = null;
  db.close();
  tmp.remove();
});

function fetched(uid: number, lines: string[]): FetchedMail {
  const source = Buffer.from([...lines, ''].join('\r\n'));
  return { accountId, folder: 'INBOX', uidValidity: 7, uid, flags: [], modseq: null, internalDate: T0 + uid * 60_000, size: source.length, source, truncated: false };
}

const original = (extra: string[] = []) =>
  fetched(1, ['From: Dana <dana@customer.example>', 'To: support@omni.test', 'Subject: Order 1 has not arrived', 'Message-ID: <order-1@customer.example>', 'Date: Mon, 2 Mar 2026 09:01:00 +0000', ...extra, '', 'Where is my order?']);
const reply = () =>
  fetched(2, ['From: Dana <dana@customer.example>', 'To: support@omni.test', 'Subject: Re: Order 1 has not arrived', 'Message-ID: <order-1-again@customer.example>', 'In-Reply-To: <order-1@customer.example>', 'Date: Mon, 2 Mar 2026 09:02:00 +0000', '', 'Any news?']);

/** The real parse worker behind a listener that first blocks for N ms on a mail marked `X-Test-Slow: N`. */
function slowWorker(): string {
  const file = path.join(tmp.dir, 'slowParseWorker.mts');
  fs.writeFileSync(
    file,
    `import { parentPort } from 'node:worker_threads';
parentPort!.on('message', (request: { jobs: Array<{ source: Uint8Array }> }) => {
  for (const job of request.jobs) {
    const slow = /X-Test-Slow: (\\d+)/.exec(Buffer.from(job.source).toString('latin1'));
    if (slow) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(slow[1]));
  }
});
await import(${JSON.stringify(pathToFileURL(REAL_WORKER).href)});
`,
  );
  return file;
}

const deps = (): IngestDeps => ({ store, now: () => T0 + 3_600_000, ownAddresses: ['support@omni.test'], parsePool: pool! });
const stored = (r: IngestResult) => {
  if (r.outcome !== 'stored') throw new Error(`expected a stored mail, got ${r.outcome}`);
  return r;
};

describe('fetch batches in ingest', () => {
  it('stores a reply into the case its original opened, though the reply’s batch was read first', { timeout: 60_000 }, async () => {
    pool = new ParsePool({ size: 2, workerScript: slowWorker() });
    await pool.warm();
    expect(pool.workers).toBe(2);
    const finished: string[] = [];
    const first = ingestFetchedBatch(deps(), [original(['X-Test-Slow: 1500'])]).then((r) => (finished.push('original'), r));
    const second = ingestFetchedBatch(deps(), [reply()]).then((r) => (finished.push('reply'), r));
    const [[opened], [answered]] = await Promise.all([first, second]);

    expect(finished).toEqual(['original', 'reply']);
    expect(stored(opened!).caseAction).toBe('new');
    expect(stored(answered!).caseAction).toBe('join');
    expect(stored(answered!).caseId).toBe(stored(opened!).caseId);
    expect(db.prepare('SELECT uid FROM mail_messages ORDER BY id').pluck().all()).toEqual([1, 2]);
  });

  it('does not store a batch behind one that failed, and stores both in order on the next try', { timeout: 60_000 }, async () => {
    pool = new ParsePool({ size: 1, workerScript: REAL_WORKER });
    // A real failure inside the first batch's transaction.
    db.exec(`CREATE TRIGGER refuse_uid_1 BEFORE INSERT ON mail_messages WHEN NEW.uid = 1 BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    const first = ingestFetchedBatch(deps(), [original()]);
    const second = ingestFetchedBatch(deps(), [reply()]);
    await expect(first).rejects.toThrow(/disk says no/);
    await expect(second).rejects.toMatchObject({ code: 'mail/store', message: expect.stringMatching(/^An earlier batch could not be stored: .*disk says no/) });
    expect(db.prepare('SELECT count(*) FROM mail_messages').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(0);

    db.exec('DROP TRIGGER refuse_uid_1');
    const [opened] = await ingestFetchedBatch(deps(), [original()]);
    const [answered] = await ingestFetchedBatch(deps(), [reply()]);
    expect(stored(answered!).caseId).toBe(stored(opened!).caseId);
  });

  it('starts afresh after a failed batch: a batch given after the failure settled is stored', async () => {
    pool = new ParsePool({ size: 0 });
    db.exec(`CREATE TRIGGER refuse_uid_1 BEFORE INSERT ON mail_messages WHEN NEW.uid = 1 BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    await expect(ingestFetchedBatch(deps(), [original()])).rejects.toThrow(/disk says no/);
    const [later] = await ingestFetchedBatch(deps(), [reply()]);
    expect(later!.outcome).toBe('stored');
  });
});
