// Opens the hub's SQLite file (WAL, synchronous=FULL, migrations in transactions) with the
// opener the desktop uses too; a desktop data file or a foreign file is refused untouched.
import { openSqlite, type Db, type OpenOptions } from '../../platform/sqlite';
import { HUB_MIGRATIONS } from './migrations';

export type { Db };

/** "OMHB" in the SQLite header. */
export const HUB_APPLICATION_ID = 0x4f4d4842;

export function openHubDatabase(file: string, options: OpenOptions = {}): Db {
  return openSqlite(file, { applicationId: HUB_APPLICATION_ID, label: 'an Omni Desk hub file', product: 'the Omni Desk hub', migrations: HUB_MIGRATIONS }, options);
}
