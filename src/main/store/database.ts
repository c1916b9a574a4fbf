// Opens the desktop's local SQLite store (the shared opener in src/platform refuses foreign or
// newer files untouched, sets the pragmas, and applies this store's migrations).
import { openSqlite, schemaVersion, type Db, type OpenOptions } from '../../platform/sqlite';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';

export type { Db, OpenOptions };

/** Written to the SQLite header so a file from another program is never migrated. "OMNI". */
export const APPLICATION_ID = 0x4f4d4e49;

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  return openSqlite(file, { applicationId: APPLICATION_ID, label: 'an Omni Desk data file', product: 'Omni Desk', migrations: MIGRATIONS }, options);
}

export { LATEST_SCHEMA_VERSION, schemaVersion };
