// Hub schema 3: the widget tables.
export const migration003 = {
  version: 3,
  name: 'widget',
  sql: /* sql */ `
SELECT 1;
`,
};
