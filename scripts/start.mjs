// `npm start`: the Electron app when its runtime is installed, otherwise the headless mode with
// the same workspace in a browser. `--headless` (npm run start:headless) always picks the latter.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import { ensureElectronSqlite } from './electronSqlite.mjs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const forceHeadless = args.includes('--headless');

function electronBinary() {
  try {
    // The package exports the binary's path, and throws when its download was skipped.
    const binary = require('electron');
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

async function startHeadless(reason) {
  if (reason) process.env.OMNI_ELECTRON_MISSING = '1';
  process.env.OMNI_HEADLESS_ENTRY = '1';
  await import('../dist/main/headless.js');
}

const binary = forceHeadless ? null : electronBinary();
if (!binary) {
  await startHeadless(!forceHeadless);
} else {
  let binding;
  try {
    binding = await ensureElectronSqlite();
  } catch (e) {
    console.error(`Could not prepare the SQLite module for Electron (${e.message}); starting the headless mode instead.`);
    await startHeadless(false);
  }
  if (binding) {
    const child = spawn(binary, ['.', ...args], { stdio: 'inherit', env: { ...process.env, OMNI_SQLITE_BINDING: binding } });
    child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
  }
}
