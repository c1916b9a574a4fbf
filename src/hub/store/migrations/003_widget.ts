// Hub schema 3: the widget tables. A widget conversation knows its visitor and org; resume tokens
// are stored only as SHA-256 hashes (several per conversation: one per device or lost ack);
// uploads are files on disk named by a random id, bound to a conversation once sent.
export const migration003 = {
  version: 3,
  name: 'widget',
  sql: /* sql */ `
CREATE TABLE widget_conversations (
  conversation_id INTEGER PRIMARY KEY,
  thread_key      TEXT NOT NULL,
  org             TEXT NOT NULL,
  visitor_id      TEXT NOT NULL,
  channel         TEXT NOT NULL CHECK (channel IN ('chat', 'in_app')),
  account_id      TEXT,
  created_at      INTEGER NOT NULL,
  csat_at         INTEGER
);
CREATE INDEX widget_conversations_visitor ON widget_conversations (visitor_id);

CREATE TABLE widget_tokens (
  token_hash      TEXT PRIMARY KEY,
  conversation_id INTEGER NOT NULL REFERENCES widget_conversations (conversation_id),
  created_at      INTEGER NOT NULL
);
CREATE INDEX widget_tokens_conversation ON widget_tokens (conversation_id);

CREATE TABLE widget_uploads (
  id              TEXT PRIMARY KEY,
  org             TEXT NOT NULL,
  visitor_id      TEXT NOT NULL,
  conversation_id INTEGER REFERENCES widget_conversations (conversation_id),
  name            TEXT NOT NULL,
  content_type    TEXT NOT NULL,
  size            INTEGER NOT NULL,
  sha256          TEXT NOT NULL,
  created_at      INTEGER NOT NULL
);
CREATE INDEX widget_uploads_conversation ON widget_uploads (conversation_id);
`,
};
