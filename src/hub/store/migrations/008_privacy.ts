// Hub schema 8: the hub's privacy audit. A GDPR erase removes the customer's rows and leaves one line
// here: who asked, when, why, and how much went (counts only; nothing of the customer).
export const migration008 = {
  version: 8,
  name: 'privacy',
  sql: /* sql */ `
CREATE TABLE privacy_audit (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  agent_id INTEGER REFERENCES agents(id) ON DELETE SET NULL,
  agent_name TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('erase')),
  reason TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX privacy_audit_at ON privacy_audit(at);
`,
};
