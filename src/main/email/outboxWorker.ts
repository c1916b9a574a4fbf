// Drains the email outbox: claims a due row (marked 'sending' in a transaction), sends it, and
// marks it delivered, or back to 'queued' with capped exponential backoff + jitter and a human
// reason, or 'failed' on a permanent (5xx) refusal. One send at a time, so a case's replies leave
// in the order they were written. A row found in 'sending' at start was interrupted by a crash:
// the Sent folder is searched for its Message-ID first, and only a message not found is sent again.
import type { DeliveryStatus } from '../../shared/domain';
import { say, type Said } from '../../shared/serverErrors';
import { durationParts } from '../../shared/serverSentences';
import type { StoredReason } from '../../shared/storedSentence';
import type { OutboxRow, OutboxStore } from '../store/outboxStore';
import { buildRawEmail, composeEmail, describeSmtpError, type OutgoingEmail, type SendFailure } from './smtpSender';

export interface OutboxWorkerOptions {
  store: OutboxStore;
  /** Sends the bytes over SMTP; rejects with the SMTP error (see createSmtpSender). */
  send: (email: OutgoingEmail, raw: Buffer) => Promise<void>;
  /** Turns a send error into a sentence and whether retrying can help. Default: describeSmtpError. */
  describeError?: (err: unknown, email: OutgoingEmail) => SendFailure;
  /**
   * Keeps a copy in the Sent folder after a send. null/absent: never. Skipped for an account whose
   * server files sent mail itself (sentCopy 'server': Gmail, Microsoft 365); findInSent still runs.
   */
  appendToSent?: ((email: OutgoingEmail, raw: Buffer) => Promise<void>) | null;
  /**
   * The bytes of an attached file by its SHA-256, checked against it; null when the file is gone
   * or damaged (the reply then fails with a sentence naming the file). Required for rows with files.
   */
  readAttachment?: ((sha256: string) => Promise<Buffer | null>) | null;
  /** Whether the Sent folder holds this Message-ID. Absent: an interrupted send is simply sent again. */
  findInSent?: ((email: OutgoingEmail) => Promise<boolean>) | null;
  now?: () => number;
  random?: () => number;
  backoff?: { initialMs?: number; maxMs?: number };
  /** Longest sleep between passes (rows added without kick() are still found). Default 60 s. */
  pollMs?: number;
  /** threading's messageIdDomain, for rows stored without a Message-ID. */
  messageIdDomain?: string;
  log?: (line: string) => void;
  /** A reply's delivery status changed (the core emits the timeline update). */
  onChange?: (eventId: number, status: DeliveryStatus, row: OutboxRow) => void;
}

export interface OutboxWorker {
  /** Recovers rows left in 'sending', then drains the queue; keeps running until stop(). */
  start(): void;
  /** Stops after the send in progress (never abandons one halfway). */
  stop(): Promise<void>;
  /** Look at the queue now (a reply was stored, the network came back). */
  kick(): void;
  /** The UI's retry of a failed reply: queued again, due now. False when it was not failed. */
  retry(outboxId: number): boolean;
  /** Resolves when no pass is running (tests). */
  idle(): Promise<void>;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

/** "40 s", "2 min", "3 h": how long until the next attempt. */
export function inWords(ms: number): string {
  const { unit, n } = durationParts(ms);
  return `${n} ${unit}`;
}

/** "<reason>; retrying in 2 min", with the reason's own key (an SMTP failure's) nested when it has one. */
function retrying(failure: SendFailure, delay: number): Said | StoredReason {
  const sentence = say('deliveryRetrying', { reason: failure.message, delay });
  return failure.said ? { said: sentence, nested: { reason: failure.said } } : sentence;
}

/** The delay before attempt `attempts + 1`: initial·2^(attempts−1), ±20 % jitter, capped. */
export function backoffDelay(attempts: number, random: () => number, initialMs = 30 * SECOND, maxMs = 30 * MINUTE): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(Math.min(maxMs, base * (0.8 + 0.4 * random())));
}

