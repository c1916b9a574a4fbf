// Schema 1: the core tables of the local store.
export const migration001 = {
  version: 1,
  name: 'initial schema',
  sql: /* sql */ `
CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  company TEXT,
  title TEXT,
  tier TEXT NOT NULL DEFAULT 'standard' CHECK (tier IN ('standard', 'premium', 'enterprise')),
  vip INTEGER NOT NULL DEFAULT 0 CHECK (vip IN (0, 1)),
  health_score INTEGER CHECK (health_score BETWEEN 0 AND 100),
  language TEXT,
  timezone TEXT,
  preferred_channel TEXT,
  created_at INTEGER NOT NULL,
  merged_into INTEGER REFERENCES customers(id)
);

CREATE TABLE identities (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  kind TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'social', 'account')),
  platform TEXT NOT NULL DEFAULT '',
  value TEXT NOT NULL,
  display TEXT NOT NULL,
  verified INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
  source TEXT NOT NULL,
  first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  UNIQUE (kind, platform, value)
);
CREATE INDEX identities_customer ON identities(customer_id);

CREATE TABLE agents (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
  tier INTEGER NOT NULL CHECK (tier BETWEEN 1 AND 3),
  seniority TEXT NOT NULL CHECK (seniority IN ('junior', 'mid', 'senior')),
  skills TEXT NOT NULL DEFAULT '{}',
  channels TEXT NOT NULL DEFAULT '{}',
  languages TEXT NOT NULL DEFAULT '[]',
  capacity TEXT NOT NULL DEFAULT '{}',
  presence TEXT NOT NULL DEFAULT 'offline',
  created_at INTEGER NOT NULL
);

CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  subject TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'pending', 'snoozed', 'resolved', 'closed')),
  priority TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  issue_type TEXT NOT NULL,
  channel TEXT NOT NULL,
  origin_channel TEXT NOT NULL,
  assigned_agent_id INTEGER REFERENCES agents(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  waiting_since INTEGER,
  first_response_at INTEGER,
  sla_due_at INTEGER,
  resolved_at INTEGER,
  resolution_code TEXT,
  csat_score INTEGER CHECK (csat_score BETWEEN 1 AND 5)
);
CREATE INDEX cases_customer ON cases(customer_id, status);
CREATE INDEX cases_active ON cases(status) WHERE status IN ('open', 'pending');

CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  case_id INTEGER REFERENCES cases(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  channel TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('in', 'out', 'internal')),
  kind TEXT NOT NULL,
  author_type TEXT NOT NULL,
  author_id INTEGER,
  author_name TEXT NOT NULL,
  subject TEXT,
  body TEXT NOT NULL DEFAULT '',
  metadata TEXT NOT NULL DEFAULT '{}',
  external_id TEXT,
  occurred_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX events_customer_time ON events(customer_id, occurred_at, id);
CREATE INDEX events_case_time ON events(case_id, occurred_at, id);
CREATE UNIQUE INDEX events_external ON events(channel, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE customer_notes (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  author_agent_id INTEGER REFERENCES agents(id),
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX customer_notes_customer ON customer_notes(customer_id, created_at);

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  event_id INTEGER NOT NULL REFERENCES events(id),
  case_id INTEGER REFERENCES cases(id),
  channel TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  delivered_at INTEGER
);
CREATE UNIQUE INDEX outbox_event ON outbox(event_id);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
};
