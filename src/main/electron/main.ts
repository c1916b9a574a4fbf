// The Electron entry: a thin shell around the core. It serves the workspace on app://omni, hardens
// every webContents and session with the decisions in guards.ts, opens the one window, carries
// the contract over IPC and closes the core on quit. No product logic lives here.
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, screen, session, shell, type Session, type WebContents } from 'electron';
import { AppError } from '../../shared/errors';
import { loadConfig, type Config } from '../config';
import { createCore, type Core } from '../core';
import { EnvSecretStore, LayeredSecretStore } from '../secrets';
import { APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_REGISTRATION, createAppProtocolHandler } from './appProtocol';
import { configArgv, frameNavigationDecision, navigationDecision, permissionDecision, windowOpenDecision } from './guards';
import { bindCoreToIpc } from './ipc';
import { SafeStorageSecretStore } from './safeStorageSecrets';
import { buildWindowOptions } from './windowOptions';
import { fitToDisplays, loadWindowState, saveWindowState } from './windowState';

const APP_ID = 'org.omnidesk.app';
const LINK_SCHEME = 'omni';
// This file is bundled to dist/main/electron.cjs (CommonJS), so __dirname is dist/main.
const distDir = path.resolve(__dirname, '..');

const log = (line: string) => console.log(`[omni-desk] ${line}`);
const short = (url: string) => (url.length > 200 ? `${url.slice(0, 200)}…` : url);

let core: Core | null = null;
let unbindIpc: (() => void) | null = null;
let mainWindow: BrowserWindow | null = null;
/** The windows this shell created, by webContents id; only they may call the core. */
const windows = new Map<number, BrowserWindow>();

function failStartup(e: unknown): void {
  const message =
    e instanceof AppError
      ? e.message
      : `Something unexpected stopped the start: ${e instanceof Error ? e.message : String(e)}. The details are in the log.`;
  console.error('Omni Desk could not start:', e);
  dialog.showErrorBox('Omni Desk could not start', message);
  try {
    core?.close();
  } catch {
    // Already failing; the dialog said what matters.
  }
  app.exit(1);
}

/** The composer (mailto:) and the softphone (tel:) will take these links; until then they are logged. */
function handleContactLink(kind: 'mailto' | 'tel', url: string): void {
  log(`A ${kind}: link was opened (${short(url)}); the workspace handles it once the contract has a call for it.`);
}

function focusMainWindow(): void {
  const win = mainWindow;
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

function guardWebContents(contents: WebContents): void {
  const check = (event: { url: string; preventDefault(): void }, what: string) => {
    if (navigationDecision(event.url) === 'allow') return;
    event.preventDefault();
    log(`Blocked ${what} to ${short(event.url)}`);
  };
  contents.on('will-navigate', (event) => check(event, 'a navigation'));
  // Subframes too: only the app itself, and about:srcdoc for the sandboxed email frames.
  contents.on('will-frame-navigate', (event) => {
    if (frameNavigationDecision(event.url, event.isMainFrame) === 'allow') return;
    event.preventDefault();
    log(`Blocked a frame navigation to ${short(event.url)}`);
  });
  contents.on('will-redirect', (event) => check(event, 'a redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('Blocked a <webview>.');
  });
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.handoff === 'browser') {
      shell.openExternal(decision.url).catch((e: Error) => log(`Could not open ${short(decision.url)}: ${e.message}`));
    } else if (decision.handoff === 'mailto' || decision.handoff === 'tel') {
      handleContactLink(decision.handoff, decision.url);
    } else {
      log(`Dropped a new window for ${short(url)}`);
    }
    return { action: 'deny' };
  });
}

function guardSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permissionDecision(permission, details.requestingUrl, details));
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    permissionDecision(permission, requestingOrigin, details),
  );
  ses.setDevicePermissionHandler(() => false);
}

function createWindow(): BrowserWindow {
  const userData = app.getPath('userData');
  const primary = screen.getPrimaryDisplay();
  const displays = [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)].map((d) => d.workArea);
  const state = fitToDisplays(loadWindowState(userData), displays);
  const win = new BrowserWindow(buildWindowOptions({ preloadPath: path.join(distDir, 'preload', 'index.cjs'), state }));
  const contentsId = win.webContents.id;
  windows.set(contentsId, win);

  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize();
    win.show();
  });
  win.on('close', () => {
    try {
      saveWindowState(userData, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
    } catch (e) {
      log(`Could not save the window position: ${(e as Error).message}`);
    }
  });
  win.on('closed', () => {
    windows.delete(contentsId);
    if (mainWindow === win) mainWindow = null;
  });
  win.webContents.on('render-process-gone', (_event, details) => log(`The workspace renderer stopped (${details.reason}).`));
  win.loadURL(APP_ENTRY_URL).catch((e: Error) => log(`Could not load the workspace: ${e.message}`));
  return win;
}

function startShell(config: Config): void {
  // npm start passes a better-sqlite3 built for Electron's ABI (scripts/electronSqlite.mjs); a
  // packaged app has it rebuilt in place by electron-builder.
  const sqliteBinding = process.env.OMNI_SQLITE_BINDING;
  // Mailbox passwords: the OS keychain via safeStorage (OMNI_MAIL_PASSWORD_<ID> still wins, read-only).
  const secrets = new LayeredSecretStore(new EnvSecretStore(), new SafeStorageSecretStore({ safeStorage, file: path.join(config.dataDir, 'secrets.safe.json') }));
  core = createCore(config, { mode: 'electron', log, secrets, ...(sqliteBinding ? { sqliteBinding } : {}) });
  guardSession(session.defaultSession);
  const services = core;
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ rootDir: path.join(distDir, 'renderer'), log, attachment: (sha256) => services.attachment(sha256) }));
  unbindIpc = bindCoreToIpc({
    core,
    ipcMain,
    windows: {
      isOurs: (id) => windows.has(id),
      targets: () => [...windows.values()].filter((w) => !w.isDestroyed()).map((w) => w.webContents),
    },
    log,
  });
  mainWindow = createWindow();
}

function main(): void {
  // Both must happen before the ready event.
  protocol.registerSchemesAsPrivileged([APP_SCHEME_REGISTRATION]);
  app.enableSandbox();

  let config: Config;
  try {
    config = loadConfig({ argv: configArgv(process.argv, app.isPackaged), dataDir: app.getPath('userData') });
  } catch (e) {
    failStartup(e);
    return;
  }
  // Chromium's profile and the single-instance lock live next to the data, so --data-dir gives a
  // separate profile (a test run, a second agent on one machine) that does not collide.
  if (path.resolve(config.dataDir) !== path.resolve(app.getPath('userData'))) app.setPath('userData', config.dataDir);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
  // The installers declare omni://; this also registers it where they cannot (Windows per-user).
  if (app.isPackaged) app.setAsDefaultProtocolClient(LINK_SCHEME);

  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
  app.on('session-created', guardSession);
  // A second start (or an omni:// link) brings the running window forward; what a link opens
  // is for the workspace to decide once the contract has a call for it.
  app.on('second-instance', focusMainWindow);
  app.on('open-url', (event, url) => {
    event.preventDefault();
    log(`Opened by the link ${short(url)}.`);
    focusMainWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (core && BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
  app.on('will-quit', () => {
    unbindIpc?.();
    unbindIpc = null;
    core?.close();
    core = null;
  });

  app
    .whenReady()
    .then(() => startShell(config))
    .catch(failStartup);
}

main();
