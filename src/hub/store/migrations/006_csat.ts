// Hub schema 6: the CSAT surveys. One row per survey sent (a text question on SMS or social, or an
// email link issued to a desktop), answers to text questions keyed by the provider's message id so
// a webhook retry is taken once, and the key the survey links are signed with when the
// configuration gives none (kept here so links survive a restart).
export const migration006 = {
  version: 6,
  name: 'csat',
  sql: /* sql */ `
CREATE TABLE csat_surveys (
  id              INTEGER PRIMARY KEY,
  conversation_id INTEGER NOT NULL REFERENCES conversations (id),
  contact_id      INTEGER NOT NULL,
  channel         TEXT NOT NULL,
  thread_key      TEXT NOT NULL,
  -- 'text': a question sent on the channel, answered by a reply 1-5; 'link': an email link to /csat/<token>
  kind            TEXT NOT NULL CHECK (kind IN ('text', 'link')),
  agent_id        INTEGER,
  sent_at         INTEGER NOT NULL,
  expires_at      INTEGER NOT NULL,
  answered_at     INTEGER,
  rating          INTEGER CHECK (rating BETWEEN 1 AND 5)
);
CREATE INDEX csat_surveys_thread ON csat_surveys (channel, thread_key, sent_at);
CREATE INDEX csat_surveys_contact ON csat_surveys (contact_id, sent_at);
CREATE INDEX csat_surveys_conversation ON csat_surveys (conversation_id);

CREATE TABLE csat_replies (
  channel     TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  survey_id   INTEGER NOT NULL REFERENCES csat_surveys (id),
  rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  received_at INTEGER NOT NULL,
  PRIMARY KEY (channel, provider_id)
) WITHOUT ROWID;

CREATE TABLE csat_keys (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  secret     BLOB NOT NULL,
  created_at INTEGER NOT NULL
);
`,
};
