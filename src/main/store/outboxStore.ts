// Every SQL statement of the outbox worker and the auto-responder: claiming due rows (oldest first,
// never a later reply of a case before an earlier one on the same channel), the outcome of a
// send, the UI's retry, what an outgoing email is composed from, and the auto-responder's
// per-sender memory. No I/O beyond the SQLite file.
import type { Statement } from 'better-sqlite3';
import type { Channel, DeliveryStatus } from '../../shared/domain';
import { normalizeMessageId } from '../../shared/cases';
import type { Db } from './database';
import { outgoingMessageId } from './repository';
import { lazyStatements } from './statements';
import { openStored, sealForChannel } from '../privacy/contentSealer';
import type { Said } from '../../shared/serverErrors';
import { readStoredText, storedText, type StoredReason, type StoredSentence } from '../../shared/storedSentence';

/** What an outbox row asks to send. Agent replies carry only the body; the rest comes from the case at send time. */
export interface OutboxPayload {
  body: string;
  /** An automatic answer: sent with `Auto-Submitted: auto-replied`. */
  autoReply?: boolean;
  /** Fixed recipient (auto-replies answer the sender, whoever it is). */
  to?: string;
  /** Fixed subject (without the reply prefix and token; they are added when composing). */
  subject?: string;
  /** The mail answered, when fixed at creation (auto-replies). */
  inReplyTo?: string | null;
  references?: string[];
  /** The support account to send from, when fixed at creation. */
  accountId?: number;
  /** Copies the agent added in the composer (validated addresses). */
  cc?: string[];
  /** Files the agent attached: their bytes are in the attachment store under `sha256`. */
  attachments?: OutboxAttachment[];
}

export interface OutboxAttachment {
  sha256: string;
  filename: string;
  /** As read from the bytes when the reply was stored. */
  contentType: string;
  size: number;
}

export interface OutboxRow {
  id: number;
  idempotencyKey: string;
  eventId: number;
  caseId: number | null;
  channel: Channel;
  payload: OutboxPayload;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  /** The English sentence of why it is not delivered yet; lastErrorText: its catalog key and params, when it has one. */
  lastError: string | null;
  lastErrorText: StoredSentence | null;
  messageId: string | null;
  createdAt: number;
  updatedAt: number;
  deliveredAt: number | null;
}

/** An outbox row as SQLite returns it (hubLocalStore claims hub-channel rows with its own SQL). */
export interface OutboxDbRow {
  id: number;
  idempotency_key: string;
  event_id: number;
  case_id: number | null;
  channel: Channel;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  message_id: string | null;
  created_at: number;
  updated_at: number;
  delivered_at: number | null;
}

function lastErrorOf(stored: string | null): { lastError: string | null; lastErrorText: StoredSentence | null } {
  const { message, text } = readStoredText(stored);
  return { lastError: message, lastErrorText: text };
}

/** A stored row as the workers see it; a restricted channel's sealed payload is opened with the database's sealer. */
export function toOutboxRow(r: OutboxDbRow, db: Db): OutboxRow {
  return {
    id: r.id,
    idempotencyKey: r.idempotency_key,
    eventId: r.event_id,
    caseId: r.case_id,
    channel: r.channel,
    payload: JSON.parse(openStored(db, r.payload)) as OutboxPayload,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    ...lastErrorOf(r.last_error),
    messageId: r.message_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deliveredAt: r.delivered_at,
  };
}

/** Everything an outgoing email is built from (see composeEmail in email/smtpSender.ts). */
export interface EmailContext {
  row: OutboxRow;
  account: { id: number; name: string; address: string; sentFolder: string; sentCopy: 'append' | 'server' };
  /** The customer's address, null when the case has none. */
  to: string | null;
  /** The case subject (or the fixed one of the payload). */
  subject: string;
  caseId: number | null;
  inReplyTo: string | null;
  references: string[];
}

interface AccountRow {
  id: number;
  name: string;
  address: string;
  sent_folder: string;
  sent_copy: string;
}

