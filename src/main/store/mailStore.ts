// Every SQL statement of the email side: accounts, folder sync positions, fetched messages and
// their attachments, remote-content consent. `recordMessage` writes a mail and its timeline event
// in one transaction, so neither ever exists without the other. No I/O beyond the SQLite file.
import type { Statement } from 'better-sqlite3';
import type { CaseStatus, Channel, Priority } from '../../shared/domain';
import type { CaseCandidate } from '../../shared/cases';
import { AppError } from '../../shared/errors';
import type { Db } from './database';
import type { NewCase, NewCustomer, NewEvent, Repository } from './repository';
import { lazyStatements } from './statements';
import { openStored, sealForChannel } from '../privacy/contentSealer';
import { say, type Said } from '../../shared/serverErrors';
import { englishOf, readStoredText, storedText, type StoredReason, type StoredSentence } from '../../shared/storedSentence';

// ---------------------------------------------------------------- accounts

export type MailTls = 'tls' | 'starttls' | 'none';
export type MailAuth = 'password' | 'xoauth2';
export type MailAccountStatus = 'new' | 'syncing' | 'idle' | 'error';
/** Who keeps the copy of a sent reply: Omni Desk appends it to Sent, or the server files it itself (Gmail, Microsoft 365). */
export type SentCopyMode = 'append' | 'server';

/** Where an IMAP or SMTP server answers, and how the connection is secured. */
export interface MailEndpoint {
  host: string;
  port: number;
  tls: MailTls;
}

export interface MailAccountInput {
  /** Given to update that account; otherwise the account with the same address is updated, or a new one created. */
  id?: number;
  name: string;
  /** The shared support address customers write to. */
  address: string;
  imap: MailEndpoint;
  smtp: MailEndpoint | null;
  username: string;
  auth: MailAuth;
  /** A key into the secret store; never the secret itself. */
  secretRef: string | null;
  syncDays?: number;
  archiveOnResolve?: boolean;
  archiveFolder?: string;
  sentFolder?: string;
  /** Default 'append'. */
  sentCopy?: SentCopyMode;
}

export interface MailAccount {
  id: number;
  name: string;
  address: string;
  imap: MailEndpoint;
  smtp: MailEndpoint | null;
  username: string;
  auth: MailAuth;
  secretRef: string | null;
  syncDays: number;
  archiveOnResolve: boolean;
  archiveFolder: string;
  sentFolder: string;
  sentCopy: SentCopyMode;
  status: MailAccountStatus;
  /** The human reason behind the status ("The password was not accepted."), null when all is well. */
  statusDetail: string | null;
  statusText: StoredSentence | null;
  progress: { done: number; total: number };
  lastConnectedAt: number | null;
  updatedAt: number;
}

interface AccountRow {
  id: number;
  name: string;
  address: string;
  imap_host: string;
  imap_port: number;
  imap_tls: MailTls;
  smtp_host: string | null;
  smtp_port: number | null;
  smtp_tls: MailTls;
  username: string;
  auth: MailAuth;
  secret_ref: string | null;
  sync_days: number;
  archive_on_resolve: number;
  archive_folder: string;
  sent_folder: string;
  sent_copy: SentCopyMode;
  status: MailAccountStatus;
  status_detail: string | null;
  progress_done: number;
  progress_total: number;
  last_connected_at: number | null;
  updated_at: number;
}

function statusDetailOf(stored: string | null): { statusDetail: string | null; statusText: StoredSentence | null } {
  const { message, text } = readStoredText(stored);
  return { statusDetail: message, statusText: text };
}

function toAccount(r: AccountRow): MailAccount {
  return {
    id: r.id,
    name: r.name,
    address: r.address,
    imap: { host: r.imap_host, port: r.imap_port, tls: r.imap_tls },
    smtp: r.smtp_host !== null && r.smtp_port !== null ? { host: r.smtp_host, port: r.smtp_port, tls: r.smtp_tls } : null,
    username: r.username,
    auth: r.auth,
    secretRef: r.secret_ref,
    syncDays: r.sync_days,
    archiveOnResolve: r.archive_on_resolve === 1,
    archiveFolder: r.archive_folder,
    sentFolder: r.sent_folder,
    sentCopy: r.sent_copy === 'server' ? 'server' : 'append',
    status: r.status,
    ...statusDetailOf(r.status_detail),
    progress: { done: r.progress_done, total: r.progress_total },
    lastConnectedAt: r.last_connected_at,
    updatedAt: r.updated_at,
  };
}

// ---------------------------------------------------------------- folders and messages

export interface FolderState {
  uidValidity: number | null;
  /** HIGHESTMODSEQ after the last completed resync; null before the initial sync completed. */
  highestModseq: bigint | null;
  uidNext: number | null;
  /** When the initial sync of the folder completed; null while it is still to be resumed. */
  lastSyncedAt: number | null;
}

/** Where a stored mail sits on the server (its UID is only meaningful with its UIDVALIDITY). */
export interface MailLocation {
  mailMessageId: number;
  accountId: number;
  folder: string;
  uidValidity: number;
  uid: number;
  eventId: number | null;
  messageId: string | null;
  headerHash: string;
  flags: string[];
  vanished: boolean;
}

