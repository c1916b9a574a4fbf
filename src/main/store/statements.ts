// Named SQL statements prepared on first use and then reused: a store class declares its SQL once,
// and a file at an older schema can still run the statements it supports.
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';

export function lazyStatements(db: Db, sqlByName: Record<string, string>): Record<string, Statement> {
  const cache = new Map<string, Statement>();
  return new Proxy({} as Record<string, Statement>, {
    get: (_target, name: string) => {
      let statement = cache.get(name);
      if (!statement) {
        const sql = sqlByName[name];
        if (sql === undefined) throw new Error(`No statement named ${name}`);
        statement = db.prepare(sql);
        cache.set(name, statement);
      }
      return statement;
    },
  });
}