export function createOutboxWorker(o: OutboxWorkerOptions): OutboxWorker {
  const now = o.now ?? Date.now;
  const random = o.random ?? Math.random;
  const log = o.log ?? (() => undefined);
  const describe = o.describeError ?? ((err: unknown) => describeSmtpError(err));
  const pollMs = o.pollMs ?? MINUTE;
  const initialMs = o.backoff?.initialMs ?? 30 * SECOND;
  const maxMs = o.backoff?.maxMs ?? 30 * MINUTE;

  let started = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pass: Promise<void> | null = null;
  let again = false;
  /** Rows found in 'sending' at start whose fate is not known yet, with how often checking failed. */
  const unverified = new Map<number, number>();
  let verifyAt = 0;

  const changed = (row: OutboxRow, status: DeliveryStatus) => {
    try {
      o.onChange?.(row.eventId, status, row);
    } catch (err) {
      log(`outbox: onChange failed: ${(err as Error).message}`);
    }
  };

  const compose = (row: OutboxRow): OutgoingEmail | null => {
    const ctx = o.store.emailContext(row);
    const composed = ctx
      ? composeEmail(ctx, o.messageIdDomain !== undefined ? { messageIdDomain: o.messageIdDomain } : {})
      : ({ ok: false, reason: say('deliveryNoAccount').message, said: say('deliveryNoAccount') } as const);
    if (composed.ok) return composed.email;
    o.store.markFailed(row.id, composed.said ?? composed.reason, now());
    changed(row, 'failed');
    log(`outbox ${row.id}: ${composed.reason}`);
    return null;
  };

  /** Sends a row already marked 'sending' and records the outcome. */
  const deliver = async (row: OutboxRow, email: OutgoingEmail): Promise<void> => {
    const files: Buffer[] = [];
    for (const a of email.attachments) {
      const content = o.readAttachment ? await o.readAttachment(a.sha256) : null;
      if (!content) {
        // Sending again cannot bring the file back: failed until the agent removes it and replies again.
        const reason = say('deliveryFileGoneEmail', { name: a.filename });
        o.store.markFailed(row.id, reason, now());
        log(`outbox ${row.id}: ${reason.message}`);
        changed(row, 'failed');
        return;
      }
      files.push(content);
    }
    const raw = await buildRawEmail(email, files);
    try {
      await o.send(email, raw);
    } catch (err) {
      const failure = describe(err, email);
      if (failure.permanent) {
        o.store.markFailed(row.id, failure.said ?? failure.message, now());
        log(`outbox ${row.id}: failed: ${failure.message}`);
        changed(row, 'failed');
      } else {
        const delay = backoffDelay(row.attempts, random, initialMs, maxMs);
        o.store.requeue(row.id, now() + delay, retrying(failure, delay), now());
        log(`outbox ${row.id}: ${failure.message}; retrying in ${delay} ms`);
        changed(row, 'queued');
      }
      return;
    }
    // Delivered is recorded right after the server's 250 (a synchronous write): the window in which
    // a crash leaves a sent message in 'sending' is as short as it can be.
    o.store.markDelivered(row.id, now());
    changed(row, 'delivered');
    if (o.appendToSent && email.sentCopy !== 'server') {
      try {
        await o.appendToSent(email, raw);
      } catch (err) {
        log(`outbox ${row.id}: delivered, but keeping a copy in ${email.sentFolder} failed: ${(err as Error).message}`);
      }
    }
  };

  /** A row a crash left in 'sending': delivered if the Sent folder has it, else sent again. */
  const recover = async (row: OutboxRow): Promise<void> => {
    const email = compose(row);
    if (!email) {
      unverified.delete(row.id);
      return;
    }
    if (o.findInSent) {
      let found: boolean;
      try {
        found = await o.findInSent(email);
      } catch (err) {
        const failures = (unverified.get(row.id) ?? 0) + 1;
        unverified.set(row.id, failures);
        const delay = backoffDelay(failures, random, initialMs, maxMs);
        verifyAt = now() + delay;
        o.store.noteError(row.id, say('deliverySentCheck', { reason: (err as Error).message, delay }), now());
        return;
      }
      unverified.delete(row.id);
      if (found) {
        log(`outbox ${row.id}: found ${email.messageId} in ${email.sentFolder}; not sending it again`);
        o.store.markDelivered(row.id, now());
        changed(row, 'delivered');
        return;
      }
    } else {
      unverified.delete(row.id);
    }
    log(`outbox ${row.id}: interrupted send not found in the Sent folder; sending again`);
    await deliver(row, email);
  };

  const runPass = async (): Promise<void> => {
    if (unverified.size > 0 && now() >= verifyAt) {
      for (const id of [...unverified.keys()].sort((a, b) => a - b)) {
        if (!started) return;
        const row = o.store.get(id);
        if (!row || row.status !== 'sending') {
          unverified.delete(id);
          continue;
        }
        await recover(row);
      }
    }
    while (started) {
      const row = o.store.claimNext('email', now());
      if (!row) break;
      changed(row, 'sending');
      const email = compose(row);
      if (email) await deliver(row, email);
    }
  };

  const schedule = () => {
    if (!started) return;
    if (timer) clearTimeout(timer);
    let delay = pollMs;
    const due = o.store.nextDueAt('email');
    if (due !== null) delay = Math.min(delay, Math.max(0, due - now()));
    if (unverified.size > 0) delay = Math.min(delay, Math.max(0, verifyAt - now()));
    timer = setTimeout(kick, delay);
    timer.unref?.();
  };

  function kick(): void {
    if (!started) return;
    if (pass) {
      again = true;
      return;
    }
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    pass = (async () => {
      do {
        again = false;
        try {
          await runPass();
        } catch (err) {
          log(`outbox: pass failed: ${(err as Error).message}`);
        }
      } while (again && started);
    })().finally(() => {
      pass = null;
      schedule();
    });
  }

  return {
    start() {
      if (started) return;
      started = true;
      for (const row of o.store.inSending('email')) unverified.set(row.id, 0);
      verifyAt = 0;
      kick();
    },
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await pass;
    },
    kick,
    retry(outboxId) {
      const ok = o.store.retry(outboxId, now());
      if (ok) {
        const row = o.store.get(outboxId);
        if (row) changed(row, 'queued');
        kick();
      }
      return ok;
    },
    async idle() {
      while (pass) await pass;
    },
  };
}
