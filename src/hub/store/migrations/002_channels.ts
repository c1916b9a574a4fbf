// Hub schema 2: the SMS and social channels' own tables: opt-outs, archived (filtered) traffic,
// per-sender rate buckets, auto-reply memory and where a conversation's replies go.
export const migration002 = {
  version: 2,
  name: 'channels',
  sql: /* sql */ `
-- An SMS number that replied STOP (or START again); the latest keyword wins.
CREATE TABLE channel_opt_outs (
  channel TEXT NOT NULL,
  address TEXT NOT NULL,
  opted_out INTEGER NOT NULL CHECK (opted_out IN (0, 1)),
  keyword TEXT NOT NULL,
  changed_at INTEGER NOT NULL,
  PRIMARY KEY (channel, address)
) WITHOUT ROWID;

-- Traffic the filter kept away from agents (spam, bots, rate limit): kept whole, never routed.
CREATE TABLE channel_archive (
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL,
  provider_id TEXT,
  sender TEXT NOT NULL,
  reason TEXT NOT NULL,
  detail TEXT NOT NULL,
  payload TEXT NOT NULL,
  received_at INTEGER NOT NULL
);
-- A provider's retry of an archived message is archived once.
CREATE UNIQUE INDEX channel_archive_provider ON channel_archive (channel, provider_id) WHERE provider_id IS NOT NULL;
CREATE INDEX channel_archive_time ON channel_archive (received_at);

CREATE TABLE channel_rate_buckets (
  channel TEXT NOT NULL,
  sender TEXT NOT NULL,
  tokens REAL NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (channel, sender)
) WITHOUT ROWID;

-- The last automatic answer per sender (one per window) and how its delivery went.
CREATE TABLE channel_auto_replies (
  channel TEXT NOT NULL,
  sender TEXT NOT NULL,
  conversation_id INTEGER NOT NULL,
  sent_at INTEGER NOT NULL,
  text TEXT NOT NULL,
  provider_id TEXT,
  status TEXT NOT NULL,
  detail TEXT,
  PRIMARY KEY (channel, sender)
) WITHOUT ROWID;

-- Where replies of a conversation go when its contact address alone does not say it: a public
-- comment is answered by a private reply that names the comment.
CREATE TABLE channel_threads (
  conversation_id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL,
  recipient TEXT NOT NULL,
  comment_id TEXT,
  is_public INTEGER NOT NULL CHECK (is_public IN (0, 1))
);
`,
};
