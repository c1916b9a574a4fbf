// Schema 15: the satisfaction surveys this desktop sent by email, one per resolution of a case
// (the survey email's event and its outbox row are written in the same transaction).
export const migration015 = {
  version: 15,
  name: 'csat',
  sql: /* sql */ `
CREATE TABLE csat_surveys (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  channel TEXT NOT NULL,
  -- the resolution asked about: one survey per (case, resolved_at)
  resolved_at INTEGER NOT NULL,
  event_id INTEGER NOT NULL REFERENCES events(id),
  expires_at INTEGER,
  sent_at INTEGER NOT NULL,
  UNIQUE (case_id, resolved_at)
);
CREATE INDEX csat_surveys_customer ON csat_surveys(customer_id, sent_at);
`,
};
