// Drains the outbox rows of cases that live on the hub (chat, SMS, social, in-app, portal): one
// `send` at a time with the row's idempotency key, so a case's replies leave in order and a resend
// after a lost connection or a crash is stored once by the hub. Offline, rows stay queued; they go
// after the next catch-up. The hub's later `delivery` events are applied by applyHubEvent.
import crypto from 'node:crypto';
import type { DeliveryStatus } from '../../shared/domain';
import { MAX_MESSAGE_TEXT } from '../../shared/hub/agentProtocol';
import type { HubLocalStore } from '../store/hubLocalStore';
import type { OutboxRow, OutboxStore } from '../store/outboxStore';
import { backoffDelay } from '../email/outboxWorker';
import { isServerErrorKey, say } from '../../shared/serverErrors';
import { storedReasonOf } from '../../shared/storedSentence';
import { HubRequestError, type HubClient } from './hubClient';

export interface HubOutboxWorkerOptions {
  hub: string;
  store: HubLocalStore;
  outbox: OutboxStore;
  client: Pick<HubClient, 'request' | 'status'>;
  now?: () => number;
  random?: () => number;
  /** Backoff after a send the hub did not answer in time. Default 5 s doubling to 5 min. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Longest sleep between passes. Default 30 s. */
  pollMs?: number;
  log?: (line: string) => void;
  onChange?: (eventId: number, status: DeliveryStatus, row: OutboxRow) => void;
  /** The bytes of an attached file by its SHA-256 (checked), null when gone; needed for rows with files. */
  readAttachment?: (sha256: string) => Promise<Buffer | null>;
  /** Uploads one file for a hub conversation; resolves with the hub's upload id (see uploadToHub). */
  upload?: (conversationId: number, file: { name: string; contentType: string; content: Buffer }) => Promise<string>;
}

/** The hub answered an upload with a refusal (4xx): sending again cannot help. */
export class HubUploadRefused extends Error {}

export interface HubOutboxWorker {
  /** Puts rows a crash left in 'sending' back in the queue (the hub dedupes them by key), then drains. */
  start(): void;
  stop(): Promise<void>;
  /** Look now (a reply was stored, the hub came back). */
  kick(): void;
  idle(): Promise<void>;
}

const KEY = /^[A-Za-z0-9._:-]{8,120}$/;
/** Transport trouble, not a refusal: the row waits for the connection. */
const TRANSPORT = new Set(['hub/offline', 'hub/disconnected']);

/**
 * The key the hub sees: the row's own when the protocol accepts its characters, else a digest of it;
 * with `.rN` after N failed deliveries, so a retry after the hub gave up is a new message for it.
 */
export function hubSendKey(idempotencyKey: string, failedDeliveries = 0): string {
  const base = KEY.test(idempotencyKey) ? idempotencyKey : `k.${crypto.createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 43)}`;
  return failedDeliveries > 0 ? `${base}.r${failedDeliveries}` : base;
}

