// The auto-update flow: the state machine (never a restart during a call, errors as sentences,
// the "Restart to update" banner) and the updater that drives electron-updater's autoUpdater. The
// autoUpdater needs Electron, so a stand-in emits its documented events and payloads.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  canCheck,
  initialUpdateState,
  nextUpdateState,
  updateBanner,
  updateErrorFrom,
  type UpdateEvent,
  type UpdateState,
} from '../../src/main/update/updateStateMachine';
import { createUpdater, feedOptionsFor, UpdateSettings, type FeedOptions, type Timers, type UpdaterBackend } from '../../src/main/update/updater';
import { loadDesktopSettings, DESKTOP_SETTINGS_FILE } from '../../src/main/desktop/desktopSettings';
import { shellEvents, updateEventPayload } from '../../src/main/desktop/shellEvents';

function run(events: UpdateEvent[], from: UpdateState = initialUpdateState()) {
  let state = from;
  const effects: string[] = [];
  for (const event of events) {
    const t = nextUpdateState(state, event);
    state = t.state;
    effects.push(...t.effects);
  }
  return { state, effects };
}

const progress = (percent: number): UpdateEvent => ({ type: 'download-progress', percent, transferred: percent * 1000, total: 100_000, bytesPerSecond: 5000 });
const toDownloaded: UpdateEvent[] = [{ type: 'check-started' }, { type: 'update-available', version: '1.2.0' }, progress(40), progress(100), { type: 'update-downloaded', version: '1.2.0' }];