/** References kept at most (the first one and the newest), as mail clients do. */
const MAX_REFERENCES = 20;

/** A row of some earlier reply of the same case and channel that has not gone out yet. */
export const EARLIER_PENDING = `EXISTS (SELECT 1 FROM outbox p WHERE p.case_id = o.case_id AND p.channel = o.channel AND p.id < o.id
  AND p.status IN ('queued', 'sending'))`;

export class OutboxStore {
  private readonly s: Record<string, Statement>;

  constructor(readonly db: Db) {
    const sqlByName: Record<string, string> = {
      byId: `SELECT * FROM outbox WHERE id = ?`,
      byEvent: `SELECT * FROM outbox WHERE event_id = ?`,
      nextDue: `SELECT o.* FROM outbox o WHERE o.status = 'queued' AND o.channel = @channel AND o.next_attempt_at <= @now
        AND NOT ${EARLIER_PENDING} ORDER BY o.next_attempt_at, o.id LIMIT 1`,
      nextDueAt: `SELECT min(o.next_attempt_at) AS at FROM outbox o WHERE o.status = 'queued' AND o.channel = @channel AND NOT ${EARLIER_PENDING}`,
      markSending: `UPDATE outbox SET status = 'sending', attempts = attempts + 1, updated_at = @now WHERE id = @id AND status = 'queued'`,
      inSending: `SELECT * FROM outbox WHERE status = 'sending' AND channel = ? ORDER BY id`,
      delivered: `UPDATE outbox SET status = 'delivered', delivered_at = @now, last_error = NULL, updated_at = @now WHERE id = @id`,
      requeue: `UPDATE outbox SET status = 'queued', next_attempt_at = @at, last_error = @error, updated_at = @now WHERE id = @id`,
      failed: `UPDATE outbox SET status = 'failed', last_error = @error, updated_at = @now WHERE id = @id`,
      retry: `UPDATE outbox SET status = 'queued', next_attempt_at = @now, last_error = NULL, attempts = 0, updated_at = @now
        WHERE id = @id AND status = 'failed'`,
      noteError: `UPDATE outbox SET last_error = @error, updated_at = @now WHERE id = @id`,

      caseOf: `SELECT c.id, c.subject, c.customer_id FROM cases c WHERE c.id = ?`,
      lastInbound: `SELECT m.account_id, m.message_id, m.references_json, m.from_address FROM mail_messages m JOIN events e ON e.id = m.event_id
        WHERE e.case_id = ? AND e.direction = 'in' AND m.quarantined_reason IS NULL ORDER BY e.occurred_at DESC, m.id DESC LIMIT 1`,
      customerEmail: `SELECT value FROM identities WHERE customer_id = ? AND kind = 'email' ORDER BY verified DESC, last_seen_at DESC LIMIT 1`,
      account: `SELECT id, name, address, sent_folder, sent_copy FROM mail_accounts WHERE id = ?`,
      firstAccount: `SELECT id, name, address, sent_folder, sent_copy FROM mail_accounts ORDER BY id LIMIT 1`,

      lastAutoReply: `SELECT last_sent_at FROM auto_reply_senders WHERE address = ?`,
      setAutoReply: `INSERT INTO auto_reply_senders (address, last_sent_at) VALUES (@address, @at)
        ON CONFLICT(address) DO UPDATE SET last_sent_at = excluded.last_sent_at`,
      insertEvent: `INSERT INTO events (case_id, customer_id, channel, direction, kind, author_type, author_id, author_name, subject, body,
          metadata, external_id, occurred_at, created_at)
        VALUES (@caseId, @customerId, 'email', 'out', 'message', 'system', NULL, @authorName, @subject, @body, @metadata, @messageId, @now, @now)`,
      insertOutbox: `INSERT INTO outbox (idempotency_key, event_id, case_id, channel, payload, status, next_attempt_at, created_at, updated_at, message_id)
        VALUES (@key, @eventId, @caseId, 'email', @payload, 'queued', @now, @now, @now, @messageId)`,
      outboxByKey: `SELECT * FROM outbox WHERE idempotency_key = ?`,
    };
    this.s = lazyStatements(db, sqlByName);
  }

