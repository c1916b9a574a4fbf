// Hub schema 1: the core tables — agents and their sessions, contacts, conversations, messages
// (inbound replays and retried sends are refused by unique keys), offers and the per-agent event log.
export const migration001 = {
  version: 1,
  name: 'core',
  sql: /* sql */ `
CREATE TABLE agents (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
  -- scrypt$N$r$p$salt$hash; NULL: cannot sign in with a password (the embedded desktop's own user).
  password_hash TEXT,
  seniority TEXT NOT NULL DEFAULT 'mid' CHECK (seniority IN ('junior', 'mid', 'senior')),
  languages TEXT NOT NULL DEFAULT '[]',
  skills TEXT NOT NULL DEFAULT '{}',
  -- {"chat": {"proficiency": 3, "capacity": 3}, ...}
  channels TEXT NOT NULL DEFAULT '{}',
  is_local_admin INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  -- The last sequence number handed out in this agent's event stream; never goes back, even when old events are pruned.
  last_seq INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
  -- SHA-256 of the token: a copied database file holds no usable token.
  token_hash TEXT PRIMARY KEY,
  agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expires_at);

-- What an agent last asked for (capacity per channel); presence itself starts offline on every start.
CREATE TABLE agent_presence (
  agent_id INTEGER PRIMARY KEY REFERENCES agents(id) ON DELETE CASCADE,
  presence TEXT NOT NULL,
  capacity TEXT NOT NULL DEFAULT '{}',
  since INTEGER NOT NULL
);

CREATE TABLE contacts (
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL,
  address TEXT NOT NULL,
  display_name TEXT,
  email TEXT,
  phone TEXT,
  account_id TEXT,
  verified INTEGER NOT NULL DEFAULT 0,
  -- Stickiness: who handled this contact last, and when.
  last_agent_id INTEGER REFERENCES agents(id) ON DELETE SET NULL,
  last_contact_at INTEGER,
  created_at INTEGER NOT NULL,
  UNIQUE (channel, address)
);

CREATE TABLE conversations (
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL,
  contact_id INTEGER NOT NULL REFERENCES contacts(id),
  thread_key TEXT NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('waiting', 'offered', 'assigned', 'resolved')),
  priority TEXT NOT NULL DEFAULT 'normal',
  issue_type TEXT NOT NULL DEFAULT 'other',
  tier TEXT NOT NULL DEFAULT 'standard',
  vip INTEGER NOT NULL DEFAULT 0,
  language TEXT,
  -- Set by a transfer to a queue: the channel queue the conversation waits in, when not its own.
  queue_channel TEXT,
  assigned_agent_id INTEGER REFERENCES agents(id) ON DELETE SET NULL,
  email_message_id TEXT UNIQUE,
  is_public INTEGER NOT NULL DEFAULT 0,
  suggested_reply TEXT,
  handoff_note TEXT,
  escalation_reason TEXT,
  -- Routing rounds: agents who declined or let an offer lapse are skipped until the next round.
  route_round INTEGER NOT NULL DEFAULT 0,
  waiting_since INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  resolved_at INTEGER
);
-- One open conversation per thread on a channel; a resolved one may be reopened or followed by a new one.
CREATE UNIQUE INDEX conversations_open_thread ON conversations(channel, thread_key) WHERE status <> 'resolved';
CREATE INDEX conversations_thread ON conversations(channel, thread_key, id);
CREATE INDEX conversations_status ON conversations(status, waiting_since);
CREATE INDEX conversations_assigned ON conversations(assigned_agent_id, status);

CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  conversation_id INTEGER NOT NULL REFERENCES conversations(id),
  channel TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('in', 'out', 'internal')),
  author_type TEXT NOT NULL CHECK (author_type IN ('customer', 'agent', 'system', 'bot')),
  author_agent_id INTEGER REFERENCES agents(id) ON DELETE SET NULL,
  author_name TEXT NOT NULL,
  text TEXT NOT NULL,
  attachments TEXT NOT NULL DEFAULT '[]',
  metadata TEXT,
  created_at INTEGER NOT NULL,
  -- Inbound: the provider's id (replays are stored once). Outbound: the id the provider gave the sent message.
  provider_id TEXT,
  idempotency_key TEXT UNIQUE,
  delivery TEXT CHECK (delivery IN ('stored', 'sent', 'delivered', 'read', 'failed')),
  delivery_detail TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  -- Set while a delivery is pending: when to (re)try. NULL once settled, or when the hub does not deliver (email).
  next_attempt_at INTEGER
);
CREATE UNIQUE INDEX messages_inbound_provider ON messages(channel, provider_id) WHERE direction = 'in' AND provider_id IS NOT NULL;
CREATE INDEX messages_outbound_provider ON messages(channel, provider_id) WHERE direction = 'out' AND provider_id IS NOT NULL;
CREATE INDEX messages_conversation ON messages(conversation_id, id);
CREATE INDEX messages_pending ON messages(next_attempt_at) WHERE next_attempt_at IS NOT NULL;

CREATE TABLE offers (
  id INTEGER PRIMARY KEY,
  conversation_id INTEGER NOT NULL REFERENCES conversations(id),
  agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  state TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'declined', 'expired', 'cancelled')),
  round INTEGER NOT NULL,
  reasons TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  decided_at INTEGER
);
-- At most one live offer per conversation: the accept race is decided by the row, not by timing.
CREATE UNIQUE INDEX offers_one_pending ON offers(conversation_id) WHERE state = 'pending';
CREATE INDEX offers_conversation ON offers(conversation_id, round);
CREATE INDEX offers_pending_expiry ON offers(expires_at) WHERE state = 'pending';

CREATE TABLE agent_events (
  agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (agent_id, seq)
) WITHOUT ROWID;

CREATE TABLE csat (
  conversation_id INTEGER PRIMARY KEY REFERENCES conversations(id),
  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment TEXT,
  agent_id INTEGER REFERENCES agents(id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL
);
`,
};