describe('the update state machine', () => {
  it('goes idle → checking → available → downloading → downloaded, asking for the download once', () => {
    let state = initialUpdateState();
    const phases: string[] = [state.flow.phase];
    const effects: string[] = [];
    for (const event of toDownloaded) {
      const t = nextUpdateState(state, event);
      state = t.state;
      phases.push(state.flow.phase);
      effects.push(...t.effects);
    }
    expect(phases).toEqual(['idle', 'checking', 'available', 'downloading', 'downloading', 'downloaded']);
    expect(effects).toEqual(['download']);
    expect(state.flow).toEqual({ phase: 'downloaded', version: '1.2.0' });
  });

  it('tracks the download progress and clamps nonsense percentages', () => {
    const { state } = run([{ type: 'check-started' }, { type: 'update-available', version: '2.0.0' }, progress(42.5)]);
    expect(state.flow).toMatchObject({ phase: 'downloading', percent: 42.5, transferred: 42_500, total: 100_000 });
    expect(run([progress(180)], state).state.flow).toMatchObject({ percent: 100 });
    expect(run([{ ...progress(0), percent: Number.NaN } as UpdateEvent], state).state.flow).toMatchObject({ percent: 0 });
  });

  it('says up to date when there is nothing new', () => {
    const { state } = run([{ type: 'check-started' }, { type: 'update-not-available', at: 5 }]);
    expect(state.flow).toEqual({ phase: 'idle', lastCheckedAt: 5, upToDate: true });
    expect(updateBanner(state)).toBeNull();
  });

  it('restarts to update at once when no call is active', () => {
    const { state, effects } = run([...toDownloaded, { type: 'restart-requested' }]);
    expect(state.flow).toEqual({ phase: 'installing', version: '1.2.0' });
    expect(effects).toEqual(['download', 'install']);
  });

  it('never restarts during a call: the request waits for the call to end, and the banner says so', () => {
    const during = run([...toDownloaded, { type: 'call-started' }, { type: 'restart-requested' }]);
    expect(during.effects).toEqual(['download']);
    expect(during.state).toMatchObject({ flow: { phase: 'downloaded' }, callActive: true, restartPending: true });
    expect(updateBanner(during.state)).toEqual({ tone: 'info', text: 'Omni Desk 1.2.0 will be installed when your call ends.', textKey: { key: 'updateInstallAfterCall', params: { version: '1.2.0' } }, action: null });

    const after = run([{ type: 'call-ended' }], during.state);
    expect(after.effects).toEqual(['install']);
    expect(after.state.flow).toEqual({ phase: 'installing', version: '1.2.0' });
  });

  it('offers "Restart to update" only when the update is ready and no call is on', () => {
    const ready = run(toDownloaded).state;
    expect(updateBanner(ready)).toEqual({ tone: 'info', text: 'Omni Desk 1.2.0 is ready.', textKey: { key: 'updateReady', params: { version: '1.2.0' } }, action: 'restart' });
    const onCall = run([{ type: 'call-started' }], ready).state;
    expect(updateBanner(onCall)).toMatchObject({ action: null, text: expect.stringContaining('after your call') });
    expect(updateBanner(run([{ type: 'call-ended' }], onCall).state)).toMatchObject({ action: 'restart' });
  });

  it('a call that starts after the download and ends without a restart request installs nothing', () => {
    const { effects } = run([...toDownloaded, { type: 'call-started' }, { type: 'call-ended' }]);
    expect(effects).toEqual(['download']);
  });

  it('ignores a restart request before anything is downloaded', () => {
    const { state, effects } = run([{ type: 'check-started' }, { type: 'update-available', version: '1.2.0' }, progress(10), { type: 'restart-requested' }]);
    expect(state.flow.phase).toBe('downloading');
    expect(effects).toEqual(['download']);
  });

  it('shows an error as a sentence and can check again afterwards', () => {
    const failed = run([{ type: 'check-started' }, { type: 'error', ...updateErrorFrom(Object.assign(new Error('getaddrinfo ENOTFOUND updates.example'), { code: 'ENOTFOUND' })), at: 9 }]);
    expect(failed.state.flow).toEqual({ phase: 'error', code: 'update/offline', message: 'The update server could not be reached; Omni Desk will try again later.', at: 9 });
    expect(updateBanner(failed.state)).toEqual({ tone: 'warning', text: 'The update server could not be reached; Omni Desk will try again later.', textKey: { key: 'updateOffline', params: {} }, action: null });
    expect(canCheck(failed.state)).toBe(true);
    expect(run([{ type: 'check-started' }], failed.state).state.flow.phase).toBe('checking');
  });

  it('a failed re-check keeps an update that is ready to install', () => {
    const ready = run(toDownloaded).state;
    const { state } = run([{ type: 'error', code: 'update/offline', message: 'x', at: 1 }], ready);
    expect(state.flow).toEqual({ phase: 'downloaded', version: '1.2.0' });
    expect(canCheck(ready)).toBe(false);
    expect(run([{ type: 'check-started' }], ready).state).toEqual(ready);
  });

  it('stays disabled, with its reason, whatever happens', () => {
    const disabled = initialUpdateState('No update server is configured.');
    const { state, effects } = run([...toDownloaded, { type: 'restart-requested' }, { type: 'call-started' }], disabled);
    expect(state.flow).toEqual({ phase: 'disabled', reason: 'No update server is configured.' });
    expect(state.callActive).toBe(true);
    expect(effects).toEqual([]);
  });

  it('classifies updater failures into sentences', () => {
    expect(updateErrorFrom(new Error('net::ERR_INTERNET_DISCONNECTED')).code).toBe('update/offline');
    expect(updateErrorFrom(new Error('HttpError: 404 Not Found "method: GET url: https://x/latest.yml"')).code).toBe('update/not-found');
    expect(updateErrorFrom(new Error('sha512 checksum mismatch, expected abc, got def')).code).toBe('update/integrity');
    expect(updateErrorFrom('weird').code).toBe('update/failed');
    for (const e of [new Error('ETIMEDOUT'), new Error('whatever')]) expect(updateErrorFrom(e).message).toMatch(/^[A-Z].+\.$/);
  });
});

// ------------------------------------------------------------------ the updater

