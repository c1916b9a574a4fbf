// better-sqlite3 is a native module: `npm ci` builds it for Node, which the headless mode and the
// tests use. Electron needs a build for its own ABI. Rather than rebuilding node_modules in place
// (which would break the Node side), this builds a second copy into node_modules/.cache once per
// Electron version and hands its path to the app through OMNI_SQLITE_BINDING.
// Usage: `node scripts/electronSqlite.mjs` prints the path (building it if needed).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function ensureElectronSqlite({ log = (line) => console.error(line) } = {}) {
  const electronVersion = require('electron/package.json').version;
  const target = path.join(root, 'node_modules', '.cache', 'omni-desk', `electron-${electronVersion}-${process.platform}-${process.arch}`, 'better_sqlite3.node');
  if (fs.existsSync(target)) return target;

  log(`Building the SQLite module for Electron ${electronVersion} (first start only; needs the Electron headers)…`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'omni-electron-sqlite-'));
  try {
    const source = path.dirname(require.resolve('better-sqlite3/package.json'));
    const copy = path.join(work, 'node_modules', 'better-sqlite3');
    fs.cpSync(source, copy, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) });
    const version = require('better-sqlite3/package.json').version;
    fs.writeFileSync(path.join(work, 'package.json'), JSON.stringify({ name: 'omni-electron-sqlite', private: true, dependencies: { 'better-sqlite3': version } }));
    const { rebuild } = await import(pathToFileURL(require.resolve('@electron/rebuild')).href);
    await rebuild({ buildPath: work, electronVersion, onlyModules: ['better-sqlite3'], force: true, mode: 'sequential' });
    const built = path.join(copy, 'build', 'Release', 'better_sqlite3.node');
    if (!fs.existsSync(built)) throw new Error(`the rebuild produced no ${built}`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(built, target);
    return target;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureElectronSqlite().then(
    (p) => console.log(p),
    (e) => {
      console.error(`Could not build the SQLite module for Electron: ${e.message}`);
      process.exit(1);
    },
  );
}
