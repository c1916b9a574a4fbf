// Hub schema 4: the portal tables.
export const migration004 = {
  version: 4,
  name: 'portal',
  sql: /* sql */ `
SELECT 1;
`,
};
