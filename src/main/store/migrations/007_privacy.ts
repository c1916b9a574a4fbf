// Schema 7: the privacy audit log. Who revealed masked text (with the reason), exported or erased
// a customer, and when. An erase row keeps only the customer's id and counts, no personal data.
export const migration007 = {
  version: 7,
  name: 'privacy audit',
  sql: /* sql */ `
CREATE TABLE privacy_audit (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  -- No foreign keys: the row outlives the agent and the customer it names.
  agent_id INTEGER,
  agent_name TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('reveal', 'export', 'erase')),
  event_id INTEGER,
  customer_id INTEGER,
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX privacy_audit_at ON privacy_audit(at);
`,
};
