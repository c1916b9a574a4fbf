// Schema 20: the channel configuration this desktop last applied from its hub, kept so its
// auto-reply texts, hours and costs hold offline and across restarts. One row per hub.
export const migration020 = {
  version: 20,
  name: 'channel configuration applied',
  sql: /* sql */ `
CREATE TABLE channel_config_applied (
  hub_key TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  matrix TEXT NOT NULL,
  applied_at INTEGER NOT NULL
);
`,
};
