// Schema 18: the supervisor dashboard reads a date range of the event log. A covering index by
// time (with every column the metrics read except the metadata) keeps that a range scan of the
// index instead of a pass over the whole table.
export const migration018 = {
  version: 18,
  name: 'metrics index',
  sql: /* sql */ `
CREATE INDEX events_metrics ON events(occurred_at, kind, direction, channel, author_type, author_id, case_id, customer_id);
`,
};
