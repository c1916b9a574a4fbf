// The start-up step that brings stored content in line with the configured restricted channels:
// plain rows of a newly restricted channel are sealed, sealed rows of a channel no longer restricted
// are opened. Works in batches, each one transaction, and records the finished state only at the
// end, so a crash or a failure mid-way loses nothing and the next start carries on. Afterwards the
// search index is merged, the file VACUUMed with secure_delete and the WAL emptied, so no old page
// keeps the plain text.
import fs from 'node:fs';
import path from 'node:path';
import { CHANNELS, type Channel } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import type { Db } from '../store/database';
import type { SecretStore } from '../secrets';
import { attachSealer, CONTENT_KEY_ID_SETTING, CONTENT_KEY_REF, ContentSealer, decodeContentKey, isSealed, newContentKey } from './contentSealer';
import { say } from '../../shared/serverErrors';

export const MISSING_KEY_MESSAGE =
  "This desktop's data holds encrypted content of restricted channels, but the key for it (restricted/content-key) is missing from the secret store. Nothing was changed or deleted; restore the key (or the secret store) and start again.";

/** The restricted channels whose content the file holds sealed (written when a step finished). */
export const APPLIED_SETTING = 'restricted.applied';
const BATCH = 500;

export interface RestrictionStepOptions {
  log?: (line: string) => void;
  batchSize?: number;
  /** Called after each committed batch (tests inject a failure here). */
  afterBatch?: (done: number) => void;
}

export interface RestrictionStepResult {
  /** Channels whose state changed in this step. */
  changed: Channel[];
  rows: number;
  files: number;
}

interface SettingsAccess {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
}

