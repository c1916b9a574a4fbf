// Schema 17: what the desktop keeps of working with the team through the hub. Notifications
// ("Ann mentioned you on case #12") and the requests still to tell the hub (an internal note to
// share, a reopen, an erase) when it was not reachable at the time. Both hang off cases and events
// by foreign key, so a GDPR erase of the customer takes them too.
export const migration017 = {
  version: 17,
  name: 'hub_team',
  sql: /* sql */ `
CREATE TABLE hub_notifications (
  id INTEGER PRIMARY KEY,
  hub TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('mention')),
  case_id INTEGER NOT NULL REFERENCES cases(id),
  hub_message_id INTEGER NOT NULL,
  by_name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  read_at INTEGER,
  UNIQUE (hub, kind, hub_message_id)
);
CREATE INDEX hub_notifications_recent ON hub_notifications(created_at);

-- Requests for the hub that wait for the connection, sent in id order after each catch-up.
CREATE TABLE hub_pending (
  id INTEGER PRIMARY KEY,
  hub TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('note', 'reopen', 'erase')),
  case_id INTEGER REFERENCES cases(id),
  event_id INTEGER REFERENCES events(id),
  -- The request as the hub takes it (JSON).
  payload TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
CREATE INDEX hub_pending_hub ON hub_pending(hub, id);
`,
};
