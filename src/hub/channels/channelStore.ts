// Every SQL statement of the SMS and social channels: opt-outs, the archive of filtered traffic,
// per-sender rate buckets, auto-reply memory and reply routes. No I/O beyond the SQLite file.
import type { Channel } from '../../shared/domain';
import type { Db } from '../../platform/sqlite';

export interface OptOut {
  optedOut: boolean;
  keyword: string;
  changedAt: number;
}

export interface ArchivedMessage {
  id: number;
  channel: Channel;
  providerId: string | null;
  sender: string;
  reason: string;
  detail: string;
  payload: string;
  receivedAt: number;
}

export interface ThreadRoute {
  conversationId: number;
  channel: Channel;
  /** Whom replies are addressed to: the phone number, PSID / IGSID, X user id. */
  recipient: string;
  /** A public comment answered by a private reply (Meta's `recipient.comment_id`). */
  commentId: string | null;
  isPublic: boolean;
}

/**
 * pending: claimed, not yet handed to the core; stored: the core holds it as a bot message and
 * delivers it (its delivery state is the message's); failed: it could not be stored (`detail`).
 */
export type AutoReplyStatus = 'pending' | 'stored' | 'failed';

export interface AutoReplyRow {
  channel: Channel;
  sender: string;
  conversationId: number;
  sentAt: number;
  text: string;
  status: AutoReplyStatus;
  detail: string | null;
}

export interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class ChannelStore {
  constructor(private readonly db: Db) {}

  optOut(channel: Channel, address: string): OptOut | null {
    const row = this.db
      .prepare('SELECT opted_out AS optedOut, keyword, changed_at AS changedAt FROM channel_opt_outs WHERE channel = ? AND address = ?')
      .get(channel, address) as { optedOut: number; keyword: string; changedAt: number } | undefined;
    return row ? { optedOut: row.optedOut === 1, keyword: row.keyword, changedAt: row.changedAt } : null;
  }

  setOptOut(channel: Channel, address: string, optedOut: boolean, keyword: string, at: number): void {
    this.db
      .prepare(
        `INSERT INTO channel_opt_outs (channel, address, opted_out, keyword, changed_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (channel, address) DO UPDATE SET opted_out = excluded.opted_out, keyword = excluded.keyword, changed_at = excluded.changed_at`,
      )
      .run(channel, address, optedOut ? 1 : 0, keyword, at);
  }

  /** Returns false when the provider already delivered this message once (it is archived once). */
  archive(entry: Omit<ArchivedMessage, 'id'>): boolean {
    const info = this.db
      .prepare(
        `INSERT INTO channel_archive (channel, provider_id, sender, reason, detail, payload, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      )
      .run(entry.channel, entry.providerId, entry.sender, entry.reason, entry.detail, entry.payload, entry.receivedAt);
    return info.changes === 1;
  }

  archived(options: { channel?: Channel; limit?: number } = {}): ArchivedMessage[] {
    const limit = options.limit ?? 100;
    const sql = `SELECT id, channel, provider_id AS providerId, sender, reason, detail, payload, received_at AS receivedAt
                 FROM channel_archive ${options.channel ? 'WHERE channel = ?' : ''} ORDER BY id LIMIT ?`;
    const args = options.channel ? [options.channel, limit] : [limit];
    return this.db.prepare(sql).all(...args) as ArchivedMessage[];
  }

  /**
   * Takes one token from the sender's bucket after refilling it; false when the bucket is empty.
   * One transaction, so two webhooks at once cannot both take the last token.
   */
  takeToken(channel: Channel, sender: string, now: number, refill: (bucket: Bucket | null, now: number) => Bucket): boolean {
    return this.db.transaction(() => {
      const row = this.db
        .prepare('SELECT tokens, updated_at AS updatedAt FROM channel_rate_buckets WHERE channel = ? AND sender = ?')
        .get(channel, sender) as Bucket | undefined;
      const bucket = refill(row ?? null, now);
      const allowed = bucket.tokens >= 1;
      const tokens = allowed ? bucket.tokens - 1 : bucket.tokens;
      this.db
        .prepare(
          `INSERT INTO channel_rate_buckets (channel, sender, tokens, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (channel, sender) DO UPDATE SET tokens = excluded.tokens, updated_at = excluded.updated_at`,
        )
        .run(channel, sender, tokens, bucket.updatedAt);
      return allowed;
    })();
  }

  lastAutoReply(channel: Channel, sender: string): AutoReplyRow | null {
    const row = this.db
      .prepare(
        `SELECT channel, sender, conversation_id AS conversationId, sent_at AS sentAt, text, status, detail
         FROM channel_auto_replies WHERE channel = ? AND sender = ?`,
      )
      .get(channel, sender) as AutoReplyRow | undefined;
    return row ?? null;
  }

  /**
   * Claims the sender's auto-reply for this window: true when none was stored since `windowStart`
   * (the row is written first, so a burst of messages yields one answer, not one per message).
   * An answer that could not be stored does not hold the window.
   */
  claimAutoReply(row: Omit<AutoReplyRow, 'status' | 'detail'>, windowStart: number): boolean {
    const info = this.db
      .prepare(
        `INSERT INTO channel_auto_replies (channel, sender, conversation_id, sent_at, text, provider_id, status, detail)
         VALUES (?, ?, ?, ?, ?, NULL, 'pending', NULL)
         ON CONFLICT (channel, sender) DO UPDATE SET conversation_id = excluded.conversation_id, sent_at = excluded.sent_at,
           text = excluded.text, provider_id = NULL, status = 'pending', detail = NULL
         WHERE channel_auto_replies.sent_at < ? OR channel_auto_replies.status = 'failed'`,
      )
      .run(row.channel, row.sender, row.conversationId, row.sentAt, row.text, windowStart);
    return info.changes === 1;
  }

  autoReplyOutcome(channel: Channel, sender: string, status: Exclude<AutoReplyStatus, 'pending'>, detail: string | null): void {
    this.db.prepare('UPDATE channel_auto_replies SET status = ?, detail = ? WHERE channel = ? AND sender = ?').run(status, detail, channel, sender);
  }

  rememberRoute(route: ThreadRoute): void {
    this.db
      .prepare(
        `INSERT INTO channel_threads (conversation_id, channel, recipient, comment_id, is_public) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (conversation_id) DO UPDATE SET recipient = excluded.recipient, comment_id = excluded.comment_id, is_public = excluded.is_public`,
      )
      .run(route.conversationId, route.channel, route.recipient, route.commentId, route.isPublic ? 1 : 0);
  }

  route(conversationId: number): ThreadRoute | null {
    const row = this.db
      .prepare('SELECT conversation_id AS conversationId, channel, recipient, comment_id AS commentId, is_public AS isPublic FROM channel_threads WHERE conversation_id = ?')
      .get(conversationId) as (Omit<ThreadRoute, 'isPublic'> & { isPublic: number }) | undefined;
    return row ? { ...row, isPublic: row.isPublic === 1 } : null;
  }
}