  get(id: number): OutboxRow | null {
    const r = this.s.byId!.get(id) as OutboxDbRow | undefined;
    return r ? toOutboxRow(r, this.db) : null;
  }

  forEvent(eventId: number): OutboxRow | null {
    const r = this.s.byEvent!.get(eventId) as OutboxDbRow | undefined;
    return r ? toOutboxRow(r, this.db) : null;
  }

  /**
   * Takes the next due row of the channel and marks it 'sending' in one transaction: the oldest
   * due first, and never a row while an earlier one of its case (same channel) is still to go.
   */
  claimNext(channel: Channel, now: number): OutboxRow | null {
    return this.db.transaction(() => {
      const r = this.s.nextDue!.get({ channel, now }) as OutboxDbRow | undefined;
      if (!r) return null;
      if (this.s.markSending!.run({ id: r.id, now }).changes !== 1) return null;
      return toOutboxRow({ ...r, status: 'sending', attempts: r.attempts + 1, updated_at: now }, this.db);
    })();
  }

  /** When the next row of the channel becomes due (it may be now or past); null when none waits. */
  nextDueAt(channel: Channel): number | null {
    return (this.s.nextDueAt!.get({ channel }) as { at: number | null }).at;
  }

  /** Rows left in 'sending': at start, those a crash interrupted mid-send. */
  inSending(channel: Channel): OutboxRow[] {
    return (this.s.inSending!.all(channel) as OutboxDbRow[]).map((r) => toOutboxRow(r, this.db));
  }

  markDelivered(id: number, now: number): void {
    this.s.delivered!.run({ id, now });
  }

  /** Back to the queue, due at `at`, with the sentence the timeline shows (null: none). */
  requeue(id: number, at: number, error: string | Said | StoredReason | null, now: number): void {
    this.s.requeue!.run({ id, at, error: storedText(error), now });
  }

  markFailed(id: number, error: string | Said | StoredReason, now: number): void {
    this.s.failed!.run({ id, error: storedText(error), now });
  }

  /** Keeps the row where it is and records why it is stuck (e.g. the Sent folder could not be checked). */
  noteError(id: number, error: string | Said, now: number): void {
    this.s.noteError!.run({ id, error: storedText(error), now });
  }

  /** The UI's retry of a failed row: due now, attempts start over. False when the row is not 'failed'. */
  retry(id: number, now: number): boolean {
    return this.s.retry!.run({ id, now }).changes === 1;
  }

  /** What the email of an outbox row is composed from; null when no support account exists. */
  /** The account a reply goes out from: the one named, else the one the case's last mail came in to, else the first. */
  private senderAccount(accountId: number | undefined, lastInboundAccountId: number | undefined): AccountRow | undefined {
    const named = accountId !== undefined ? this.s.account!.get(accountId) : lastInboundAccountId !== undefined ? this.s.account!.get(lastInboundAccountId) : undefined;
    return (named ?? this.s.firstAccount!.get()) as AccountRow | undefined;
  }

  /**
   * The domain of the support address a reply on this case goes out from (`support.example` of
   * `help@support.example`), for the reply's Message-ID; null when no mail account exists.
   */
  senderDomain(caseId: number | null, accountId?: number): string | null {
    const last = caseId !== null ? (this.s.lastInbound!.get(caseId) as { account_id: number } | undefined) : undefined;
    const address = this.senderAccount(accountId, last?.account_id)?.address ?? '';
    const at = address.lastIndexOf('@');
    const domain = at >= 0 ? address.slice(at + 1).trim().toLowerCase() : '';
    return domain !== '' ? domain : null;
  }