export function createHubOutboxWorker(o: HubOutboxWorkerOptions): HubOutboxWorker {
  const now = o.now ?? Date.now;
  const random = o.random ?? Math.random;
  const log = o.log ?? (() => undefined);
  const initialMs = o.backoff?.initialMs ?? 5_000;
  const maxMs = o.backoff?.maxMs ?? 5 * 60_000;
  const pollMs = o.pollMs ?? 30_000;
  let started = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pass: Promise<void> | null = null;
  let again = false;

  const changed = (row: OutboxRow, status: DeliveryStatus) => {
    try {
      o.onChange?.(row.eventId, status, row);
    } catch (err) {
      log(`hub outbox: onChange failed: ${(err as Error).message}`);
    }
  };

  /** Sends one claimed row; false when the connection is gone (the pass ends). */
  const deliver = async (row: OutboxRow): Promise<boolean> => {
    const link = row.caseId !== null ? o.store.conversationOfCase(o.hub, row.caseId) : null;
    if (!link) {
      o.outbox.requeue(row.id, now(), null, now());
      changed(row, 'queued');
      return true;
    }
    const text = row.payload.body;
    if (text.length > MAX_MESSAGE_TEXT) {
      const why = say('deliveryTooLong', { length: text.length, channel: link.channel, max: MAX_MESSAGE_TEXT });
      o.outbox.markFailed(row.id, why, now());
      changed(row, 'failed');
      return true;
    }
    const failedDeliveries = o.store.hubOutbox(row.id)?.failedDeliveries ?? 0;
    // Files first: each upload is bound to the conversation on the hub; the message then names them.
    // A retry uploads again (an unsent upload is only an unused file on the hub), never sends twice.
    const uploads: string[] = [];
    for (const file of row.payload.attachments ?? []) {
      const content = o.readAttachment ? await o.readAttachment(file.sha256) : null;
      if (!content || !o.upload) {
        o.outbox.markFailed(row.id, say('deliveryFileGone', { name: file.filename }), now());
        changed(row, 'failed');
        return true;
      }
      try {
        uploads.push(await o.upload(link.conversationId, { name: file.filename, contentType: file.contentType, content }));
      } catch (err) {
        if (err instanceof HubUploadRefused) {
          o.outbox.markFailed(row.id, say('deliveryFileRefused', { name: file.filename, reason: err.message }), now());
          changed(row, 'failed');
          return true;
        }
        const delay = backoffDelay(row.attempts, random, initialMs, maxMs);
        o.outbox.requeue(row.id, now() + delay, say('deliveryUploadRetrying', { name: file.filename, reason: (err as Error).message, delay }), now());
        changed(row, 'queued');
        return true;
      }
    }
    try {
      const result = await o.client.request({
        type: 'send',
        idempotencyKey: hubSendKey(row.idempotencyKey, failedDeliveries),
        conversationId: link.conversationId,
        text,
        ...(uploads.length ? { uploads } : {}),
      });
      o.store.transaction(() => {
        o.store.mapMessage(o.hub, result.message.id, row.eventId);
        o.store.recordHubDelivery(o.hub, row.id, result.message.id, result.message.delivery ?? 'stored', result.message.deliveryDetail, now());
        if (result.message.delivery === 'failed') {
          // The hub's reason with its key when it kept one (the timeline shows it in the agent's language).
          const keyed = storedReasonOf(result.message.deliveryDetail, result.message.deliveryDetailText);
          o.outbox.markFailed(row.id, keyed ?? result.message.deliveryDetail ?? say('deliveryHubFailed'), now());
        }
        else o.outbox.markDelivered(row.id, now());
      });
      changed(row, result.message.delivery === 'failed' ? 'failed' : 'delivered');
      if (result.duplicate) log(`hub outbox ${row.id}: the hub had it already (sent before a lost connection); not stored twice`);
      return true;
    } catch (err) {
      const e = err instanceof HubRequestError ? err : new HubRequestError('internal', (err as Error).message);
      if (TRANSPORT.has(e.code)) {
        o.outbox.requeue(row.id, now(), say('deliveryWaitingForHub'), now());
        changed(row, 'queued');
        return false;
      }
      if (e.code === 'hub/timeout') {
        // Maybe stored, maybe not: the same key makes the next try safe either way.
        const delay = backoffDelay(row.attempts, random, initialMs, maxMs);
        o.outbox.requeue(row.id, now() + delay, say('deliveryHubSilent', { delay }), now());
        changed(row, 'queued');
        return true;
      }
      o.outbox.markFailed(row.id, e.key !== undefined && e.params !== undefined && isServerErrorKey(e.key) ? { key: e.key, params: e.params, message: e.message } : e.message, now());
      log(`hub outbox ${row.id}: refused: ${e.code}: ${e.message}`);
      changed(row, 'failed');
      return true;
    }
  };

  const runPass = async () => {
    while (started && o.client.status().state === 'online') {
      const row = o.store.claimNext(o.hub, now());
      if (!row) return;
      changed(row, 'sending');
      if (!(await deliver(row))) return;
    }
  };

  const schedule = () => {
    if (!started) return;
    if (timer) clearTimeout(timer);
    let delay = pollMs;
    const due = o.store.nextDueAt(o.hub);
    if (due !== null && o.client.status().state === 'online') delay = Math.min(delay, Math.max(0, due - now()));
    timer = setTimeout(kick, delay);
    timer.unref?.();
  };

  function kick(): void {
    if (!started) return;
    if (pass) {
      again = true;
      return;
    }
    if (timer) clearTimeout(timer);
    timer = null;
    pass = (async () => {
      do {
        again = false;
        try {
          await runPass();
        } catch (err) {
          log(`hub outbox: pass failed: ${(err as Error).message}`);
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
      for (const row of o.store.inSending(o.hub)) {
        o.outbox.requeue(row.id, now(), null, now());
        changed(row, 'queued');
      }
      kick();
    },
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await pass;
    },
    kick,
    async idle() {
      while (pass) await pass;
    },
  };
}
