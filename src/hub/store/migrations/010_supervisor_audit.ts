// Hub schema 10: what supervisors did from the live console (reassign a conversation, take it,
// change an agent's capacity), one line each, who and when; kept like the privacy audit.
export const migration010 = {
  version: 10,
  name: 'supervisor audit',
  sql: /* sql */ `
CREATE TABLE supervisor_audit (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  supervisor_id INTEGER NOT NULL,
  supervisor_name TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('reassign', 'take', 'capacity')),
  conversation_id INTEGER,
  agent_id INTEGER,
  detail TEXT NOT NULL
);
CREATE INDEX supervisor_audit_at ON supervisor_audit(at);
`,
};
