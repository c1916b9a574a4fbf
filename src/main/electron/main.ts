// The Electron entry: a thin shell around the core. It serves the workspace on app://omni, hardens
// every webContents and session with the decisions in guards.ts, opens the one window, carries
// the contract over IPC, starts the desktop pieces (desktopShell.ts), logs to a rotating file and
// closes the core on quit. No product logic lives here.
import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, screen, session, shell, type Session, type WebContents } from 'electron';
import { AppError } from '../../shared/errors';
import { loadConfig, type Config } from '../config';
import { openCore, type Core } from '../core';
import { prepareHub } from '../hub/hubConnection';
import type { HubSwitcher } from '../hub/hubSwitcher';
import { EnvSecretStore, LayeredSecretStore } from '../secrets';
import { APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_REGISTRATION, createAppProtocolHandler } from './appProtocol';
import { configArgv, frameNavigationDecision, navigationDecision, permissionDecision, windowOpenDecision } from './guards';
import { bindCoreToIpc } from './ipc';
import { SafeStorageSecretStore } from './safeStorageSecrets';
import { buildWindowOptions } from './windowOptions';
import { fitToDisplays, loadWindowState, saveWindowState } from './windowState';
import { installCrashHooks, RendererRecovery, RotatingLog } from '../desktop/crashLog';
import { linkFromArgv, type LinkScheme } from '../desktop/deepLinks';
import { loadDesktopSettings, type DesktopSettings } from '../desktop/desktopSettings';
import { startDesktopShell, type DesktopShell } from './desktopShell';
import type { DesktopHook } from '../desktop/desktopService';
import { updateEventPayload } from '../desktop/shellEvents';
import { say } from '../../shared/serverErrors';
import { shellLanguage, shellText, type ShellLanguage, type ShellSay } from '../../shared/shellText';
import { chromiumLang, readRememberedLanguage, rememberLanguage } from '../desktop/chromiumLanguage';

const APP_ID = 'org.omnidesk.app';
const LINK_SCHEME = 'omni';
// This file is bundled to dist/main/electron.cjs (CommonJS), so __dirname is dist/main.
const distDir = path.resolve(__dirname, '..');

/** The rotating log in <data>/logs, once the data folder is known. */
let fileLog: RotatingLog | null = null;
const log = (line: string) => {
  console.log(`[omni-desk] ${line}`);
  try {
    fileLog?.write('info', line);
  } catch {
    // A full disk must not take the app down; the console still has the line.
  }
};
const short = (url: string) => (url.length > 200 ? `${url.slice(0, 200)}…` : url);

let core: Core | null = null;
let hub: HubSwitcher | null = null;
let unbindIpc: (() => void) | null = null;
let mainWindow: BrowserWindow | null = null;
let desktop: DesktopShell | null = null;
/** Links that arrived before the shell was up (macOS sends open-url before ready). */
const earlyLinks: string[] = [];
const recovery = new RendererRecovery();
/** The windows this shell created, by webContents id; only they may call the core. */
const windows = new Map<number, BrowserWindow>();

/** The language of the few native boxes main shows itself: the workspace's choice once known, else the system's. */
let boxLanguage: ShellLanguage = 'en';
const boxText: ShellSay = (key, params) => shellText(boxLanguage, key, params);

function failStartup(e: unknown): void {
  const message = e instanceof AppError ? e.message : boxText('startFailedUnexpected', { reason: e instanceof Error ? e.message : String(e) });
  console.error('Omni Desk could not start:', e);
  dialog.showErrorBox(boxText('startFailedTitle'), message);
  try {
    core?.close();
  } catch {
    // Already failing; the dialog said what matters.
  }
  app.exit(1);
}

/** omni:, tel: and mailto: links, from the OS or from the page: parsed, then sent to the workspace. */
function openLink(url: string): void {
  if (desktop) desktop.openLink(url);
  else if (earlyLinks.length < 10) earlyLinks.push(url);
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
      openLink(decision.url);
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
  win.webContents.on('did-finish-load', () => desktop?.pageLoaded());
  win.webContents.on('render-process-gone', (_event, details) => {
    const action = recovery.decide(details.reason, Date.now());
    const line = `The workspace renderer stopped (${details.reason}, exit code ${details.exitCode}); ${action}.`;
    console.error(`[omni-desk] ${line}`);
    fileLog?.write('error', line);
    if (action === 'reload' && !win.isDestroyed()) {
      // Drafts are in the store, so a fresh page loses nothing the agent typed.
      win.loadURL(APP_ENTRY_URL).catch((e: Error) => log(`Could not reload the workspace: ${e.message}`));
    } else if (action === 'give-up') {
      dialog.showErrorBox('Omni Desk', boxText('workspaceGaveUp'));
    }
  });
  win.loadURL(APP_ENTRY_URL).catch((e: Error) => log(`Could not load the workspace: ${e.message}`));
  return win;
}

/** The supervisor's printable report as a PDF (the page's print stylesheet), saved where the supervisor chooses. */
async function printReportPdf(title: string): Promise<string> {
  const win = mainWindow;
  if (!win || win.isDestroyed()) throw new AppError('internal', 'The workspace window is not open.');
  const fileName = `${title.replace(/[^\w .-]+/g, '-').trim() || 'report'}.pdf`;
  const choice = await dialog.showSaveDialog(win, { defaultPath: path.join(app.getPath('documents'), fileName), filters: [{ name: 'PDF', extensions: ['pdf'] }] });
  if (choice.canceled || !choice.filePath) throw new AppError('internal', say('reportSaveCancelled'));
  const pdf = await win.webContents.printToPDF({ printBackground: false, pageSize: 'A4', margins: { marginType: 'default' } });
  await fs.promises.writeFile(choice.filePath, pdf);
  return choice.filePath;
}

