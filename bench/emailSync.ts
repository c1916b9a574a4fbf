// The initial IMAP sync of 10,000 messages from a real Dovecot into the store, beside the limit
// it is measured against: a bare imapflow fetch + mailparser loop over the same messages, in the
// same run, in turns (medians of 3). Needs Dovecot installed (Debian: dovecot-imapd dovecot-lmtpd); skipped otherwise.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import { ImapSupervisor } from '../src/main/email/imapSupervisor';
import { ParsePool } from '../src/main/email/parsePool';
import { openDatabase } from '../src/main/store/database';
import { MailStore } from '../src/main/store/mailStore';
import { Repository } from '../src/main/store/repository';
import { startDovecot } from '../tests/helpers/dovecot';
import { tempDir } from '../tests/helpers/tempDir';
import { mulberry32, type BenchRow } from './common';

const USER = { user: 'support', password: 'support-bench' };

function dovecotInstalled(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v dovecot && command -v doveadm'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A realistic mix: plain text, HTML alternatives, the odd attachment, many senders, threads. */
function message(n: number, rand: () => number): string {
  const sender = `customer${Math.floor(rand() * 2000)}@customer.example`;
  const subject = `Order ORD-${100000 + n} ${['has not arrived', 'was charged twice', 'arrived damaged', 'needs a new address'][n % 4]}`;
  const text = `Hello,\r\n\r\n${'My order has not arrived and the tracking page shows no update since Monday. '.repeat(1 + Math.floor(rand() * 6))}\r\n\r\nThanks,\r\nA customer\r\n`;
  const head = [`From: Customer ${n} <${sender}>`, 'To: Support <support@omni.test>', `Subject: ${subject}`, `Message-ID: <bench-${n}@customer.example>`, `Date: ${new Date(Date.now() - (10_000 - n) * 60_000).toUTCString()}`, 'MIME-Version: 1.0'];
  if (n % 3 !== 0) return [...head, 'Content-Type: text/plain; charset=utf-8', '', text].join('\r\n');
  const boundary = `b${n}`;
  const parts = [
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    text,
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    '',
    `<html><body><p>${text.replace(/\r\n/g, '<br>')}</p><img src="https://tracker.example/p.gif"></body></html>`,
  ];
  if (n % 21 === 0) parts.push(`--${boundary}`, 'Content-Type: application/pdf; name="invoice.pdf"', 'Content-Transfer-Encoding: base64', '', Buffer.alloc(30_000, n % 251).toString('base64').replace(/.{76}/g, '$&\r\n'));
  parts.push(`--${boundary}--`, '');
  return [...head, `Content-Type: multipart/alternative; boundary="${boundary}"`, '', ...parts].join('\r\n');
}

function rssSampler(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

const mib = (bytes: number) => `${Math.round(bytes / 1048576)} MiB`;

/**
 * The parse workers the sync runs with: the built worker (dist/main/parseWorker.mjs, what the app
 * runs; `npm run bench` builds it first) when it is newer than its sources, else the TypeScript one.
 */
function parsePool(): { pool: ParsePool; label: string } {
  const built = path.resolve('dist/main/parseWorker.mjs');
  const sources = ['src/main/email/parseWorker.ts', 'src/main/email/mime.ts'].map((f) => path.resolve(f));
  const fresh = fs.existsSync(built) && sources.every((f) => fs.existsSync(f) && fs.statSync(f).mtimeMs <= fs.statSync(built).mtimeMs);
  const pool = fresh ? new ParsePool({ workerScript: built }) : new ParsePool();
  const threads = Math.max(1, os.availableParallelism() - 1);
  return { pool, label: `${threads} parse worker${threads === 1 ? '' : 's'}, ${fresh ? 'built' : 'from TypeScript sources (run npm run build first for the built one)'}` };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function bench(options: { messages?: number; rounds?: number } = {}): Promise<BenchRow[]> {
  const total = options.messages ?? 10_000;
  // Other work on the machine moves single runs a lot: both loops run in turn, and the medians count.
  const rounds = Math.max(1, options.rounds ?? 3);
  if (!dovecotInstalled()) return [{ figure: 'email sync', value: 'skipped: Dovecot is not installed (apt-get install dovecot-imapd dovecot-lmtpd)' }];
  const dovecot = await startDovecot({ users: [USER] });
  const tmp = tempDir('omni-bench-mail-');
  try {
    // Fill the mailbox over one IMAP connection.
    const rand = mulberry32(11);
    const filler = new ImapFlow({ host: '127.0.0.1', port: dovecot.imapPort, secure: false, auth: { user: USER.user, pass: USER.password }, logger: false });
    await filler.connect();
    const filled = performance.now();
    for (let n = 1; n <= total; n++) await filler.append('INBOX', message(n, rand));
    const fillSeconds = (performance.now() - filled) / 1000;
    await filler.logout();

    const bareRates: number[] = [];
    const ourRates: number[] = [];
    let barePeak = 0;
    let oursPeak = 0;
    let stored = 0;
    // One pool for every run, as in the app: the first run starts its workers, like the first bare run
    // loads and compiles the parser.
    const { pool, label: workers } = parsePool();
    for (let round = 0; round < rounds; round++) {
      // The limit: fetch every message and parse it, nothing else.
      const bareRss = rssSampler();
      const bare = new ImapFlow({ host: '127.0.0.1', port: dovecot.imapPort, secure: false, auth: { user: USER.user, pass: USER.password }, logger: false });
      await bare.connect();
      await bare.mailboxOpen('INBOX');
      const t0 = performance.now();
      let parsed = 0;
      for await (const msg of bare.fetch('1:*', { uid: true, source: true })) {
        if (msg.source) await simpleParser(msg.source);
        parsed++;
      }
      bareRates.push(parsed / ((performance.now() - t0) / 1000));
      await bare.logout();
      barePeak = Math.max(barePeak, bareRss.stop());

      // Ours: the supervisor's initial sync into a new store (parsing on worker threads; identity,
      // threading and storage of each batch in one transaction, in UID order).
      const db = openDatabase(path.join(tmp.dir, `omni-desk-${round}.sqlite`));
      const repo = new Repository(db);
      const store = new MailStore(db, repo);
      const accountId = store.upsertAccount(
        { name: 'Support', address: 'support@omni.test', imap: { host: '127.0.0.1', port: dovecot.imapPort, tls: 'none' }, smtp: null, username: USER.user, auth: 'password', secretRef: 'bench' },
        Date.now(),
      );
      stored = 0;
      const ourRss = rssSampler();
      const t1 = performance.now();
      const done = new Promise<void>((resolve) => {
        const supervisor = new ImapSupervisor({
          store,
          accountId,
          credentials: async () => ({ pass: USER.password }),
          ingest: { now: Date.now, parsePool: pool },
          onIngested: (result) => {
            if (result.outcome === 'stored' || result.outcome === 'linked') stored++;
          },
          onStatus: (account) => {
            if (account.status === 'idle') {
              void supervisor.stop().then(resolve);
            }
          },
        });
        supervisor.start();
      });
      await done;
      ourRates.push(stored / ((performance.now() - t1) / 1000));
      oursPeak = Math.max(oursPeak, ourRss.stop());
      db.close();
    }
    await pool.close();

    const bareRate = median(bareRates);
    const ourRate = median(ourRates);
    const each = (rates: number[]) => (rates.length > 1 ? `; runs ${rates.map((r) => Math.round(r).toLocaleString('en-US')).join(', ')}` : '');
    return [
      { figure: 'email: mailbox', value: `${total.toLocaleString('en-US')} messages appended in ${fillSeconds.toFixed(1)} s (not timed below)` },
      { figure: `email: bare imapflow fetch + mailparser (the limit), median of ${rounds}`, value: `${Math.round(bareRate).toLocaleString('en-US')} msg/s (${(total / bareRate).toFixed(1)} s${each(bareRates)}), peak RSS ${mib(barePeak)}` },
      {
        figure: `email: initial sync into the store, median of ${rounds}`,
        value: `${Math.round(ourRate).toLocaleString('en-US')} msg/s (${(total / ourRate).toFixed(1)} s, ${stored.toLocaleString('en-US')} stored${each(ourRates)}), peak RSS ${mib(oursPeak)}`,
      },
      { figure: 'email: sync parsing', value: workers },
      { figure: 'email: sync rate vs the bare loop', value: `${Math.round((ourRate / bareRate) * 100)} %`, target: '≥ 70 %' },
    ];
  } finally {
    await dovecot.stop();
    tmp.remove();
  }
}