/** Speaks like electron-updater's AppUpdater: the same events, with UpdateInfo / ProgressInfo payloads. */
class AutoUpdaterStandIn extends EventEmitter implements UpdaterBackend {
  feed: FeedOptions | null = null;
  autoDownload = true;
  checks = 0;
  downloads = 0;
  installs = 0;
  nextCheck: () => Promise<unknown> = async () => {
    this.emit('checking-for-update');
    this.emit('update-not-available', { version: '0.1.0', files: [], path: '', sha512: '', releaseDate: '2026-01-01T00:00:00.000Z' });
    return null;
  };
  setFeedURL(options: FeedOptions) {
    this.feed = options;
  }
  setAutoDownload(value: boolean) {
    this.autoDownload = value;
  }
  checkForUpdates() {
    this.checks++;
    return this.nextCheck();
  }
  async downloadUpdate() {
    this.downloads++;
    return [];
  }
  quitAndInstall() {
    this.installs++;
  }
  onChecking(l: () => void) {
    this.on('checking-for-update', l);
  }
  onAvailable(l: (i: { version: string }) => void) {
    this.on('update-available', l);
  }
  onNotAvailable(l: (i: { version: string }) => void) {
    this.on('update-not-available', l);
  }
  onProgress(l: (p: { percent: number; transferred: number; total: number; bytesPerSecond: number }) => void) {
    this.on('download-progress', l);
  }
  onDownloaded(l: (i: { version: string }) => void) {
    this.on('update-downloaded', l);
  }
  onError(l: (e: Error) => void) {
    this.on('error', l);
  }
}

class ManualTimers implements Timers {
  intervals: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
  setInterval(fn: () => void, ms: number) {
    const handle = { fn, ms, cleared: false };
    this.intervals.push(handle);
    return handle;
  }
  clearInterval(handle: unknown) {
    (handle as { cleared: boolean }).cleared = true;
  }
  tick() {
    for (const i of this.intervals) if (!i.cleared) i.fn();
  }
}

const generic = UpdateSettings.parse({ provider: 'generic', url: 'https://updates.example/desktop', checkEveryHours: 3 });
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the updater', () => {
  function setup(settings = generic, isPackaged = true) {
    const backend = new AutoUpdaterStandIn();
    const timers = new ManualTimers();
    const banners: Array<string | null> = [];
    const lines: string[] = [];
    const updater = createUpdater({ backend, settings, isPackaged, timers, now: () => 1000, log: (l) => lines.push(l), onChange: (_s, b) => banners.push(b?.text ?? null) });
    return { backend, timers, banners, lines, updater };
  }

  it('uses the configured feed, checks on start and again every few hours', async () => {
    const { backend, timers, updater } = setup();
    updater.start();
    await settle();
    expect(backend.feed).toEqual({ provider: 'generic', url: 'https://updates.example/desktop', channel: 'latest' });
    expect(backend.autoDownload).toBe(false);
    expect(backend.checks).toBe(1);
    expect(timers.intervals.map((i) => i.ms)).toEqual([3 * 3600_000]);
    expect(updater.state().flow).toEqual({ phase: 'idle', lastCheckedAt: 1000, upToDate: true });
    timers.tick();
    await settle();
    expect(backend.checks).toBe(2);
    updater.stop();
    expect(timers.intervals[0]!.cleared).toBe(true);
  });

  it('downloads a found update in the background and shows "Restart to update" when it is ready', async () => {
    const { backend, banners, updater } = setup();
    backend.nextCheck = async () => {
      backend.emit('checking-for-update');
      backend.emit('update-available', { version: '0.2.0', files: [], path: '', sha512: '', releaseDate: '2026-02-01T00:00:00.000Z' });
      return null;
    };
    updater.start();
    await settle();
    expect(backend.downloads).toBe(1);
    backend.emit('download-progress', { percent: 50, bytesPerSecond: 1e6, total: 8e7, transferred: 4e7, delta: 1e6 });
    expect(updateEventPayload(updater.state())).toEqual({ phase: 'downloading', version: '0.2.0', percent: 50, banner: null });
    backend.emit('update-downloaded', { version: '0.2.0', files: [], path: '', sha512: '', releaseDate: '2026-02-01T00:00:00.000Z', downloadedFile: '/tmp/x' });
    expect(updater.banner()).toMatchObject({ tone: 'info', text: 'Omni Desk 0.2.0 is ready.', action: 'restart' });
    expect(banners.at(-1)).toBe('Omni Desk 0.2.0 is ready.');
    // The payload the workspace receives passes its own schema.
    expect(shellEvents.updateStateChanged.safeParse(updateEventPayload(updater.state())).success).toBe(true);

    // A ready update is not checked over.
    updater.checkNow();
    expect(backend.checks).toBe(1);

    updater.setCallActive(true);
    updater.requestRestart();
    expect(backend.installs).toBe(0);
    expect(updater.banner()?.text).toBe('Omni Desk 0.2.0 will be installed when your call ends.');
    updater.setCallActive(false);
    expect(backend.installs).toBe(1);
  });

  it('turns a failed check into a sentence, logged once although electron-updater reports it twice', async () => {
    const { backend, lines, updater } = setup();
    const failure = Object.assign(new Error('getaddrinfo ENOTFOUND updates.example'), { code: 'ENOTFOUND' });
    backend.nextCheck = async () => {
      backend.emit('error', failure);
      throw failure;
    };
    updater.start();
    await settle();
    expect(updater.state().flow).toMatchObject({ phase: 'error', code: 'update/offline' });
    expect(lines.filter((l) => l.includes('ENOTFOUND'))).toHaveLength(1);
  });

  it('stays off, saying why, without a configured server or outside the packaged app', () => {
    const none = setup(UpdateSettings.parse({}));
    none.updater.start();
    expect(none.backend.checks).toBe(0);
    expect(none.updater.state().flow).toEqual({ phase: 'disabled', reason: 'No update server is configured.' });
    expect(none.timers.intervals).toEqual([]);

    const dev = setup(generic, false);
    dev.updater.start();
    expect(dev.backend.checks).toBe(0);
    expect(dev.lines).toContain('Updates are off: Updates are installed only by the packaged app.');
  });
});