interface LocationRow {
  id: number;
  account_id: number;
  folder: string;
  uid_validity: number;
  uid: number;
  event_id: number | null;
  message_id: string | null;
  header_hash: string;
  flags_json: string;
  vanished_at: number | null;
}

function toLocation(r: LocationRow): MailLocation {
  return {
    mailMessageId: r.id,
    accountId: r.account_id,
    folder: r.folder,
    uidValidity: r.uid_validity,
    uid: r.uid,
    eventId: r.event_id,
    messageId: r.message_id,
    headerHash: r.header_hash,
    flags: JSON.parse(r.flags_json) as string[],
    vanished: r.vanished_at !== null,
  };
}

export interface NewMailAttachment {
  filename: string | null;
  contentType: string;
  size: number;
  contentId: string | null;
  inline: boolean;
  sha256: string | null;
  /** Where the content was written, when it was kept. */
  path: string | null;
}

/** The server-side identity and the stored form of one fetched message. */
export interface NewMailMessage {
  accountId: number;
  folder: string;
  uidValidity: number;
  uid: number;
  /** Normalized `<id@host>`, null when the mail has none. */
  messageId: string | null;
  headerHash: string;
  inReplyTo: string | null;
  references: string[];
  flags: string[];
  modseq: bigint | null;
  html: string | null;
  size: number | null;
  /** Normalized sender address (for the remote-content consent), null when none could be read. */
  fromAddress: string | null;
  /** Why the mail was not imported (kept with its catalog key), null for a mail that was. */
  quarantinedReason: Said | StoredReason | null;
  receivedAt: number;
  attachments: NewMailAttachment[];
}

/**
 * Where the message goes, decided by ingest (identity + threading) inside the same transaction:
 * the customer (existing or new), the case (joined, reopened, new, or none) and the event.
 */
export interface MessagePlacement {
  customer: { id: number } | { create: NewCustomer };
  /** An identity of an existing customer seen again: its last_seen_at moves. */
  seenIdentity?: { kind: 'email'; value: string; at: number };
  case:
    | { action: 'join'; caseId: number; waiting: CaseWaiting | null }
    | { action: 'reopen'; caseId: number; waiting: CaseWaiting | null }
    | { action: 'new'; case: Omit<NewCase, 'customerId'> }
    | { action: 'none' };
  event: Omit<NewEvent, 'caseId' | 'customerId'>;
}

/** The customer now waits for an answer: set unless the case already waits (the older wait counts). */
export interface CaseWaiting {
  since: number;
  slaDueAt: number | null;
}

export type RecordOutcome =
  | { outcome: 'stored'; mailMessageId: number; eventId: number; customerId: number; caseId: number | null; caseAction: 'join' | 'reopen' | 'new' | 'none' }
  /** The same mail was already known: bound to the event stored for it (another account, a second copy). */
  | { outcome: 'linked'; mailMessageId: number; eventId: number }
  | { outcome: 'quarantined'; mailMessageId: number; reason: string }
  /** Already stored at this location or under this header hash; `rebound` when the stored row moved to this location. */
  | { outcome: 'duplicate'; mailMessageId: number; rebound: boolean };

export interface QuarantinedMail {
  mailMessageId: number;
  accountId: number;
  folder: string;
  uid: number;
  messageId: string | null;
  fromAddress: string | null;
  /** The English sentence, as stored. */
  reason: string;
  /** Its catalog key and params; null for rows stored before reasons had keys. */
  reasonText: StoredSentence | null;
  receivedAt: number;
  size: number | null;
}

export interface EmailContent {
  /** Raw HTML as received (the renderer sanitizes it); null for plain-text mail. */
  html: string | null;
  attachments: Array<{ id: number; filename: string | null; contentType: string; size: number; contentId: string | null; inline: boolean; sha256: string | null; path: string | null }>;
  /** The sender's normalized address, null when none could be read. */
  sender: string | null;
  /** Whether the agent allowed remote images for this sender. */
  remoteContentAllowed: boolean;
}

export interface FlagChange {
  add: string[];
  remove: string[];
}

export interface PendingChange extends MailLocation {
  flagChange: FlagChange | null;
  moveTo: string | null;
}

/** A threading candidate with what the SLA deadline of a joining message depends on. */
export type MailCaseCandidate = CaseCandidate & { priority: Priority; firstResponseAt: number | null; /** Set while the customer waits for an answer. */ waitingSince: number | null };

export interface RebindEntry {
  uid: number;
  headerHash?: string | null;
  messageId?: string | null;
}

export class MailStore {
  private readonly s: Record<string, Statement>;
  /** Inside recordBatch's transaction (see recordMessage). */
  private recording = 0;

