// Hub schema 1: the core tables.
export const migration001 = {
  version: 1,
  name: 'core',
  sql: /* sql */ `
SELECT 1;
`,
};
