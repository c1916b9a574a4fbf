// The whole malformed-mail corpus (tests/helpers/mailCorpus.ts) through a real Dovecot and the
// supervisor's initial sync: the sync reaches 'idle' without an error or a stall, and every message
// Dovecot accepted is accounted for: a timeline event, or a quarantined row with a readable reason
// (or, the store's rule against storing a mail twice, the row of an earlier mail with the same
// header block). Messages Dovecot itself refuses at delivery are counted and listed, not failures.
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ImapSupervisor } from '../../src/main/email/imapSupervisor';
import type { IngestResult } from '../../src/main/email/ingest';
import { openDatabase } from '../../src/main/store/database';
import { MailStore, type MailAccount } from '../../src/main/store/mailStore';
import { Repository } from '../../src/main/store/repository';
import { startDovecot, type Dovecot } from '../helpers/dovecot';
import { buildMailCorpus, type CorpusMessage } from '../helpers/mailCorpus';
import { tempDir } from '../helpers/tempDir';
import { readStoredText } from '../../src/shared/storedSentence';

const USER = { user: 'corpus', password: 'corpus-secret' };

let dovecot: Dovecot;
beforeAll(async () => {
  dovecot = await startDovecot({ users: [USER] });
});
afterAll(async () => {
  await dovecot?.stop();
});

interface MailRow {
  id: number;
  uid: number;
  header_hash: string;
  event_id: number | null;
  quarantined_reason: string | null;
}

it('syncs the whole corpus: every accepted message becomes an event or a quarantined row with a reason, once', async () => {
  const corpus = buildMailCorpus();

  // Deliver in order: in a fresh mailbox the n-th accepted message gets UID n.
  const t0 = performance.now();
  const accepted: CorpusMessage[] = [];
  const refused: Array<{ id: string; why: string }> = [];
  for (const m of corpus) {
    try {
      await dovecot.deliver(m.raw, USER.user);
      accepted.push(m);
    } catch (err) {
      refused.push({ id: m.id, why: (err as Error).message.split('\n')[0]!.slice(0, 160) });
    }
  }
  const deliverMs = performance.now() - t0;
  if (refused.length > 0) console.log(`Dovecot refused ${refused.length} of ${corpus.length} at delivery:\n${refused.map((r) => `  ${r.id}: ${r.why}`).join('\n')}`);
  expect(accepted.length).toBeGreaterThan(corpus.length / 2);

  const tmp = tempDir();
  const db = openDatabase(path.join(tmp.dir, 'omni-desk.sqlite'));
  const store = new MailStore(db, new Repository(db));
  const accountId = store.upsertAccount(
    { name: 'Support', address: 'support@desk.example', imap: { host: '127.0.0.1', port: dovecot.imapPort, tls: 'none' }, smtp: null, username: USER.user, auth: 'password', secretRef: 'mail/corpus' },
    Date.now(),
  );
  const results = new Map<number, IngestResult[]>();
  const statuses: MailAccount['status'][] = [];
  let supervisor: ImapSupervisor | undefined;
  try {
    const t1 = performance.now();
    const idle = new Promise<void>((resolve, reject) => {
      const stall = setTimeout(() => reject(new Error(`the sync did not reach 'idle' in 25 s (statuses: ${statuses.join(' → ')})`)), 25_000);
      supervisor = new ImapSupervisor({
        store,
        accountId,
        credentials: async () => ({ pass: USER.password }),
        ingest: { now: Date.now },
        session: { autoIdleDelayMs: 300 },
        onStatus: (account) => {
          statuses.push(account.status);
          if (account.status === 'error') {
            clearTimeout(stall);
            reject(new Error(`the sync failed: ${account.statusDetail ?? '(no detail)'}`));
          } else if (account.status === 'idle') {
            clearTimeout(stall);
            resolve();
          }
        },
        onIngested: (result, mail) => results.set(mail.uid, [...(results.get(mail.uid) ?? []), result]),
      });
      supervisor.start();
    });
    await idle;
    const syncMs = performance.now() - t1;

    expect(statuses).not.toContain('error');
    expect(supervisor!.error ?? null).toBeNull();

    const rows = db.prepare('SELECT id, uid, header_hash, event_id, quarantined_reason FROM mail_messages WHERE account_id = ?').all(accountId) as MailRow[];
    const rowAt = new Map(rows.map((r) => [r.uid, r]));
    const rowById = new Map(rows.map((r) => [r.id, r]));
    const eventExists = db.prepare('SELECT 1 FROM events WHERE id = ?');

    // No duplicates: one row per UID (the unique constraint), one ingest per UID, no event twice per mail.
    expect(new Set(rows.map((r) => r.uid)).size).toBe(rows.length);
    const ingestedTwice = [...results].filter(([, r]) => r.length > 1).map(([uid]) => uid);
    expect(ingestedTwice).toEqual([]);

    const counts = { event: 0, quarantined: 0, sameHeaderBlock: 0 };
    const heldByCategory = new Map<string, number>();
    const problems: string[] = [];
    accepted.forEach((m, i) => {
      const uid = i + 1;
      const result = results.get(uid)?.[0];
      const row = rowAt.get(uid);
      if (!result) return problems.push(`${m.id} (UID ${uid}): never ingested`);
      if (result.outcome === 'duplicate') {
        // Not stored a second time: an earlier mail with the same header block (From, To, Date,
        // Subject, Message-ID) holds it.
        const holder = rowById.get(result.mailMessageId);
        if (!holder || holder.uid === uid) return problems.push(`${m.id} (UID ${uid}): duplicate of nothing`);
        counts.sameHeaderBlock++;
        heldByCategory.set(m.category, (heldByCategory.get(m.category) ?? 0) + 1);
        return;
      }
      if (!row) return problems.push(`${m.id} (UID ${uid}): ${result.outcome} but no mail row`);
      if (row.event_id !== null) {
        if (!eventExists.get(row.event_id)) return problems.push(`${m.id} (UID ${uid}): event ${row.event_id} missing`);
        counts.event++;
      } else if (row.quarantined_reason && row.quarantined_reason.trim().length > 3) {
        counts.quarantined++;
        // Stored with its catalog key (the English sentence next to it), read back as it was written.
        const { message, text } = readStoredText(row.quarantined_reason);
        if (!text?.key.startsWith('quarantine') || !message || message.length < 10) problems.push(`${m.id} (UID ${uid}): a quarantine reason without its key: ${row.quarantined_reason}`);
      } else {
        problems.push(`${m.id} (UID ${uid}): neither an event nor a quarantine reason`);
      }
    });
    expect(problems).toEqual([]);
    expect(results.size).toBe(accepted.length);

    console.log(
      `corpus: ${corpus.length} messages, ${accepted.length} accepted by Dovecot (${refused.length} refused), delivered in ${(deliverMs / 1000).toFixed(1)} s; ` +
        `initial sync to 'idle' in ${(syncMs / 1000).toFixed(2)} s: ${counts.event} events, ${counts.quarantined} quarantined, ${counts.sameHeaderBlock} identical to an earlier mail (same headers and content) (${[...heldByCategory].map(([c, n]) => `${c}: ${n}`).join(', ') || 'none'})`,
    );
  } finally {
    await supervisor?.stop();
    db.close();
    tmp.remove();
  }
}, 60_000);
