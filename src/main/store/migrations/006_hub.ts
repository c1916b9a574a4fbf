// Schema 6: the desktop's bookkeeping for its hub. How far it has read the hub's event stream, the
// offers waiting for an answer, and which local case and event each hub conversation and message is.
// Every table is keyed by the hub it came from, so pointing the desktop at another hub never mixes ids.
export const migration006 = {
  version: 6,
  name: 'hub',
  sql: /* sql */ `
-- One row per hub: the last event applied. Advanced in the same transaction as the event itself.
CREATE TABLE hub_sync (
  hub TEXT PRIMARY KEY,
  -- The hub agent the sequence belongs to; another agent on the same hub starts over at 0.
  agent_id INTEGER,
  last_seq INTEGER NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE hub_conversations (
  hub TEXT NOT NULL,
  conversation_id INTEGER NOT NULL,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  channel TEXT NOT NULL,
  -- Whether the conversation is this agent's right now (assigned, not yet transferred away).
  assigned INTEGER NOT NULL DEFAULT 1 CHECK (assigned IN (0, 1)),
  suggested_reply TEXT,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (hub, conversation_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX hub_conversations_case ON hub_conversations(case_id, hub);

CREATE TABLE hub_messages (
  hub TEXT NOT NULL,
  message_id INTEGER NOT NULL,
  event_id INTEGER NOT NULL REFERENCES events(id),
  PRIMARY KEY (hub, message_id)
) WITHOUT ROWID;
CREATE INDEX hub_messages_event ON hub_messages(event_id);

CREATE TABLE hub_offers (
  hub TEXT NOT NULL,
  offer_id INTEGER NOT NULL,
  conversation_id INTEGER NOT NULL,
  -- The offered conversation as the hub sent it (HubConversation JSON).
  conversation TEXT NOT NULL,
  reasons TEXT NOT NULL DEFAULT '[]',
  expires_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (hub, offer_id)
) WITHOUT ROWID;

-- What the hub knows of an outbox row sent through it: its message id and delivery to the customer.
CREATE TABLE hub_outbox (
  outbox_id INTEGER PRIMARY KEY REFERENCES outbox(id),
  hub TEXT NOT NULL,
  hub_message_id INTEGER,
  delivery TEXT CHECK (delivery IN ('stored', 'sent', 'delivered', 'read', 'failed')),
  delivery_detail TEXT,
  -- Deliveries the hub reported failed; a retry after one is a new message for the hub (new key).
  failed_deliveries INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
);
CREATE INDEX hub_outbox_message ON hub_outbox(hub, hub_message_id);
`,
};
