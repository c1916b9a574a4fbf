// Schema 8: the composer. Drafts as the agent types them (one per case and channel, survive a
// restart, deleted on send), macros (shared, or personal to their owner) and the tags on cases
// that macro actions add.
export const migration008 = {
  version: 8,
  name: 'composer',
  sql: /* sql */ `
CREATE TABLE composer_drafts (
  case_id INTEGER NOT NULL REFERENCES cases(id),
  channel TEXT NOT NULL,
  mode TEXT NOT NULL DEFAULT 'reply' CHECK (mode IN ('reply', 'note')),
  body TEXT NOT NULL,
  subject TEXT,
  cc TEXT NOT NULL DEFAULT '',
  include_quoted INTEGER NOT NULL DEFAULT 0 CHECK (include_quoted IN (0, 1)),
  mentions TEXT NOT NULL DEFAULT '[]',
  pending_macro_ids TEXT NOT NULL DEFAULT '[]',
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (case_id, channel)
) WITHOUT ROWID;

CREATE TABLE macros (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  scope TEXT NOT NULL CHECK (scope IN ('shared', 'personal')),
  -- The agent a personal macro belongs to; shared macros have none.
  owner_agent_id INTEGER REFERENCES agents(id),
  hotkey INTEGER CHECK (hotkey BETWEEN 1 AND 9),
  actions TEXT NOT NULL DEFAULT '[]',
  apply_on TEXT NOT NULL DEFAULT 'send' CHECK (apply_on IN ('insert', 'send')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK ((scope = 'shared') = (owner_agent_id IS NULL))
);
CREATE INDEX macros_owner ON macros(owner_agent_id);

CREATE TABLE case_tags (
  case_id INTEGER NOT NULL REFERENCES cases(id),
  tag TEXT NOT NULL,
  added_by INTEGER REFERENCES agents(id),
  added_at INTEGER NOT NULL,
  PRIMARY KEY (case_id, tag)
) WITHOUT ROWID;
CREATE INDEX case_tags_tag ON case_tags(tag);
`,
};
