// Every SQL statement of the widget module: which conversations are widget chats (and whose),
// resume tokens by hash, uploads and their binding to a conversation. No I/O beyond SQLite.
import type { Db } from '../../platform/sqlite';

export interface WidgetConversationRow {
  conversationId: number;
  threadKey: string;
  org: string;
  visitorId: string;
  channel: 'chat' | 'in_app';
  accountId: string | null;
  createdAt: number;
  csatAt: number | null;
}

export interface UploadRow {
  id: string;
  org: string;
  visitorId: string;
  conversationId: number | null;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  createdAt: number;
}

interface ConversationSql {
  conversation_id: number;
  thread_key: string;
  org: string;
  visitor_id: string;
  channel: 'chat' | 'in_app';
  account_id: string | null;
  created_at: number;
  csat_at: number | null;
}

interface UploadSql {
  id: string;
  org: string;
  visitor_id: string;
  conversation_id: number | null;
  name: string;
  content_type: string;
  size: number;
  sha256: string;
  created_at: number;
}

const toConversation = (r: ConversationSql): WidgetConversationRow => ({
  conversationId: r.conversation_id,
  threadKey: r.thread_key,
  org: r.org,
  visitorId: r.visitor_id,
  channel: r.channel,
  accountId: r.account_id,
  createdAt: r.created_at,
  csatAt: r.csat_at,
});

const toUpload = (r: UploadSql): UploadRow => ({
  id: r.id,
  org: r.org,
  visitorId: r.visitor_id,
  conversationId: r.conversation_id,
  name: r.name,
  contentType: r.content_type,
  size: r.size,
  sha256: r.sha256,
  createdAt: r.created_at,
});

export type WidgetStore = ReturnType<typeof createWidgetStore>;

export function createWidgetStore(db: Db) {
  const s = {
    conversation: db.prepare<[number], ConversationSql>('SELECT * FROM widget_conversations WHERE conversation_id = ?'),
    insertConversation: db.prepare(
      `INSERT OR IGNORE INTO widget_conversations (conversation_id, thread_key, org, visitor_id, channel, account_id, created_at)
       VALUES (@conversationId, @threadKey, @org, @visitorId, @channel, @accountId, @createdAt)`,
    ),
    markCsat: db.prepare('UPDATE widget_conversations SET csat_at = ? WHERE conversation_id = ? AND csat_at IS NULL'),
    clearCsat: db.prepare('UPDATE widget_conversations SET csat_at = NULL WHERE conversation_id = ?'),
    insertToken: db.prepare('INSERT INTO widget_tokens (token_hash, conversation_id, created_at) VALUES (?, ?, ?)'),
    tokenConversation: db.prepare<[string], { conversation_id: number }>('SELECT conversation_id FROM widget_tokens WHERE token_hash = ?'),
    insertUpload: db.prepare(
      `INSERT INTO widget_uploads (id, org, visitor_id, conversation_id, name, content_type, size, sha256, created_at)
       VALUES (@id, @org, @visitorId, NULL, @name, @contentType, @size, @sha256, @createdAt)`,
    ),
    upload: db.prepare<[string], UploadSql>('SELECT * FROM widget_uploads WHERE id = ?'),
    bindUpload: db.prepare('UPDATE widget_uploads SET conversation_id = ? WHERE id = ? AND conversation_id IS NULL'),
  };

  return {
    conversation(conversationId: number): WidgetConversationRow | null {
      const row = s.conversation.get(conversationId);
      return row ? toConversation(row) : null;
    },
    /** Idempotent: a conversation found again through a resent message keeps its first row. */
    recordConversation(row: Omit<WidgetConversationRow, 'csatAt'>): void {
      s.insertConversation.run(row);
    },
    /** True the first time only: one rating per conversation. */
    markCsat(conversationId: number, at: number): boolean {
      return s.markCsat.run(at, conversationId).changes === 1;
    },
    /** A reopened conversation may be rated again when it ends. */
    clearCsat(conversationId: number): void {
      s.clearCsat.run(conversationId);
    },
    addToken(tokenHash: string, conversationId: number, at: number): void {
      s.insertToken.run(tokenHash, conversationId, at);
    },
    conversationForToken(tokenHash: string): number | null {
      return s.tokenConversation.get(tokenHash)?.conversation_id ?? null;
    },
    addUpload(row: Omit<UploadRow, 'conversationId'>): void {
      s.insertUpload.run(row);
    },
    upload(id: string): UploadRow | null {
      const row = s.upload.get(id);
      return row ? toUpload(row) : null;
    },
    bindUploads(ids: readonly string[], conversationId: number): void {
      db.transaction(() => {
        for (const id of ids) s.bindUpload.run(conversationId, id);
      })();
    },
  };
}
