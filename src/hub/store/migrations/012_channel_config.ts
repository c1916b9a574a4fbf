// Hub schema 12: the channel configuration matrix, every saved version kept whole with who saved it,
// when, and the lines of what it changed (the audit). Version 1 is seeded from the config file at start.
export const migration012 = {
  version: 12,
  name: 'channel configuration versions',
  sql: /* sql */ `
CREATE TABLE channel_config_versions (
  version INTEGER PRIMARY KEY,
  matrix TEXT NOT NULL,
  saved_at INTEGER NOT NULL,
  saved_by_id INTEGER,
  saved_by_name TEXT NOT NULL,
  changes TEXT NOT NULL
);
`,
};
