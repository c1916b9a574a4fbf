// Hub schema 9: the metrics API reads a date range of messages; an index by time keeps that a range scan.
export const migration009 = {
  version: 9,
  name: 'metrics index',
  sql: /* sql */ `
CREATE INDEX messages_created ON messages(created_at);
`,
};
