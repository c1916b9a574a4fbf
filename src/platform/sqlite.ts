// Opening a SQLite file the way both the desktop store and the hub store need it: refuse a file
// this program does not understand before touching it, set the pragmas on every open, and apply
// pending numbered migrations, each in one transaction. Node only; depends on src/shared.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../shared/errors';

export type Db = Database.Database;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export interface SqliteFileKind {
  /** Written to the SQLite header so a file from another program is never migrated. */
  applicationId: number;
  /** How errors name the file's owner: "an Omni Desk data file", "an Omni Desk hub file". */
  label: string;
  /** Who wrote newer schemas: "Omni Desk", "the Omni Desk hub". */
  product: string;
  migrations: readonly Migration[];
}

export interface OpenOptions {
  /** Stop migrating at this schema version (tests build older files with it). */
  targetVersion?: number;
  migrations?: readonly Migration[];
  /** Path of a better-sqlite3 build for this runtime (Electron's ABI differs from Node's). */
  nativeBinding?: string;
}

function inspect(file: string, kind: SqliteFileKind, nativeBinding: string | undefined): { userVersion: number; applicationId: number } | null {
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) return null;
  let probe: Db | undefined;
  try {
    probe = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
    const userVersion = probe.pragma('user_version', { simple: true }) as number;
    const applicationId = probe.pragma('application_id', { simple: true }) as number;
    return { userVersion, applicationId };
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new AppError('store/not-a-database', `${file} is not ${kind.label} (it is not a SQLite database). It was left untouched.`, {
        cause: e,
      });
    }
    throw e;
  } finally {
    probe?.close();
  }
}

export function openSqlite(file: string, kind: SqliteFileKind, options: OpenOptions = {}): Db {
  const migrations = options.migrations ?? kind.migrations;
  const latest = migrations.length ? migrations[migrations.length - 1]!.version : 0;
  const target = options.targetVersion ?? latest;

  // Look before writing anything: even switching to WAL rewrites the header.
  const found = inspect(file, kind, options.nativeBinding);
  if (found && found.applicationId !== 0 && found.applicationId !== kind.applicationId) {
    throw new AppError('store/not-a-database', `${file} belongs to another program (application id ${found.applicationId}). It was left untouched.`);
  }
  if (found && found.userVersion > latest) {
    throw new AppError(
      'store/newer-version',
      `${file} was written by a newer version of ${kind.product} (data schema ${found.userVersion}; this version knows up to ${latest}). ` +
        `Update ${kind.product} to open it. The file was left untouched.`,
    );
  }

  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    // FULL: outboxes and acknowledged messages live in these files; an acknowledgment must survive a power cut.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, kind, migrations, target);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

function migrate(db: Db, kind: SqliteFileKind, migrations: readonly Migration[], target: number): void {
  let current = db.pragma('user_version', { simple: true }) as number;
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > target) continue;
    const apply = db.transaction(() => {
      if (current === 0) db.pragma(`application_id = ${kind.applicationId}`);
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    });
    try {
      apply();
    } catch (e) {
      throw new AppError(
        'store/migration-failed',
        `Updating the data file to schema ${migration.version} (${migration.name}) failed: ${(e as Error).message}. No change was kept.`,
        { cause: e },
      );
    }
    current = migration.version;
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}