  emailContext(row: OutboxRow): EmailContext | null {
    const p = row.payload;
    const stored = row.caseId !== null ? (this.s.caseOf!.get(row.caseId) as { id: number; subject: string; customer_id: number } | undefined) : undefined;
    const kase = stored ? { ...stored, subject: openStored(this.db, stored.subject) } : undefined;
    const last = row.caseId !== null
      ? (this.s.lastInbound!.get(row.caseId) as { account_id: number; message_id: string | null; references_json: string; from_address: string | null } | undefined)
      : undefined;
    const account = this.senderAccount(p.accountId, last?.account_id);
    if (!account) return null;

    let inReplyTo: string | null;
    let references: string[];
    if (p.inReplyTo !== undefined || p.references !== undefined) {
      inReplyTo = p.inReplyTo ?? null;
      references = p.references ?? [];
    } else {
      inReplyTo = last?.message_id ? normalizeMessageId(last.message_id) : null;
      references = last ? [...(JSON.parse(last.references_json) as string[]), ...(inReplyTo ? [inReplyTo] : [])] : [];
    }
    references = [...new Set(references.map(normalizeMessageId).filter((id) => id !== ''))];
    if (references.length > MAX_REFERENCES) references = [references[0]!, ...references.slice(-(MAX_REFERENCES - 1))];

    const customerEmail = kase ? (this.s.customerEmail!.get(kase.customer_id) as { value: string } | undefined)?.value : undefined;
    return {
      row,
      account: { id: account.id, name: account.name, address: account.address, sentFolder: account.sent_folder, sentCopy: account.sent_copy === 'server' ? 'server' : 'append' },
      to: p.to ?? last?.from_address ?? customerEmail ?? null,
      subject: p.subject ?? kase?.subject ?? '',
      caseId: row.caseId,
      inReplyTo,
      references,
    };
  }

  // ---------------------------------------------------------------- auto-responder

  lastAutoReplyAt(address: string): number | null {
    return (this.s.lastAutoReply!.get(address.trim().toLowerCase()) as { last_sent_at: number } | undefined)?.last_sent_at ?? null;
  }

  /**
   * Queues an automatic answer (a system event + its outbox row) and remembers the sender, in one
   * transaction; the same key (the answered mail) never queues twice. Does not touch the case's
   * response clocks: an automatic answer is no first response.
   */
  enqueueAutoReply(input: {
    idempotencyKey: string;
    caseId: number;
    customerId: number;
    to: string;
    subject: string;
    body: string;
    inReplyTo: string | null;
    references: string[];
    accountId: number;
    now: number;
    authorName?: string;
    messageIdDomain?: string;
  }): OutboxRow {
    return this.db.transaction(() => {
      const existing = this.s.outboxByKey!.get(input.idempotencyKey) as OutboxDbRow | undefined;
      if (existing) return toOutboxRow(existing, this.db);
      const messageId = outgoingMessageId(input.caseId, input.idempotencyKey, input.messageIdDomain ?? this.senderDomain(input.caseId, input.accountId) ?? undefined);
      const eventId = Number(
        this.s.insertEvent!.run({
          caseId: input.caseId,
          customerId: input.customerId,
          authorName: input.authorName ?? 'Auto-reply',
          subject: sealForChannel(this.db, 'email', input.subject),
          body: sealForChannel(this.db, 'email', input.body),
          metadata: sealForChannel(this.db, 'email', JSON.stringify({ autoReply: true, messageId })),
          messageId,
          now: input.now,
        }).lastInsertRowid,
      );
      const payload: OutboxPayload = {
        body: input.body,
        autoReply: true,
        to: input.to,
        subject: input.subject,
        inReplyTo: input.inReplyTo,
        references: input.references,
        accountId: input.accountId,
      };
      const id = Number(
        this.s.insertOutbox!.run({ key: input.idempotencyKey, eventId, caseId: input.caseId, payload: sealForChannel(this.db, 'email', JSON.stringify(payload)), now: input.now, messageId }).lastInsertRowid,
      );
      this.s.setAutoReply!.run({ address: input.to.trim().toLowerCase(), at: input.now });
      return this.get(id)!;
    })();
  }
}