function settingsOf(db: Db): SettingsAccess {
  return {
    get: (key) => (db.prepare(`SELECT value FROM settings WHERE key = ?`).get(key) as { value: string } | undefined)?.value,
    set: (key, value) => void db.prepare(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(key, value),
    delete: (key) => void db.prepare(`DELETE FROM settings WHERE key = ?`).run(key),
  };
}

const tableExists = (db: Db, name: string) => db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;

/** The restricted channels the file was last brought in line with (JSON in the settings table). */
export function appliedRestrictions(db: Db): Channel[] {
  const raw = settingsOf(db).get(APPLIED_SETTING);
  if (raw === undefined) return [];
  const parsed = JSON.parse(raw) as unknown;
  return Array.isArray(parsed) ? parsed.filter((c): c is Channel => (CHANNELS as readonly string[]).includes(c as string)) : [];
}

/**
 * Checks the key against the file: the file names the key its sealed values need (an id, not the
 * key). Throws a clear error, before anything is written, when that key is missing or another one.
 */
export function checkContentKey(db: Db, sealer: ContentSealer | null, wanted: readonly Channel[]): void {
  const settings = settingsOf(db);
  const stored = settings.get(CONTENT_KEY_ID_SETTING);
  const storedId = stored === undefined ? null : (JSON.parse(stored) as string);
  if (storedId !== null && sealer === null) {
    throw new AppError('restricted/key-missing', MISSING_KEY_MESSAGE);
  }
  if (storedId !== null && sealer !== null && storedId !== sealer.keyId) {
    throw new AppError(
      'restricted/key-missing',
      `The key for restricted channels in the secret store is not the one this desktop's data was encrypted with (it needs key ${storedId}, the store has ${sealer.keyId}). Nothing was changed or deleted; restore the original key and start again.`,
    );
  }
  if (sealer === null && wanted.length > 0) {
    throw new AppError('restricted/key-missing', `${wanted.join(', ')} ${wanted.length === 1 ? 'is' : 'are'} restricted but no key for restricted channels was given; the desktop did not start.`);
  }
}

/**
 * The start of a core: the key checked against the file (before anything is written), the sealer
 * attached to the database for every store, then the stored content brought in line. Returns the sealer.
 */
export function startRestriction(db: Db, channels: readonly Channel[], key: Buffer | null, attachmentDir: string | null, options: RestrictionStepOptions = {}): ContentSealer | null {
  const sealer = key ? new ContentSealer(key, channels) : null;
  checkContentKey(db, sealer, channels);
  attachSealer(db, sealer);
  applyRestrictions(db, sealer, attachmentDir, options);
  return sealer;
}

/**
 * The content key from the secret store; made and stored on the first start with a restricted
 * channel. `failed` turns a start that failed into the error to show, removing a key made here (a
 * file that needs another key then says the key is missing, and the secret store is as it was).
 */
export async function loadContentKey(secrets: SecretStore, needed: boolean): Promise<{ key: Buffer | null; failed(e: unknown): Promise<unknown> }> {
  const stored = await secrets.get(CONTENT_KEY_REF);
  if (stored !== null || !needed) return { key: stored === null ? null : decodeContentKey(stored), failed: async (e) => e };
  const key = newContentKey();
  await secrets.set(CONTENT_KEY_REF, key.toString('base64'));
  return {
    key,
    async failed(e) {
      if (!(e instanceof AppError && e.code === 'restricted/key-missing')) return e;
      await secrets.delete(CONTENT_KEY_REF).catch(() => {});
      return new AppError('restricted/key-missing', MISSING_KEY_MESSAGE);
    },
  };
}

interface Column {
  table: string;
  columns: string[];
  /** The SQL expression of a row's channel. */
  channel: string;
  /** A WITHOUT ROWID table's key (its rows are few: read in one batch). */
  key?: string[];
}

const COLUMNS: Column[] = [
  { table: 'events', columns: ['subject', 'body', 'metadata'], channel: 'channel' },
  { table: 'cases', columns: ['subject'], channel: 'origin_channel' },
  { table: 'hub_offers', columns: ['conversation'], channel: `CASE WHEN json_valid(conversation) THEN json_extract(conversation, '$.channel') END`, key: ['hub', 'offer_id'] },
  { table: 'hub_conversations', columns: ['suggested_reply'], channel: 'channel', key: ['hub', 'conversation_id'] },
  { table: 'outbox', columns: ['payload'], channel: 'channel' },
  { table: 'composer_drafts', columns: ['subject', 'body'], channel: 'channel', key: ['case_id', 'channel'] },
  { table: 'mail_messages', columns: ['html'], channel: `'email'` },
];

/**
 * Seals or opens what the configured restriction asks for. `sealer` null means no key: only allowed
 * when nothing is restricted and nothing sealed is stored (checkContentKey says so first).
 */
export function applyRestrictions(db: Db, sealer: ContentSealer | null, attachmentDir: string | null, options: RestrictionStepOptions = {}): RestrictionStepResult {
  const log = options.log ?? (() => {});
  const batchSize = options.batchSize ?? BATCH;
  const wanted = new Set<Channel>(sealer?.restricted ?? []);
  checkContentKey(db, sealer, [...wanted]);
  const settings = settingsOf(db);
  const applied = new Set(appliedRestrictions(db));
  const changed = CHANNELS.filter((c) => wanted.has(c) !== applied.has(c));
  if (sealer) settings.set(CONTENT_KEY_ID_SETTING, JSON.stringify(sealer.keyId));
  if (changed.length === 0) return { changed, rows: 0, files: 0 };

  const describe = changed.map((c) => `${c} ${wanted.has(c) ? 'restricted: encrypting' : 'no longer restricted: decrypting'}`).join('; ');
  log(`Restricted channels changed (${describe}) — bringing the stored content in line…`);
  const convert = (channel: string, value: string | null): string | null => {
    if (value === null) return null;
    if (!sealer) throw new AppError('restricted/key-missing', say('restrictedNeedsKey'));
    if (wanted.has(channel as Channel)) return isSealed(value) ? value : sealer.seal(value);
    return isSealed(value) ? sealer.open(value) : value;
  };

  let rows = 0;
  let done = 0;
  const inChanged = `IN (${changed.map((c) => `'${c}'`).join(', ')})`;
  for (const spec of COLUMNS) {
    if (!tableExists(db, spec.table)) continue;
    if (spec.channel.startsWith("'") && !changed.includes(spec.channel.slice(1, -1) as Channel)) continue;
    const where = spec.channel.startsWith("'") ? '' : `AND ${spec.channel} ${inChanged}`;
    const keyed = spec.key !== undefined;
    const rid = keyed ? `${spec.key!.join(', ')}, 0` : 'rowid';
    const select = db.prepare(`SELECT ${rid} AS rid, ${spec.channel} AS channel, ${spec.columns.join(', ')} FROM ${spec.table} WHERE ${keyed ? '? = 0' : 'rowid > ?'} ${where} ${keyed ? '' : 'ORDER BY rowid LIMIT ?'}`);
    const keyMatch = keyed ? spec.key!.map((k) => `${k} = @${k}`).join(' AND ') : 'rowid = @rid';
    const update = db.prepare(`UPDATE ${spec.table} SET ${spec.columns.map((c) => `${c} = @${c}`).join(', ')} WHERE ${keyMatch}`);
    const total = (db.prepare(`SELECT count(*) AS n FROM ${spec.table} WHERE 1 ${where}`).get() as { n: number }).n;
    let last = 0;
    let seen = 0;
    for (;;) {
      if (keyed && last > 0) break;
      const batch = (keyed ? select.all(0) : select.all(last, batchSize)) as Array<Record<string, string | number | null> & { rid: number; channel: string }>;
      if (batch.length === 0) break;
      db.transaction(() => {
        for (const row of batch) {
          const next: Record<string, string | null | number> = keyed ? Object.fromEntries(spec.key!.map((k) => [k, row[k] ?? null])) : { rid: row.rid };
          let differs = false;
          for (const c of spec.columns) {
            next[c] = convert(row.channel, (row[c] ?? null) as string | null);
            if (next[c] !== row[c]) differs = true;
          }
          if (differs) {
            update.run(next);
            rows++;
          }
        }
      })();
      last = keyed ? 1 : batch[batch.length - 1]!.rid;
      seen += batch.length;
      done += batch.length;
      log(`Restricted channels: ${spec.table} ${seen} of ${total} rows checked.`);
      options.afterBatch?.(done);
    }
  }

  const files = changed.includes('email') && tableExists(db, 'mail_attachments') ? convertAttachments(db, sealer, wanted.has('email'), attachmentDir, log) : 0;

  // Merging the index drops the old terms; VACUUM with secure_delete rewrites the file from the live
  // rows only; the checkpoint empties the WAL. Only then is the new state recorded.
  if (tableExists(db, 'events_fts')) db.prepare(`INSERT INTO events_fts(events_fts) VALUES ('optimize')`).run();
  const secureBefore = db.pragma('secure_delete', { simple: true }) as number;
  db.pragma('secure_delete = ON');
  try {
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.pragma(`secure_delete = ${secureBefore ? 'ON' : 'OFF'}`);
  }
  settings.set(APPLIED_SETTING, JSON.stringify([...wanted].sort()));
  if (!sealer || wanted.size === 0) settings.delete(CONTENT_KEY_ID_SETTING);
  log(`Restricted channels are in line: ${rows} rows and ${files} attachment files changed.`);
  return { changed, rows, files };
}

/** Email attachment files: `<sha>` (plain) ↔ `<sha>.sealed`. The new file is written before the row points at it; the old one goes last. */
function convertAttachments(db: Db, sealer: ContentSealer | null, seal: boolean, attachmentDir: string | null, log: (line: string) => void): number {
  const rows = db.prepare(`SELECT DISTINCT path FROM mail_attachments WHERE path IS NOT NULL`).pluck().all() as string[];
  const move = db.prepare(`UPDATE mail_attachments SET path = @to WHERE path = @from`);
  let files = 0;
  const old: string[] = [];
  for (const from of rows) {
    const sealedNow = from.endsWith('.sealed');
    if (sealedNow === seal) continue;
    const to = seal ? `${from}.sealed` : from.slice(0, -'.sealed'.length);
    if (!fs.existsSync(from)) continue;
    const content = fs.readFileSync(from);
    const tmp = `${to}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, seal ? sealer!.sealBytes(content) : sealer!.openBytes(content), { mode: 0o600 });
    fs.renameSync(tmp, to);
    db.transaction(() => move.run({ from, to }))();
    old.push(from);
    files++;
  }
  for (const f of old) fs.rmSync(f, { force: true });
  // A crash between a commit and the removal above leaves an old file no row names: sweep those.
  if (seal && attachmentDir && fs.existsSync(attachmentDir)) {
    const named = new Set(db.prepare(`SELECT path FROM mail_attachments WHERE path IS NOT NULL`).pluck().all() as string[]);
    for (const name of fs.readdirSync(attachmentDir)) {
      const file = path.join(attachmentDir, name);
      if (/^[0-9a-f]{64}$/.test(name) && !named.has(file)) fs.rmSync(file, { force: true });
    }
  }
  if (files > 0) log(`Restricted channels: ${files} attachment files ${seal ? 'encrypted' : 'decrypted'}.`);
  return files;
}