async function startShell(config: Config, settings: DesktopSettings): Promise<void> {
  // npm start passes a better-sqlite3 built for Electron's ABI (scripts/electronSqlite.mjs); a
  // packaged app has it rebuilt in place by electron-builder.
  const sqliteBinding = process.env.OMNI_SQLITE_BINDING;
  // Mailbox passwords: the OS keychain via safeStorage (OMNI_MAIL_PASSWORD_<ID> still wins, read-only).
  const secrets = new LayeredSecretStore(new EnvSecretStore(), new SafeStorageSecretStore({ safeStorage, file: path.join(config.dataDir, 'secrets.safe.json') }));
  // The team hub chosen in the settings or configured, else the embedded one (chat widget, SMS and social webhooks, routing).
  hub = prepareHub(config.hub, { dataDir: config.dataDir, secrets, log, embeddedCosts: config.dashboard.costs, ...(sqliteBinding ? { sqliteBinding } : {}) });
  // The desktop contract's requests reach the shell once it is up (it starts with the window).
  const desktopHook: DesktopHook = {
    updates: {
      state: () => {
        const state = desktop?.updater.state();
        if (!state) return { phase: 'disabled', version: null, percent: null, banner: null, detail: 'The update flow starts with the window.' };
        return { ...updateEventPayload(state), detail: state.flow.phase === 'disabled' ? state.flow.reason : null };
      },
      requestRestart: () => desktop?.updater.requestRestart(),
      setCallActive: (active) => desktop?.updater.setCallActive(active),
    },
    setViewingCase: (caseId) => desktop?.setViewingCase(caseId),
    setCallRinging: (ringing, from) => desktop?.setCallRinging(ringing, from) ?? null,
    defaultRegion: settings.links.defaultRegion,
    rememberLanguage: (language) => {
      rememberLanguage(config.dataDir, language);
      boxLanguage = shellLanguage(language, app.getPreferredSystemLanguages());
      desktop?.setLanguage(language);
    },
  };
  core = await openCore(config, { mode: 'electron', log, secrets, hub, printReportPdf, desktop: desktopHook, ...(sqliteBinding ? { sqliteBinding } : {}) });
  await core.hub.ready();
  if (core.hub.connection?.widgetDemoUrl) log(`Chat widget demo: ${core.hub.connection.widgetDemoUrl}`);
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
  desktop = startDesktopShell({ core, settings, window: () => mainWindow, focusWindow: focusMainWindow, log, language: readRememberedLanguage(config.dataDir), systemLanguages: app.getPreferredSystemLanguages() });
  const initial = linkFromArgv(process.argv.slice(1));
  for (const url of [...(initial ? [initial] : []), ...earlyLinks.splice(0)]) desktop.openLink(url);
}

/** omni: always (packaged); tel: and mailto: only when the agent chose the app for them, and given back when not. */
function registerLinkSchemes(settings: DesktopSettings): void {
  if (!app.isPackaged) return;
  app.setAsDefaultProtocolClient(LINK_SCHEME);
  const optIn: Record<Exclude<LinkScheme, 'omni'>, boolean> = { tel: settings.links.handleTel, mailto: settings.links.handleMailto };
  for (const [scheme, wanted] of Object.entries(optIn)) {
    if (wanted) app.setAsDefaultProtocolClient(scheme);
    else if (app.isDefaultProtocolClient(scheme)) app.removeAsDefaultProtocolClient(scheme);
  }
}

function main(): void {
  // Both must happen before the ready event.
  protocol.registerSchemesAsPrivileged([APP_SCHEME_REGISTRATION]);
  app.enableSandbox();

  boxLanguage = shellLanguage(null, app.getPreferredSystemLanguages());
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
  const { settings, problem } = loadDesktopSettings(config.dataDir);
  boxLanguage = shellLanguage(readRememberedLanguage(config.dataDir), app.getPreferredSystemLanguages());
  // Native date and time pickers follow the workspace's language from the start after it was chosen.
  const lang = chromiumLang(readRememberedLanguage(config.dataDir));
  if (lang) app.commandLine.appendSwitch('lang', lang);
  fileLog = new RotatingLog({ dir: path.join(config.dataDir, 'logs'), maxBytes: settings.log.maxBytes, keep: settings.log.keep });
  log(`Omni Desk ${app.getVersion()} starting (Electron ${process.versions.electron}, ${process.platform}).`);
  if (problem) log(problem);
  // An error in main is logged with its stack and shown to the agent; the app keeps running.
  installCrashHooks(process, { log: fileLog, report: (p) => desktop?.send('mainProcessError', p) });
  // Windows toasts (and their actions) need the app id the installer's shortcut carries.
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
  // The installers declare omni://; this also registers it where they cannot (Windows per-user).
  registerLinkSchemes(settings);

  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
  app.on('session-created', guardSession);
  // A second start brings the running window forward; a link it carries (Windows, Linux) or one
  // macOS sends goes to the workspace as deepLinkOpened (desktopShell.ts).
  app.on('second-instance', (_event, argv) => {
    focusMainWindow();
    const url = linkFromArgv(argv.slice(1));
    if (url) openLink(url);
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    focusMainWindow();
    openLink(url);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (core && BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
  app.on('will-quit', () => {
    desktop?.dispose();
    desktop = null;
    unbindIpc?.();
    unbindIpc = null;
    const closing = core?.close();
    core = null;
    const embedded = hub;
    hub = null;
    void Promise.resolve(closing).then(() => embedded?.close());
  });

  app
    .whenReady()
    .then(() => startShell(config, settings))
    .catch(failStartup);
}

main();
