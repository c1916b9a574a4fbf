// Schema 13: merged cases. A case merged into another is closed and keeps a pointer to the case that
// took its events, so a later action on it can say where the work went.
export const migration013 = {
  version: 13,
  name: 'case merge',
  sql: /* sql */ `
ALTER TABLE cases ADD COLUMN merged_into INTEGER REFERENCES cases(id);
`,
};