  constructor(
    readonly db: Db,
    readonly repo: Repository,
  ) {
    const LOCATION = `id, account_id, folder, uid_validity, uid, event_id, message_id, header_hash, flags_json, vanished_at`;
    const sqlByName: Record<string, string> = {
      accountById: `SELECT * FROM mail_accounts WHERE id = ?`,
      accountByAddress: `SELECT id FROM mail_accounts WHERE address = ?`,
      accounts: `SELECT * FROM mail_accounts ORDER BY id`,
      insertAccount: `INSERT INTO mail_accounts (name, address, imap_host, imap_port, imap_tls, smtp_host, smtp_port, smtp_tls, username, auth,
          secret_ref, sync_days, archive_on_resolve, archive_folder, sent_folder, sent_copy, created_at, updated_at)
        VALUES (@name, @address, @imapHost, @imapPort, @imapTls, @smtpHost, @smtpPort, @smtpTls, @username, @auth,
          @secretRef, @syncDays, @archiveOnResolve, @archiveFolder, @sentFolder, @sentCopy, @now, @now)`,
      updateAccount: `UPDATE mail_accounts SET name = @name, address = @address, imap_host = @imapHost, imap_port = @imapPort, imap_tls = @imapTls,
          smtp_host = @smtpHost, smtp_port = @smtpPort, smtp_tls = @smtpTls, username = @username, auth = @auth, secret_ref = @secretRef,
          sync_days = @syncDays, archive_on_resolve = @archiveOnResolve, archive_folder = @archiveFolder, sent_folder = @sentFolder, sent_copy = @sentCopy, updated_at = @now
        WHERE id = @id`,
      setStatus: `UPDATE mail_accounts SET status = @status, status_detail = @detail, updated_at = @now,
          last_connected_at = CASE WHEN @status IN ('syncing', 'idle') AND @connected = 1 THEN @now ELSE last_connected_at END WHERE id = @id`,
      setProgress: `UPDATE mail_accounts SET progress_done = @done, progress_total = @total, updated_at = @now WHERE id = @id`,

      folderState: `SELECT uid_validity, highest_modseq, uid_next, last_synced_at FROM mail_folders WHERE account_id = ? AND path = ?`,
      saveFolder: `INSERT INTO mail_folders (account_id, path, uid_validity, highest_modseq, uid_next, last_synced_at)
          VALUES (@accountId, @path, @uidValidity, @highestModseq, @uidNext, @lastSyncedAt)
        ON CONFLICT(account_id, path) DO UPDATE SET uid_validity = excluded.uid_validity, highest_modseq = excluded.highest_modseq,
          uid_next = excluded.uid_next, last_synced_at = excluded.last_synced_at`,

      knownUids: `SELECT uid FROM mail_messages WHERE account_id = ? AND folder = ? AND uid_validity = ?`,
      presentUids: `SELECT uid FROM mail_messages WHERE account_id = ? AND folder = ? AND uid_validity = ? AND vanished_at IS NULL`,
      oldestPresent: `SELECT min(received_at) AS at FROM mail_messages WHERE account_id = ? AND folder = ? AND vanished_at IS NULL`,
      byLocation: `SELECT ${LOCATION} FROM mail_messages WHERE account_id = ? AND folder = ? AND uid_validity = ? AND uid = ?`,
      byHeaderHash: `SELECT ${LOCATION} FROM mail_messages WHERE account_id = ? AND header_hash = ?`,
      byMessageId: `SELECT ${LOCATION} FROM mail_messages WHERE account_id = ? AND message_id = ? ORDER BY id`,
      byEvent: `SELECT ${LOCATION} FROM mail_messages WHERE event_id = ? ORDER BY vanished_at IS NOT NULL, id LIMIT 1`,
      byCase: `SELECT ${LOCATION.split(', ').map((c) => `m.${c}`).join(', ')} FROM mail_messages m JOIN events e ON e.id = m.event_id
        WHERE e.case_id = ? AND m.vanished_at IS NULL ORDER BY m.id`,
      insertMessage: `INSERT INTO mail_messages (account_id, folder, uid_validity, uid, message_id, header_hash, event_id, in_reply_to, references_json,
          flags_json, modseq, html, size, from_address, quarantined_reason, received_at, created_at)
        VALUES (@accountId, @folder, @uidValidity, @uid, @messageId, @headerHash, @eventId, @inReplyTo, @referencesJson,
          @flagsJson, @modseq, @html, @size, @fromAddress, @quarantinedReason, @receivedAt, @now)`,
      insertAttachment: `INSERT INTO mail_attachments (mail_message_id, filename, content_type, size, content_id, inline, sha256, path)
        VALUES (@mailMessageId, @filename, @contentType, @size, @contentId, @inline, @sha256, @path)`,
      moveMessage: `UPDATE mail_messages SET folder = @folder, uid_validity = @uidValidity, uid = @uid, vanished_at = NULL WHERE id = @id`,
      setFlags: `UPDATE mail_messages SET flags_json = @flagsJson, modseq = COALESCE(@modseq, modseq)
        WHERE account_id = @accountId AND folder = @folder AND uid_validity = @uidValidity AND uid = @uid`,
      markVanished: `UPDATE mail_messages SET vanished_at = @now
        WHERE account_id = @accountId AND folder = @folder AND uid_validity = @uidValidity AND uid = @uid AND vanished_at IS NULL`,
      markStaleVanished: `UPDATE mail_messages SET vanished_at = @now
        WHERE account_id = @accountId AND folder = @folder AND uid_validity != @uidValidity AND vanished_at IS NULL`,
      eventByExternalId: `SELECT id FROM events WHERE channel = 'email' AND external_id = ?`,

      pendingOf: `SELECT pending_flags_json FROM mail_messages WHERE id = ?`,
      setPendingFlags: `UPDATE mail_messages SET pending_flags_json = @json WHERE id = @id`,
      setPendingMove: `UPDATE mail_messages SET pending_move_to = @folder WHERE id = @id`,
      pending: `SELECT ${LOCATION}, pending_flags_json, pending_move_to FROM mail_messages
        WHERE account_id = ? AND (pending_flags_json IS NOT NULL OR pending_move_to IS NOT NULL) ORDER BY id`,
      flagsPushed: `UPDATE mail_messages SET flags_json = @flagsJson, pending_flags_json = NULL WHERE id = @id`,
      clearPendingMove: `UPDATE mail_messages SET pending_move_to = NULL WHERE id = @id`,
      vanishById: `UPDATE mail_messages SET vanished_at = COALESCE(vanished_at, @now) WHERE id = @id`,
      dropPending: `UPDATE mail_messages SET pending_flags_json = NULL, pending_move_to = NULL WHERE id = @id`,
      quarantined: `SELECT id, account_id, folder, uid, message_id, from_address, quarantined_reason, received_at, size FROM mail_messages
        WHERE account_id = ? AND quarantined_reason IS NOT NULL ORDER BY received_at DESC, id DESC LIMIT ?`,
      quarantinedCount: `SELECT COUNT(*) AS n FROM mail_messages WHERE account_id = ? AND quarantined_reason IS NOT NULL`,
      contentByEvent: `SELECT id, html, from_address FROM mail_messages WHERE event_id = ? ORDER BY vanished_at IS NOT NULL, id LIMIT 1`,
      attachments: `SELECT id, filename, content_type AS contentType, size, content_id AS contentId, inline, sha256, path
        FROM mail_attachments WHERE mail_message_id = ? ORDER BY id`,
      remoteAllowed: `SELECT 1 FROM remote_content_senders WHERE address = ?`,
      allowRemote: `INSERT INTO remote_content_senders (address, allowed_at) VALUES (?, ?) ON CONFLICT(address) DO NOTHING`,
      disallowRemote: `DELETE FROM remote_content_senders WHERE address = ?`,

      customerByEmail: `SELECT c.id, c.merged_into FROM identities i JOIN customers c ON c.id = i.customer_id
        WHERE i.kind = 'email' AND i.platform = '' AND i.value = ?`,
      customerMergedInto: `SELECT merged_into FROM customers WHERE id = ?`,
      touchIdentity: `UPDATE identities SET last_seen_at = max(last_seen_at, @at) WHERE kind = @kind AND platform = '' AND value = @value`,

      casesOfCustomer: `SELECT id, customer_id, status, priority, channel, updated_at, resolved_at, first_response_at, waiting_since FROM cases
        WHERE customer_id = @customerId AND (status IN ('open', 'pending', 'snoozed') OR resolved_at >= @resolvedSince) ORDER BY id`,
      caseRow: `SELECT id, customer_id, status, priority, channel, updated_at, resolved_at, first_response_at, waiting_since FROM cases WHERE id = ?`,
      caseLastActivity: `SELECT occurred_at, channel FROM events WHERE case_id = ? AND direction != 'internal' ORDER BY occurred_at DESC, id DESC LIMIT 1`,
      casesByMailMessageId: `SELECT DISTINCT e.case_id AS caseId FROM mail_messages m JOIN events e ON e.id = m.event_id
        WHERE m.message_id = ? AND e.case_id IS NOT NULL`,
      casesByOutboxMessageId: `SELECT DISTINCT case_id AS caseId FROM outbox WHERE message_id = ? AND case_id IS NOT NULL`,
      casesByEventExternalId: `SELECT DISTINCT case_id AS caseId FROM events WHERE channel = 'email' AND external_id = ? AND case_id IS NOT NULL`,
      joinCase: `UPDATE cases SET
          status = CASE WHEN @waiting = 1 THEN 'open' ELSE status END,
          channel = CASE WHEN @waiting = 1 THEN @channel ELSE channel END,
          updated_at = max(updated_at, @at),
          sla_due_at = CASE WHEN @waiting = 1 AND waiting_since IS NULL THEN @slaDueAt ELSE sla_due_at END,
          waiting_since = CASE WHEN @waiting = 1 THEN COALESCE(waiting_since, @since) ELSE waiting_since END
        WHERE id = @caseId`,
      reopenCase: `UPDATE cases SET status = @status, channel = @channel, updated_at = max(updated_at, @at), resolved_at = NULL, resolution_code = NULL,
          waiting_since = @since, sla_due_at = @slaDueAt WHERE id = @caseId`,
    };
    this.s = lazyStatements(db, sqlByName);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // ---------------------------------------------------------------- accounts

  upsertAccount(input: MailAccountInput, now: number): number {
    const params = {
      name: input.name,
      address: input.address.trim().toLowerCase(),
      imapHost: input.imap.host,
      imapPort: input.imap.port,
      imapTls: input.imap.tls,
      smtpHost: input.smtp?.host ?? null,
      smtpPort: input.smtp?.port ?? null,
      smtpTls: input.smtp?.tls ?? 'tls',
      username: input.username,
      auth: input.auth,
      secretRef: input.secretRef,
      syncDays: input.syncDays ?? 90,
      archiveOnResolve: input.archiveOnResolve === false ? 0 : 1,
      archiveFolder: input.archiveFolder ?? 'Archive',
      sentFolder: input.sentFolder ?? 'Sent',
      sentCopy: input.sentCopy ?? 'append',
      now,
    };
    return this.transaction(() => {
      const id = input.id ?? (this.s.accountByAddress!.get(params.address) as { id: number } | undefined)?.id;
      if (id === undefined) return Number(this.s.insertAccount!.run(params).lastInsertRowid);
      if (this.s.updateAccount!.run({ ...params, id }).changes === 0) throw new AppError('not-found', say('mailAccountMissing', { accountId: id }));
      return id;
    });
  }

  getAccount(id: number): MailAccount | null {
    const row = this.s.accountById!.get(id) as AccountRow | undefined;
    return row ? toAccount(row) : null;
  }

  accounts(): MailAccount[] {
    return (this.s.accounts!.all() as AccountRow[]).map(toAccount);
  }

  /** `connected` marks a live session (last_connected_at moves); an error keeps the last one. */
  /** `detail` is kept as its English sentence, with its catalog key when it has one (statusText on read). */
  setAccountStatus(id: number, status: MailAccountStatus, detail: string | Said | StoredReason | null, now: number, connected = false): void {
    this.s.setStatus!.run({ id, status, detail: storedText(detail), now, connected: connected ? 1 : 0 });
  }

  setAccountProgress(id: number, done: number, total: number, now: number): void {
    this.s.setProgress!.run({ id, done, total, now });
  }

  // ---------------------------------------------------------------- folders

  folderState(accountId: number, path: string): FolderState | null {
    const row = this.s.folderState!.get(accountId, path) as
      | { uid_validity: number | null; highest_modseq: string | null; uid_next: number | null; last_synced_at: number | null }
      | undefined;
    if (!row) return null;
    return {
      uidValidity: row.uid_validity,
      highestModseq: row.highest_modseq === null ? null : BigInt(row.highest_modseq),
      uidNext: row.uid_next,
      lastSyncedAt: row.last_synced_at,
    };
  }

  saveFolderState(accountId: number, path: string, state: FolderState): void {
    this.s.saveFolder!.run({
      accountId,
      path,
      uidValidity: state.uidValidity,
      highestModseq: state.highestModseq === null ? null : state.highestModseq.toString(),
      uidNext: state.uidNext,
      lastSyncedAt: state.lastSyncedAt,
    });
  }

  // ---------------------------------------------------------------- messages

  /** Every UID stored for the folder at this UIDVALIDITY, vanished ones included (UIDs are never reused). */
  knownUids(accountId: number, folder: string, uidValidity: number): Set<number> {
    return new Set((this.s.knownUids!.pluck().all(accountId, folder, uidValidity) as number[]));
  }

  /** UIDs the store believes are still on the server. */
  presentUids(accountId: number, folder: string, uidValidity: number): Set<number> {
    return new Set((this.s.presentUids!.pluck().all(accountId, folder, uidValidity) as number[]));
  }

  /** When the oldest mail still on the server (as far as the store knows) arrived: a full resync reaches back that far. */
  oldestPresent(accountId: number, folder: string): number | null {
    return (this.s.oldestPresent!.get(accountId, folder) as { at: number | null }).at;
  }

  findAt(accountId: number, folder: string, uidValidity: number, uid: number): MailLocation | null {
    const row = this.s.byLocation!.get(accountId, folder, uidValidity, uid) as LocationRow | undefined;
    return row ? toLocation(row) : null;
  }

  findByMessageId(accountId: number, messageId: string): MailLocation[] {
    return (this.s.byMessageId!.all(accountId, messageId) as LocationRow[]).map(toLocation);
  }

  findByHeaderHash(accountId: number, headerHash: string): MailLocation | null {
    const row = this.s.byHeaderHash!.get(accountId, headerHash) as LocationRow | undefined;
    return row ? toLocation(row) : null;
  }

  /** Where the mail behind a timeline event is (the copy still on the server first). */
  locateEvent(eventId: number): MailLocation | null {
    const row = this.s.byEvent!.get(eventId) as LocationRow | undefined;
    return row ? toLocation(row) : null;
  }

  /** The mails of a case still on the server (what "archive on resolve" moves). */
  mailsOfCase(caseId: number): MailLocation[] {
    return (this.s.byCase!.all(caseId) as LocationRow[]).map(toLocation);
  }

  /** The email event already stored under this Message-ID (from any account, or our own sent mail). */
  eventForMessageId(messageId: string): number | null {
    return (this.s.eventByExternalId!.get(messageId) as { id: number } | undefined)?.id ?? null;
  }

  /**
   * Stores one fetched message in ONE transaction: the customer (when new), the case change, the
   * timeline event, the mail row and its attachment rows. A mail already stored (same location, or
   * same header hash) writes no second row: a stored mail whose old place is gone is bound to the
   * new one (UIDVALIDITY change, moved back). The same Message-ID seen through another
   * account is bound to the event already there. `placement` null quarantines the message: a mail
   * row with its reason and no event.
   */
  recordMessage(mail: NewMailMessage, placement: MessagePlacement | null, now: number): RecordOutcome {
    // Inside recordBatch the batch's transaction is all or nothing already: a savepoint per mail would buy nothing.
    return this.recording > 0 ? this.recordIn(mail, placement, now) : this.transaction(() => this.recordIn(mail, placement, now));
  }

  private recordIn(mail: NewMailMessage, placement: MessagePlacement | null, now: number): RecordOutcome {
    const atLocation = this.findAt(mail.accountId, mail.folder, mail.uidValidity, mail.uid);
    if (atLocation) return { outcome: 'duplicate', mailMessageId: atLocation.mailMessageId, rebound: false };
    const same = this.findByHeaderHash(mail.accountId, mail.headerHash);
    if (same) {
      // The stored mail is back at a new place (moved back, a new UIDVALIDITY): follow it. A second
      // copy next to one still listed in the same folder is left alone.
      const elsewhere = same.vanished || same.folder !== mail.folder || same.uidValidity !== mail.uidValidity;
      if (!elsewhere) return { outcome: 'duplicate', mailMessageId: same.mailMessageId, rebound: false };
      this.moveMessage(same.mailMessageId, { folder: mail.folder, uidValidity: mail.uidValidity, uid: mail.uid });
      this.updateFlags(mail.accountId, mail.folder, mail.uidValidity, mail.uid, mail.flags, mail.modseq);
      return { outcome: 'duplicate', mailMessageId: same.mailMessageId, rebound: true };
    }

    if (placement === null || mail.quarantinedReason !== null) {
      const reason = mail.quarantinedReason ?? say('quarantineNotRead');
      const mailMessageId = this.insertMailRow({ ...mail, quarantinedReason: reason }, null, now);
      return { outcome: 'quarantined', mailMessageId, reason: englishOf(reason) };
    }

    const known = mail.messageId ? this.eventForMessageId(mail.messageId) : null;
    if (known !== null) {
      const mailMessageId = this.insertMailRow(mail, known, now);
      return { outcome: 'linked', mailMessageId, eventId: known };
    }

    let customerId: number;
    if ('id' in placement.customer) {
      customerId = placement.customer.id;
      if (placement.seenIdentity) this.s.touchIdentity!.run(placement.seenIdentity);
    } else {
      customerId = this.repo.insertCustomer(placement.customer.create);
    }

    let caseId: number | null = null;
    const c = placement.case;
    const at = placement.event.occurredAt;
    if (c.action === 'new') {
      caseId = this.repo.insertCase({ ...c.case, customerId });
    } else if (c.action === 'join') {
      caseId = c.caseId;
      this.s.joinCase!.run({ caseId, channel: placement.event.channel, at, waiting: c.waiting ? 1 : 0, since: c.waiting?.since ?? null, slaDueAt: c.waiting?.slaDueAt ?? null });
    } else if (c.action === 'reopen') {
      caseId = c.caseId;
      this.s.reopenCase!.run({
        caseId,
        status: c.waiting ? 'open' : 'pending',
        channel: placement.event.channel,
        at,
        since: c.waiting?.since ?? null,
        slaDueAt: c.waiting?.slaDueAt ?? null,
      });
    }

    const eventId = this.repo.insertEvent({ ...placement.event, caseId, customerId }, now);
    const mailMessageId = this.insertMailRow(mail, eventId, now);
    return { outcome: 'stored', mailMessageId, eventId, customerId, caseId, caseAction: c.action };
  }

  /**
   * Records a batch of fetched messages in ONE transaction (one commit, instead of one per mail):
   * `record` runs for each item in order (normally ingest's placement + recordMessage, whose own
   * writes join this one, without a savepoint per mail). All or nothing: an error rolls the whole batch
   * back, so `record` must let errors through rather than catch them and go on.
   */
  recordBatch<T, R>(items: readonly T[], record: (item: T) => R): R[] {
    return this.transaction(() => {
      this.recording++;
      try {
        return items.map((item) => record(item));
      } finally {
        this.recording--;
      }
    });
  }

  private insertMailRow(mail: NewMailMessage, eventId: number | null, now: number): number {
    const mailMessageId = Number(
      this.s.insertMessage!.run({
        accountId: mail.accountId,
        folder: mail.folder,
        uidValidity: mail.uidValidity,
        uid: mail.uid,
        messageId: mail.messageId,
        headerHash: mail.headerHash,
        eventId,
        inReplyTo: mail.inReplyTo,
        referencesJson: JSON.stringify(mail.references),
        flagsJson: JSON.stringify(mail.flags),
        modseq: mail.modseq === null ? null : mail.modseq.toString(),
        html: sealForChannel(this.db, 'email', mail.html),
        size: mail.size,
        fromAddress: mail.fromAddress,
        quarantinedReason: storedText(mail.quarantinedReason),
        receivedAt: mail.receivedAt,
        now,
      }).lastInsertRowid,
    );
    for (const a of mail.attachments) this.s.insertAttachment!.run({ ...a, mailMessageId, inline: a.inline ? 1 : 0 });
    return mailMessageId;
  }

  /** A stored mail now lives at another place (moved back into the folder, archived, a new UIDVALIDITY). */
  moveMessage(mailMessageId: number, to: { folder: string; uidValidity: number; uid: number }): void {
    this.s.moveMessage!.run({ id: mailMessageId, ...to });
  }

  updateFlags(accountId: number, folder: string, uidValidity: number, uid: number, flags: readonly string[], modseq: bigint | null): boolean {
    const info = this.s.setFlags!.run({ accountId, folder, uidValidity, uid, flagsJson: JSON.stringify([...flags].sort()), modseq: modseq === null ? null : modseq.toString() });
    return info.changes > 0;
  }

  /** The server no longer lists these UIDs (expunged, moved away). Their events stay on the timeline. */
  markVanished(accountId: number, folder: string, uidValidity: number, uids: Iterable<number>, now: number): number {
    return this.transaction(() => {
      let n = 0;
      for (const uid of uids) n += this.s.markVanished!.run({ accountId, folder, uidValidity, uid, now }).changes;
      return n;
    });
  }

  /**
   * After a UIDVALIDITY change: binds stored mails to their new UIDs, matched by header hash first,
   * then by a Message-ID that names exactly one stored mail of the folder. The folder's rows left
   * under another UIDVALIDITY are marked vanished. Returns the entries that matched nothing (new
   * mail to fetch). One transaction, with the new UIDVALIDITY saved in it.
   */
  rebindUids(accountId: number, folder: string, newUidValidity: number, entries: readonly RebindEntry[], now: number): { rebound: number; unmatched: RebindEntry[] } {
    return this.transaction(() => {
      let rebound = 0;
      const unmatched: RebindEntry[] = [];
      const taken = new Set<number>();
      for (const entry of entries) {
        let target: MailLocation | null = entry.headerHash ? this.findByHeaderHash(accountId, entry.headerHash) : null;
        if (target && target.folder !== folder && !target.vanished) target = null;
        if (!target && entry.messageId) {
          const candidates = this.findByMessageId(accountId, entry.messageId).filter((m) => m.folder === folder && m.uidValidity !== newUidValidity);
          if (candidates.length === 1) target = candidates[0]!;
        }
        if (!target || taken.has(target.mailMessageId) || (target.uidValidity === newUidValidity && target.folder === folder)) {
          if (!target) unmatched.push(entry);
          continue;
        }
        taken.add(target.mailMessageId);
        this.moveMessage(target.mailMessageId, { folder, uidValidity: newUidValidity, uid: entry.uid });
        rebound++;
      }
      this.s.markStaleVanished!.run({ accountId, folder, uidValidity: newUidValidity, now });
      const state = this.folderState(accountId, folder);
      this.saveFolderState(accountId, folder, { uidValidity: newUidValidity, highestModseq: null, uidNext: state?.uidNext ?? null, lastSyncedAt: null });
      return { rebound, unmatched };
    });
  }

  // ---------------------------------------------------------------- changes made on the desktop

  /** Flags to set on the server (\Seen when an agent opens a mail, \Answered after a reply); kept until pushed. */
  queueFlagChange(mailMessageIds: readonly number[], change: { add?: readonly string[]; remove?: readonly string[] }): void {
    this.transaction(() => {
      for (const id of mailMessageIds) {
        const row = this.s.pendingOf!.get(id) as { pending_flags_json: string | null } | undefined;
        if (!row) continue;
        const pending = row.pending_flags_json ? (JSON.parse(row.pending_flags_json) as FlagChange) : { add: [], remove: [] };
        for (const f of change.add ?? []) {
          pending.remove = pending.remove.filter((x) => x !== f);
          if (!pending.add.includes(f)) pending.add.push(f);
        }
        for (const f of change.remove ?? []) {
          pending.add = pending.add.filter((x) => x !== f);
          if (!pending.remove.includes(f)) pending.remove.push(f);
        }
        this.s.setPendingFlags!.run({ id, json: JSON.stringify(pending) });
      }
    });
  }

  /** A MOVE to `folder` (archive on resolve), kept until the server did it. */
  queueMove(mailMessageIds: readonly number[], folder: string): void {
    this.transaction(() => {
      for (const id of mailMessageIds) this.s.setPendingMove!.run({ id, folder });
    });
  }

  pendingChanges(accountId: number): PendingChange[] {
    const rows = this.s.pending!.all(accountId) as Array<LocationRow & { pending_flags_json: string | null; pending_move_to: string | null }>;
    return rows.map((r) => ({
      ...toLocation(r),
      flagChange: r.pending_flags_json ? (JSON.parse(r.pending_flags_json) as FlagChange) : null,
      moveTo: r.pending_move_to,
    }));
  }

  /** The server took the flag change: the stored flags follow and the pending change is dropped. */
  flagsPushed(mailMessageId: number, flags: readonly string[]): void {
    this.s.flagsPushed!.run({ id: mailMessageId, flagsJson: JSON.stringify([...new Set(flags)].sort()) });
  }

  /** The server moved the mail: it lives at `to` now (null when the server did not say where: vanished). */
  movePushed(mailMessageId: number, to: { folder: string; uidValidity: number; uid: number } | null, now: number): void {
    this.transaction(() => {
      if (to) this.moveMessage(mailMessageId, to);
      else this.s.vanishById!.run({ id: mailMessageId, now });
      this.s.clearPendingMove!.run({ id: mailMessageId });
    });
  }

  /** Pending changes that can no longer be made (the mail is gone from the server) are dropped. */
  dropPending(mailMessageId: number): void {
    this.s.dropPending!.run({ id: mailMessageId });
  }

  quarantinedMessages(accountId: number, limit = 100): QuarantinedMail[] {
    const rows = this.s.quarantined!.all(accountId, limit) as Array<{
      id: number;
      account_id: number;
      folder: string;
      uid: number;
      message_id: string | null;
      from_address: string | null;
      quarantined_reason: string;
      received_at: number;
      size: number | null;
    }>;
    return rows.map((r) => {
      // Older rows hold the plain English sentence: it reads back as it is, without a key.
      const { message, text } = readStoredText(r.quarantined_reason);
      return {
        mailMessageId: r.id,
        accountId: r.account_id,
        folder: r.folder,
        uid: r.uid,
        messageId: r.message_id,
        fromAddress: r.from_address,
        reason: message ?? r.quarantined_reason,
        reasonText: text,
        receivedAt: r.received_at,
        size: r.size,
      };
    });
  }

  /** How many mails of the account were not imported (all of them, not only the newest listed). */
  quarantinedCount(accountId: number): number {
    return (this.s.quarantinedCount!.get(accountId) as { n: number }).n;
  }

  // ---------------------------------------------------------------- the email view

  /** What the renderer's email view needs beyond the timeline event; null when the event is no fetched mail. */
  emailContent(eventId: number): EmailContent | null {
    const row = this.s.contentByEvent!.get(eventId) as { id: number; html: string | null; from_address: string | null } | undefined;
    if (!row) return null;
    const attachments = (this.s.attachments!.all(row.id) as Array<Omit<EmailContent['attachments'][number], 'inline'> & { inline: number }>).map((a) => ({ ...a, inline: a.inline === 1 }));
    return {
      html: openStored(this.db, row.html),
      attachments,
      sender: row.from_address,
      remoteContentAllowed: row.from_address !== null && this.s.remoteAllowed!.get(row.from_address) !== undefined,
    };
  }

  allowRemoteContent(sender: string, now: number): void {
    this.s.allowRemote!.run(sender.trim().toLowerCase(), now);
  }

  disallowRemoteContent(sender: string): void {
    this.s.disallowRemote!.run(sender.trim().toLowerCase());
  }

  // ---------------------------------------------------------------- identity and threading

  /** The customer an email address belongs to (following merges), or null. `address` is already normalized. */
  customerByEmail(address: string): number | null {
    const row = this.s.customerByEmail!.get(address) as { id: number; merged_into: number | null } | undefined;
    if (!row) return null;
    let id = row.id;
    let next = row.merged_into;
    const seen = new Set<number>([id]);
    while (next !== null && !seen.has(next)) {
      seen.add(next);
      id = next;
      next = (this.s.customerMergedInto!.get(id) as { merged_into: number | null } | undefined)?.merged_into ?? null;
    }
    return id;
  }

  /**
   * What threading needs to place a mail: the customer's active cases and those resolved since
   * `resolvedSince`, plus every case that recorded one of `messageIds` (any customer: an exact
   * Message-ID is unguessable) and the cases named by id (our Message-IDs, the `[#N]` token).
   * Each candidate lists which of `messageIds` it recorded.
   */
  caseCandidates(customerId: number | null, messageIds: readonly string[], options: { caseIds?: readonly number[]; resolvedSince?: number } = {}): MailCaseCandidate[] {
    type CaseRow = {
      id: number;
      customer_id: number;
      status: CaseStatus;
      priority: Priority;
      channel: Channel;
      updated_at: number;
      resolved_at: number | null;
      first_response_at: number | null;
      waiting_since: number | null;
    };
    const rows = new Map<number, CaseRow>();
    const idsOf = new Map<number, Set<string>>();
    if (customerId !== null) {
      for (const r of this.s.casesOfCustomer!.all({ customerId, resolvedSince: options.resolvedSince ?? 0 }) as CaseRow[]) rows.set(r.id, r);
    }
    for (const messageId of new Set(messageIds)) {
      const caseIds = new Set<number>();
      for (const statement of [this.s.casesByMailMessageId!, this.s.casesByOutboxMessageId!, this.s.casesByEventExternalId!]) {
        for (const { caseId } of statement.all(messageId) as Array<{ caseId: number }>) caseIds.add(caseId);
      }
      for (const caseId of caseIds) {
        let set = idsOf.get(caseId);
        if (!set) idsOf.set(caseId, (set = new Set()));
        set.add(messageId);
      }
    }
    for (const id of [...idsOf.keys(), ...(options.caseIds ?? [])]) {
      if (rows.has(id)) continue;
      const r = this.s.caseRow!.get(id) as CaseRow | undefined;
      if (r) rows.set(id, r);
    }
    return [...rows.values()].map((r) => {
      const last = this.s.caseLastActivity!.get(r.id) as { occurred_at: number; channel: Channel } | undefined;
      return {
        id: r.id,
        customerId: r.customer_id,
        status: r.status,
        lastActivityAt: last?.occurred_at ?? r.updated_at,
        lastChannel: last?.channel ?? r.channel,
        resolvedAt: r.resolved_at,
        messageIds: [...(idsOf.get(r.id) ?? [])],
        mergedInto: null,
        priority: r.priority,
        firstResponseAt: r.first_response_at,
        waitingSince: r.waiting_since,
      };
    });
  }
}
