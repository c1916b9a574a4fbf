// The desktop-citizen glue: tray with the queue count and presence, dock/taskbar badge, OS
// notifications, omni:/tel:/mailto: links and the auto-updater. Every decision is made by the
// pure modules in src/main/desktop and src/main/update; this file only talks to Electron.
import { app, globalShortcut, Menu, nativeImage, Notification, Tray, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { createAnswerShortcut } from '../desktop/answerShortcut';
import { describeLink, parseDeepLink, type DeepLink } from '../desktop/deepLinks';
import type { DesktopSettings } from '../desktop/desktopSettings';
import { NotificationPlanner, type Alert, type Notice } from '../desktop/notificationRules';
import { watchQueue, type CoreEvents } from '../desktop/queueWatch';
import { checkShellEvent, updateEventPayload, type ShellEventName, type ShellEventPayload } from '../desktop/shellEvents';
import { shellLanguage, shellSayer, type ShellLanguage } from '../../shared/shellText';
import { trayIconBitmap, trayModel, type Presence, type TrayCommand, type TrayItem } from '../desktop/trayMenu';
import { createUpdater, type Updater } from '../update/updater';
import { electronUpdaterBackend } from './autoUpdater';
import { EVENT_CHANNEL } from './ipc';

export interface DesktopShellOptions {
  core: CoreEvents;
  settings: DesktopSettings;
  window: () => BrowserWindow | null;
  focusWindow: () => void;
  log: (line: string) => void;
  /** The workspace's language as main remembers it (null: none chosen yet) and the system's languages. */
  language: string | null;
  systemLanguages: readonly string[];
}

export interface DesktopShell {
  /** A link from the OS (argv, second-instance, open-url) or from the page's own tel:/mailto: links. */
  openLink(raw: string): void;
  /** Sends what waited for the page to load (links opened before it was ready). */
  pageLoaded(): void;
  send<K extends ShellEventName>(name: K, payload: ShellEventPayload<K>): void;
  /** The conversation the page shows (its notices stay quiet while the window has focus). */
  setViewingCase(caseId: number | null): void;
  /** The softphone rings or stopped: the global answer shortcut and an "Incoming call" notice; returns the shortcut held. */
  setCallRinging(ringing: boolean, from: string | null): string | null;
  /** The agent chose a language in the workspace: the tray and the notices follow it at once. */
  setLanguage(language: string): void;
  readonly updater: Updater;
  dispose(): void;
}

const TRAY_COLOUR: readonly [number, number, number] = [47, 128, 237];

export function startDesktopShell(o: DesktopShellOptions): DesktopShell {
  const { log } = o;
  let presence: Presence = 'available';
  let queueCount: number | null = null;
  let pageReady = false;
  let viewingCaseId: number | null = null;
  let language: ShellLanguage = shellLanguage(o.language, o.systemLanguages);
  const say = () => shellSayer(language);
  const waiting: Array<() => void> = [];

  const send = <K extends ShellEventName>(name: K, payload: ShellEventPayload<K>) => {
    const deliver = () => {
      const win = o.window();
      if (!win || win.isDestroyed()) return;
      win.webContents.send(EVENT_CHANNEL, name, checkShellEvent(name, payload));
    };
    if (pageReady) deliver();
    else waiting.push(deliver);
  };

  const openParsed = (link: DeepLink, source: 'link' | 'notification') => {
    o.focusWindow();
    send('deepLinkOpened', { link, source });
  };

  // ------------------------------------------------------------------ tray and badges
  const mac = process.platform === 'darwin';
  const icon = (p: Presence) => {
    const image = nativeImage.createFromBitmap(trayIconBitmap(32, p, mac ? [0, 0, 0] : TRAY_COLOUR), { width: 32, height: 32, scaleFactor: 2 });
    if (mac) image.setTemplateImage(true);
    return image;
  };
  let tray: Tray | null = null;
  try {
    tray = new Tray(icon(presence));
    tray.on('click', () => o.focusWindow());
  } catch (e) {
    // Some Linux desktops have no status area; the app works without it.
    log(`No tray icon: ${(e as Error).message}`);
  }

  const runTrayCommand = (command: TrayCommand) => {
    switch (command.type) {
      case 'presence':
        presence = command.presence;
        log(`Presence set to ${presence} from the tray.`);
        tray?.setImage(icon(presence));
        break;
      case 'open':
        o.focusWindow();
        break;
      case 'restart-to-update':
        updater.requestRestart();
        break;
      case 'quit':
        app.quit();
        break;
    }
    renderTray();
  };

  const toMenuItem = (item: TrayItem): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'label':
        return { label: item.label, enabled: false };
      case 'radio':
        return { type: 'radio', label: item.label, checked: item.checked, click: () => runTrayCommand(item.command) };
      case 'command':
        return { label: item.label, click: () => runTrayCommand(item.command) };
    }
  };

  const renderTray = () => {
    const state = updater.state();
    const update = state.flow.phase === 'downloaded' ? { version: state.flow.version, deferredByCall: state.restartPending || state.callActive } : null;
    const model = trayModel({ queueCount, presence, update }, say());
    if (tray && !tray.isDestroyed()) {
      tray.setToolTip(model.tooltip);
      if (mac) tray.setTitle(model.title);
      tray.setContextMenu(Menu.buildFromTemplate(model.items.map(toMenuItem)));
    }
    // Dock on macOS, Unity launchers on Linux; a no-op elsewhere.
    app.setBadgeCount(model.badgeCount);
    const win = o.window();
    if (process.platform === 'win32' && win && !win.isDestroyed()) {
      win.setOverlayIcon(model.badgeCount > 0 ? icon('available') : null, model.badgeCount > 0 ? model.tooltip : '');
    }
  };

  // ------------------------------------------------------------------ notifications
  const planner = new NotificationPlanner(o.settings.notifications, undefined, say);
  const shown = new Map<string, Notification>();
  const focus = () => {
    const win = o.window();
    return { windowFocused: !!win && !win.isDestroyed() && win.isFocused(), viewingCaseId };
  };
  const show = (notice: Notice) => {
    shown.get(notice.key)?.close();
    const actions = mac ? notice.actions.map((a) => ({ type: 'button' as const, text: say()(a === 'accept' ? 'noticeAccept' : 'noticeOpen') })) : [];
    const n = new Notification({ title: notice.title, body: notice.body, actions, silent: false });
    const open = () => {
      // An offer has no case yet: the window comes forward with the offer on screen (a supervisor alert with its banner).
      if (notice.offerId !== undefined || notice.kind === 'supervisor') return o.focusWindow();
      planner.seen(notice.caseId);
      openParsed({ kind: 'case', caseId: notice.caseId }, 'notification');
    };
    n.on('click', open);
    n.on('action', (_event, index) => {
      if (notice.actions[index] === 'accept') {
        o.focusWindow();
        send('offerAcceptRequested', notice.offerId !== undefined ? { caseId: null, offerId: notice.offerId } : { caseId: notice.caseId });
      } else open();
    });
    n.on('close', () => {
      if (shown.get(notice.key) === n) shown.delete(notice.key);
    });
    // Held in the map: a notification that is garbage-collected loses its click handler.
    shown.set(notice.key, n);
    n.show();
  };
  const notify = (alert: Alert) => {
    if (!Notification.isSupported()) return;
    for (const notice of planner.receive(alert, Date.now(), focus()).show) show(notice);
  };
  const batchTimer = setInterval(() => {
    if (planner.nextDueAt() === null || !Notification.isSupported()) return;
    for (const notice of planner.flush(Date.now(), focus()).show) show(notice);
  }, 5_000);
  batchTimer.unref();

  // ------------------------------------------------------------------ ringing calls
  const answer = () => {
    o.focusWindow();
    send('callAnswerRequested', { source: 'shortcut' });
  };
  const answerShortcut = createAnswerShortcut({ registry: globalShortcut, accelerator: o.settings.calls.answerShortcut, onAnswer: answer, log });
  let ringNotice: Notification | null = null;
  const setCallRinging = (ringing: boolean, from: string | null): string | null => {
    ringNotice?.close();
    ringNotice = null;
    const held = answerShortcut.setRinging(ringing);
    if (ringing && Notification.isSupported()) {
      const text = say();
      const caller = from ?? text('callUnknown');
      const body = held ? text('callHint', { from: caller, key: held.replace('CommandOrControl', mac ? 'Cmd' : 'Ctrl') }) : caller;
      const n = new Notification({ title: text('callTitle'), body, actions: mac ? [{ type: 'button', text: text('callAnswer') }] : [], silent: true });
      n.on('click', () => o.focusWindow());
      n.on('action', answer);
      ringNotice = n;
      n.show();
    }
    return held;
  };

  // ------------------------------------------------------------------ queue, updates
  const updater = createUpdater({
    backend: electronUpdaterBackend(log),
    settings: o.settings.updates,
    isPackaged: app.isPackaged,
    log,
    onChange: (state) => {
      send('updateStateChanged', updateEventPayload(state));
      renderTray();
    },
  });
  renderTray();
  updater.start();

  const queue = watchQueue({
    core: o.core,
    log,
    onCount: (count) => {
      queueCount = count;
      renderTray();
    },
    onAlert: notify,
    language: () => language,
  });

  return {
    openLink(raw) {
      const parsed = parseDeepLink(raw, { defaultRegion: o.settings.links.defaultRegion });
      if (!parsed.ok) {
        log(`Ignored a link (${parsed.error.code}): ${parsed.error.message}`);
        o.focusWindow();
        return;
      }
      log(`Opened ${describeLink(parsed.link)} from a link.`);
      openParsed(parsed.link, 'link');
    },
    pageLoaded() {
      pageReady = true;
      for (const deliver of waiting.splice(0)) deliver();
      send('updateStateChanged', updateEventPayload(updater.state()));
    },
    send,
    setViewingCase(caseId) {
      viewingCaseId = caseId;
    },
    setCallRinging,
    setLanguage(chosen) {
      const next = shellLanguage(chosen, o.systemLanguages);
      if (next === language) return;
      language = next;
      renderTray();
    },
    updater,
    dispose() {
      clearInterval(batchTimer);
      answerShortcut.dispose();
      ringNotice?.close();
      queue.stop();
      updater.stop();
      for (const n of shown.values()) n.close();
      shown.clear();
      tray?.destroy();
      tray = null;
    },
  };
}
