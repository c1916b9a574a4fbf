// Starts the built headless workspace once for the whole run, on a free port with a fresh data
// directory seeded with the demo center, and stops it afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { runHeadless as RunHeadless } from '../../src/main/headless/main';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const bundle = path.resolve('dist/main/headless.js');
  if (!fs.existsSync(bundle)) throw new Error('dist/main/headless.js is missing: run `npm run build` before the end-to-end tests.');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'omni-e2e-'));
  const { runHeadless } = (await import(pathToFileURL(bundle).href)) as { runHeadless: typeof RunHeadless };
  // The embedded hub on a free port too; its widget demo page is where a customer starts a chat.
  const run = await runHeadless(['--port', '0', '--hub-port', '0', '--data-dir', dataDir], {});
  process.env.OMNI_E2E_URL = run.server.url;
  process.env.OMNI_E2E_WIDGET_DEMO = run.hub?.connection.widgetDemoUrl ?? '';
  // Where its built-in hub listens and keeps its file (a second desktop signs in there as another agent).
  process.env.OMNI_E2E_HUB_URL = run.hub?.connection.url ?? '';
  process.env.OMNI_E2E_HUB_DATA_DIR = path.join(dataDir, 'hub');
  return async () => {
    await run.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