describe('update settings', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = null;
  });
  const dataDir = () => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omni-desktop-settings-')));

  it('reads a GitHub or generic provider from desktop-settings.json in the data folder', () => {
    const d = dataDir();
    fs.writeFileSync(path.join(d, DESKTOP_SETTINGS_FILE), JSON.stringify({ updates: { provider: 'github', owner: 'omni-desk', repo: 'desktop', checkEveryHours: 6 } }));
    const { settings, problem } = loadDesktopSettings(d, {});
    expect(problem).toBeNull();
    expect(feedOptionsFor(settings.updates)).toEqual({ provider: 'github', owner: 'omni-desk', repo: 'desktop', channel: 'latest' });
    expect(settings.updates.checkEveryHours).toBe(6);
  });

  it('lets OMNI_UPDATE_* variables override the file', () => {
    const d = dataDir();
    fs.writeFileSync(path.join(d, DESKTOP_SETTINGS_FILE), JSON.stringify({ updates: { checkEveryHours: 8 } }));
    const { settings } = loadDesktopSettings(d, { OMNI_UPDATE_PROVIDER: 'generic', OMNI_UPDATE_URL: 'https://updates.example/omni', OMNI_UPDATE_CHANNEL: 'beta' });
    expect(feedOptionsFor(settings.updates)).toEqual({ provider: 'generic', url: 'https://updates.example/omni', channel: 'beta' });
    expect(settings.updates.checkEveryHours).toBe(8);
  });

  it('refuses an insecure or incomplete update server with a sentence, and keeps the file untouched', () => {
    const d = dataDir();
    const text = JSON.stringify({ updates: { provider: 'generic', url: 'http://updates.example/' } });
    fs.writeFileSync(path.join(d, DESKTOP_SETTINGS_FILE), text);
    const { settings, problem } = loadDesktopSettings(d, {});
    expect(problem).toContain('updates.url must be an https:// address');
    expect(settings.updates.provider).toBe('none');
    expect(fs.readFileSync(path.join(d, DESKTOP_SETTINGS_FILE), 'utf8')).toBe(text);

    const env = loadDesktopSettings(dataDir(), { OMNI_UPDATE_PROVIDER: 'github', OMNI_UPDATE_GITHUB: 'only-owner' });
    expect(env.problem).toContain('OMNI_UPDATE_*');
    expect(env.settings.updates.provider).toBe('none');
  });

  it('says when the settings file is not JSON, and runs on the defaults', () => {
    const d = dataDir();
    fs.writeFileSync(path.join(d, DESKTOP_SETTINGS_FILE), '{ "links": ');
    const { settings, problem } = loadDesktopSettings(d, {});
    expect(problem).toMatch(/could not be read/);
    expect(settings.links).toEqual({ handleTel: false, handleMailto: false, defaultRegion: 'US' });
  });
});
