// Schema 10: case actions. A snoozed case's wake-up (a time, or none: when the customer writes) and
// the links between related cases, stored once per direction.
export const migration010 = {
  version: 10,
  name: 'case actions',
  sql: /* sql */ `
CREATE TABLE case_snoozes (
  case_id INTEGER PRIMARY KEY REFERENCES cases(id),
  until INTEGER,
  snoozed_at INTEGER NOT NULL,
  agent_id INTEGER REFERENCES agents(id)
);
CREATE INDEX case_snoozes_until ON case_snoozes(until) WHERE until IS NOT NULL;
CREATE TABLE case_links (
  case_id INTEGER NOT NULL REFERENCES cases(id),
  other_case_id INTEGER NOT NULL REFERENCES cases(id),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (case_id, other_case_id)
) WITHOUT ROWID;
`,
};
