// Hub schema 2: the channels tables.
export const migration002 = {
  version: 2,
  name: 'channels',
  sql: /* sql */ `
SELECT 1;
`,
};
