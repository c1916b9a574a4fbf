// The shape every language's catalog must have: the English catalog's keys, each a string. A
// language file typed with `Messages<typeof en>` fails to compile when it misses or adds a key,
// so "complete" is checked by the compiler; tests/unit/i18nCatalogs.test.ts also checks that every
// translation keeps the English text's {{placeholders}}.
export type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };
