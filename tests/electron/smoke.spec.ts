// Starts the built desktop app (`electron .` → dist/main/electron.cjs) on a fresh data folder and
// checks what only the real shell can show: the workspace loads over app://, the page reaches
// main only through window.omni, and the window keeps Electron's security settings.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { requests } from '../../src/shared/contract';

const repoRoot = path.resolve(import.meta.dirname, '../..');

let dataDir: string;
let app: ElectronApplication;
let page: Page;
/** Everything main printed, to check what the shell did with links. */
let output = '';

test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'omni-electron-'));
  // A small demo center keeps the first-run seeding short; the rest is the default configuration.
  fs.writeFileSync(
    path.join(dataDir, 'omni-desk.config.json'),
    JSON.stringify({ demo: { customers: 60, conversations: 150, events: 900 } }),
  );
  app = await electron.launch({
    args: ['.', '--data-dir', dataDir],
    cwd: repoRoot,
    timeout: 60_000,
  });
  app.process().stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    process.stdout.write(`[electron] ${chunk}`);
  });
  app.process().stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[electron] ${chunk}`));
  page = await app.firstWindow();
});

test.afterAll(async () => {
  await app?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test('the desktop app opens the workspace on its queue', async () => {
  await expect(page).toHaveURL(/^app:\/\/omni\//);
  await expect(page.getByRole('listbox', { name: 'Queue' })).toBeVisible();
  const shown = await app.evaluate(({ BrowserWindow }) => {
    const win = BrowserWindow.getAllWindows()[0];
    return win ? { visible: win.isVisible(), count: BrowserWindow.getAllWindows().length } : null;
  });
  expect(shown).toEqual({ visible: true, count: 1 });
});

test('the page talks to main only through window.omni, which says it runs in Electron', async () => {
  const info = await page.evaluate(() => window.omni!.appInfo({}));
  expect(info.mode).toBe('electron');
  expect(info.name).toBe('Omni Desk');
  expect(info.dataFile.startsWith(dataDir)).toBe(true);

  const exposed = await page.evaluate(() => Object.keys(window.omni ?? {}).sort());
  expect(exposed).toEqual([...Object.keys(requests), 'on'].sort());

  const nodeInPage = await page.evaluate(() => ({
    require: typeof (globalThis as { require?: unknown }).require,
    process: typeof (globalThis as { process?: unknown }).process,
    module: typeof (globalThis as { module?: unknown }).module,
    Buffer: typeof (globalThis as { Buffer?: unknown }).Buffer,
  }));
  expect(nodeInPage).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined', Buffer: 'undefined' });
});

test('an error from main reaches the page as an error with main\'s sentence', async () => {
  const message = await page.evaluate(() =>
    window.omni!.customerProfile({ customerId: 2_000_000_000 }).then(
      () => 'resolved',
      // contextBridge copies only the message of an error across the worlds.
      (e: Error) => e.message,
    ),
  );
  expect(message).toContain('does not exist');
});

test('the window keeps the Electron security settings', async () => {
  // getLastWebPreferences is real but undocumented, so it is missing from Electron's types; it
  // reports the preferences the renderer was started with (nodeIntegrationInWorker only in
  // some versions, hence the separate check).
  const prefs = await app.evaluate(({ BrowserWindow }) => {
    const contents = BrowserWindow.getAllWindows()[0]?.webContents as unknown as
      | { getLastWebPreferences(): Record<string, unknown> | null }
      | undefined;
    return contents?.getLastWebPreferences() ?? null;
  });
  expect(prefs).toMatchObject({
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
  });
  expect(prefs?.nodeIntegrationInWorker ?? false).toBe(false);
});

test('the page can neither leave the app origin nor open windows', async () => {
  await page.evaluate(() => {
    window.open('file:///etc/passwd');
    window.open('javascript:alert(1)');
    window.location.href = 'data:text/html,<h1>away</h1>';
  });
  // Give a navigation that was not prevented the time to start.
  await page.waitForTimeout(500);
  await expect(page).toHaveURL(/^app:\/\/omni\//);
  await expect(page.getByRole('listbox', { name: 'Queue' })).toBeVisible();
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
});

test('an omni:// link from a second start opens its conversation; a hostile one is refused with a reason', async () => {
  // What the OS delivers: on Windows and Linux the second start's arguments, on macOS open-url.
  await app.evaluate(({ app: electronApp }) => {
    electronApp.emit('second-instance', { preventDefault() {} }, ['Omni Desk', '--some-switch', 'omni://case/5'], '/', {});
    electronApp.emit('open-url', { preventDefault() {} }, 'omni://settings/reset');
  });
  await expect.poll(() => output).toContain('Opened case 5 from a link.');
  await expect.poll(() => output).toMatch(/Ignored a link \(link\/unsupported\): Omni Desk does not know omni:\/\/settings/);
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
});

test('tel: and mailto: links in the page go to the app, not to another program', async () => {
  await page.evaluate(() => {
    window.open('tel:+1-415-555-2671');
    window.open('mailto:jane@acme.example?subject=Hello');
  });
  await expect.poll(() => output).toContain('Opened a call from a link.');
  await expect.poll(() => output).toContain('Opened a new email from a link.');
});

test('main writes its log to a file in the data folder', async () => {
  const file = path.join(dataDir, 'logs', 'omni-desk.log');
  await expect.poll(() => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '')).toMatch(/INFO Omni Desk .* starting/);
});

// Last: it replaces the page's renderer process.
test('a crashed workspace renderer is logged and reloaded', async () => {
  await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.webContents.forcefullyCrashRenderer());
  await expect
    .poll(
      () =>
        app.evaluate(async ({ BrowserWindow }) => {
          const contents = BrowserWindow.getAllWindows()[0]?.webContents;
          if (!contents || contents.isCrashed() || contents.isLoading()) return false;
          return contents.executeJavaScript('document.querySelector(\'[role="listbox"][aria-label="Queue"]\') !== null').catch(() => false);
        }),
      { timeout: 60_000 },
    )
    .toBe(true);
  const log = fs.readFileSync(path.join(dataDir, 'logs', 'omni-desk.log'), 'utf8');
  expect(log).toMatch(/ERROR The workspace renderer stopped \((crashed|killed|abnormal-exit)[^)]*\); reload\./);
});
