// Schema 11: the knowledge base offline. A local cache of the portal's articles (title, summary,
// plain body text, tags) with its own FTS5 index, and each use of an article in the composer
// (which article, case, agent, how) for deflection and consistency metrics.
export const migration011 = {
  version: 11,
  name: 'kb',
  sql: /* sql */ `
CREATE TABLE kb_articles (
  slug TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  summary TEXT,
  body_text TEXT NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]',
  updated_at INTEGER NOT NULL,
  -- Where the cached copy came from: the repository's kb/ folder or the connected hub.
  source TEXT NOT NULL CHECK (source IN ('files', 'hub')),
  cached_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Rewritten with the cache (one transaction), so it never lags the rows above.
CREATE VIRTUAL TABLE kb_articles_fts USING fts5(
  slug UNINDEXED,
  title,
  summary,
  tags,
  body,
  tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TABLE kb_usage (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  agent_id INTEGER NOT NULL REFERENCES agents(id),
  kind TEXT NOT NULL CHECK (kind IN ('link', 'summary')),
  used_at INTEGER NOT NULL
);
CREATE INDEX kb_usage_slug ON kb_usage(slug, used_at);
CREATE INDEX kb_usage_case ON kb_usage(case_id);
CREATE INDEX kb_usage_time ON kb_usage(used_at);
`,
};
