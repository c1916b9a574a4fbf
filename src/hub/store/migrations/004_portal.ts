// Hub schema 4: the portal tables. Articles come from Markdown files (`source = 'file'`, replaced
// when the files change) or from the store itself (`source = 'store'`, never touched by a sync);
// views, suggestions, feedback and contacts are keyed by slug so they outlive a re-sync.
export const migration004 = {
  version: 4,
  name: 'portal',
  sql: /* sql */ `
CREATE TABLE portal_articles (
  id          INTEGER PRIMARY KEY,
  slug        TEXT NOT NULL UNIQUE,
  title       TEXT NOT NULL,
  summary     TEXT,
  -- JSON array of strings; the full-text index reads it as words
  tags        TEXT NOT NULL DEFAULT '[]',
  body_md     TEXT NOT NULL,
  body_html   TEXT NOT NULL,
  body_text   TEXT NOT NULL,
  updated_at  INTEGER NOT NULL,
  source      TEXT NOT NULL CHECK (source IN ('file', 'store')),
  source_path TEXT,
  created_at  INTEGER NOT NULL
);

CREATE VIRTUAL TABLE portal_articles_fts USING fts5(
  title, body_text, tags,
  content = 'portal_articles', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2',
  prefix = '2 3'
);

CREATE TRIGGER portal_articles_fts_insert AFTER INSERT ON portal_articles BEGIN
  INSERT INTO portal_articles_fts (rowid, title, body_text, tags) VALUES (new.id, new.title, new.body_text, new.tags);
END;
CREATE TRIGGER portal_articles_fts_delete AFTER DELETE ON portal_articles BEGIN
  INSERT INTO portal_articles_fts (portal_articles_fts, rowid, title, body_text, tags) VALUES ('delete', old.id, old.title, old.body_text, old.tags);
END;
CREATE TRIGGER portal_articles_fts_update AFTER UPDATE ON portal_articles BEGIN
  INSERT INTO portal_articles_fts (portal_articles_fts, rowid, title, body_text, tags) VALUES ('delete', old.id, old.title, old.body_text, old.tags);
  INSERT INTO portal_articles_fts (rowid, title, body_text, tags) VALUES (new.id, new.title, new.body_text, new.tags);
END;

-- The knowledge-base files' hash and problems of the last sync.
CREATE TABLE portal_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE portal_views (
  id         INTEGER PRIMARY KEY,
  visitor_id TEXT NOT NULL,
  slug       TEXT NOT NULL,
  viewed_at  INTEGER NOT NULL
);
CREATE INDEX portal_views_by_time ON portal_views (viewed_at);
CREATE INDEX portal_views_by_visitor ON portal_views (visitor_id, slug, viewed_at);

-- Inbound messages from visitors (metadata.visitorId); one row per hub message.
CREATE TABLE portal_contacts (
  message_id      INTEGER PRIMARY KEY,
  visitor_id      TEXT NOT NULL,
  conversation_id INTEGER NOT NULL,
  contacted_at    INTEGER NOT NULL
);
CREATE INDEX portal_contacts_by_time ON portal_contacts (contacted_at);

-- Articles the widget suggested to a visitor: one row per visitor and article.
CREATE TABLE portal_suggestions (
  visitor_id  TEXT NOT NULL,
  slug        TEXT NOT NULL,
  first_at    INTEGER NOT NULL,
  last_at     INTEGER NOT NULL,
  impressions INTEGER NOT NULL,
  PRIMARY KEY (visitor_id, slug)
) WITHOUT ROWID;

-- "Was this helpful?": a visitor's latest answer per article.
CREATE TABLE portal_feedback (
  visitor_id  TEXT NOT NULL,
  slug        TEXT NOT NULL,
  helpful     INTEGER NOT NULL CHECK (helpful IN (0, 1)),
  answered_at INTEGER NOT NULL,
  PRIMARY KEY (visitor_id, slug)
) WITHOUT ROWID;
`,
};
