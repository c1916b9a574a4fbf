// Schema 16: the softphone. A caller nobody knew gets a provisional customer at the screen pop;
// this table says which customers are such profiles (to be merged into the real one later).
export const migration016 = {
  version: 16,
  name: 'voice',
  sql: /* sql */ `
CREATE TABLE voice_provisional_callers (
  customer_id INTEGER PRIMARY KEY REFERENCES customers(id),
  e164 TEXT NOT NULL,
  call_sid TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
`,
};
