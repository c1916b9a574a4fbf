// Runs the update flow against an updater backend (electron-updater's autoUpdater in the app,
// adapted in src/main/electron/autoUpdater.ts): the feed from the settings, a check at start and
// every few hours, the download in the background, install only through the state machine.
import { z } from 'zod';
import { canCheck, initialUpdateState, nextUpdateState, updateBanner, updateErrorFrom, type UpdateBanner, type UpdateEvent, type UpdateState } from './updateStateMachine';

const Slug = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'is a GitHub owner or repository name');

export const UpdateSettings = z
  .object({
    /** none: no checks. generic: a static server holding latest.yml and the installers. github: the repository's releases. */
    provider: z.enum(['none', 'generic', 'github']).default('none'),
    /** generic: the folder URL that holds latest.yml (https; http only on this machine, for tests). */
    url: z
      .url()
      .refine((u) => {
        const parsed = new URL(u);
        return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname));
      }, 'must be an https:// address')
      .optional(),
    /** github: owner and repository of the releases. */
    owner: Slug.optional(),
    repo: Slug.optional(),
    /** The release channel (latest, beta …): which latest*.yml is read. */
    channel: z.string().regex(/^[a-z0-9-]{1,40}$/, 'is a channel name such as latest or beta').default('latest'),
    checkEveryHours: z.number().min(0.25).max(168).default(4),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.provider === 'generic' && !s.url) ctx.addIssue({ code: 'custom', path: ['url'], message: 'is needed for the generic provider' });
    if (s.provider === 'github' && (!s.owner || !s.repo)) ctx.addIssue({ code: 'custom', path: ['owner'], message: 'owner and repo are needed for the github provider' });
  });
export type UpdateSettings = z.infer<typeof UpdateSettings>;

/** The environment overrides of the update settings (they win over the settings file). */
export function updateSettingsFromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (env.OMNI_UPDATE_PROVIDER) out.provider = env.OMNI_UPDATE_PROVIDER;
  if (env.OMNI_UPDATE_URL) out.url = env.OMNI_UPDATE_URL;
  if (env.OMNI_UPDATE_GITHUB) {
    const [owner, repo, ...rest] = env.OMNI_UPDATE_GITHUB.split('/');
    out.owner = owner;
    // A malformed value keeps its shape so the schema names it instead of silently dropping it.
    out.repo = rest.length === 0 ? repo : [repo, ...rest].join('/');
  }
  if (env.OMNI_UPDATE_CHANNEL) out.channel = env.OMNI_UPDATE_CHANNEL;
  if (env.OMNI_UPDATE_CHECK_HOURS) out.checkEveryHours = Number(env.OMNI_UPDATE_CHECK_HOURS);
  return out;
}

/** electron-updater's feed options for the settings, or null when updates are off. */
export function feedOptionsFor(settings: UpdateSettings): FeedOptions | null {
  if (settings.provider === 'generic' && settings.url) return { provider: 'generic', url: settings.url, channel: settings.channel };
  if (settings.provider === 'github' && settings.owner && settings.repo) {
    return { provider: 'github', owner: settings.owner, repo: settings.repo, channel: settings.channel };
  }
  return null;
}

export type FeedOptions =
  | { provider: 'generic'; url: string; channel: string }
  | { provider: 'github'; owner: string; repo: string; channel: string };

/** electron-updater's event payloads, only the fields read here. */
export interface UpdateInfoLike {
  version: string;
}
export interface ProgressInfoLike {
  percent: number;
  transferred: number;
  total: number;
  bytesPerSecond: number;
}

/** The parts of electron-updater's AppUpdater the flow uses. */
export interface UpdaterBackend {
  setFeedURL(options: FeedOptions): void;
  /** False here: the state machine starts the download, so it always knows where it is. */
  setAutoDownload(value: boolean): void;
  checkForUpdates(): Promise<unknown>;
  downloadUpdate(): Promise<unknown>;
  quitAndInstall(): void;
  onChecking(listener: () => void): void;
  onAvailable(listener: (info: UpdateInfoLike) => void): void;
  onNotAvailable(listener: (info: UpdateInfoLike) => void): void;
  onProgress(listener: (progress: ProgressInfoLike) => void): void;
  onDownloaded(listener: (info: UpdateInfoLike) => void): void;
  onError(listener: (error: Error) => void): void;
}

export interface Timers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface UpdaterOptions {
  backend: UpdaterBackend;
  settings: UpdateSettings;
  /** electron-updater only updates an installed app; a development run stays disabled. */
  isPackaged: boolean;
  onChange?: (state: UpdateState, banner: UpdateBanner | null) => void;
  log?: (line: string) => void;
  now?: () => number;
  timers?: Timers;
}

export interface Updater {
  start(): void;
  /** Checks now unless a check, a download or a ready update is under way. */
  checkNow(): void;
  /** "Restart to update": installs now, or when the current call ends. */
  requestRestart(): void;
  setCallActive(active: boolean): void;
  state(): UpdateState;
  banner(): UpdateBanner | null;
  stop(): void;
}

export function createUpdater(options: UpdaterOptions): Updater {
  const log = options.log ?? ((line: string) => console.log(line));
  const now = options.now ?? Date.now;
  const timers: Timers = options.timers ?? { setInterval: (fn, ms) => setInterval(fn, ms), clearInterval: (h) => clearInterval(h as NodeJS.Timeout) };
  const feed = feedOptionsFor(options.settings);
  const disabled = !options.isPackaged ? 'Updates are installed only by the packaged app.' : feed === null ? 'No update server is configured.' : null;
  let state = initialUpdateState(disabled);
  let interval: unknown = null;
  let started = false;

  const dispatch = (event: UpdateEvent) => {
    const { state: next, effects } = nextUpdateState(state, event);
    const changed = JSON.stringify(next) !== JSON.stringify(state);
    state = next;
    if (changed) options.onChange?.(state, updateBanner(state));
    for (const effect of effects) {
      if (effect === 'download') {
        options.backend.downloadUpdate().catch((e: unknown) => fail('download', e));
      } else {
        log(`Installing the update ${state.flow.phase === 'installing' ? state.flow.version : ''} and restarting.`);
        try {
          options.backend.quitAndInstall();
        } catch (e) {
          fail('install', e);
        }
      }
    }
  };

  let lastError: unknown = null;
  const fail = (what: string, e: unknown) => {
    // electron-updater both emits 'error' and rejects the call's promise with the same object.
    if (e === lastError) return;
    lastError = e;
    log(`Update ${what} failed: ${e instanceof Error ? e.message : String(e)}`);
    dispatch({ type: 'error', ...updateErrorFrom(e), at: now() });
  };

  const checkNow = () => {
    if (!started || !canCheck(state)) return;
    dispatch({ type: 'check-started' });
    options.backend.checkForUpdates().catch((e: unknown) => fail('check', e));
  };

  return {
    start() {
      if (started || feed === null || !options.isPackaged) {
        if (disabled) log(`Updates are off: ${disabled}`);
        return;
      }
      started = true;
      const { backend } = options;
      backend.setAutoDownload(false);
      backend.setFeedURL(feed);
      backend.onChecking(() => dispatch({ type: 'check-started' }));
      backend.onAvailable((info) => {
        log(`Update ${info.version} is available; downloading in the background.`);
        dispatch({ type: 'update-available', version: info.version });
      });
      backend.onNotAvailable(() => dispatch({ type: 'update-not-available', at: now() }));
      backend.onProgress((p) => dispatch({ type: 'download-progress', percent: p.percent, transferred: p.transferred, total: p.total, bytesPerSecond: p.bytesPerSecond }));
      backend.onDownloaded((info) => {
        log(`Update ${info.version} is downloaded and waits for a restart.`);
        dispatch({ type: 'update-downloaded', version: info.version });
      });
      // The promise of the call that failed reports the same error; the state only moves once.
      backend.onError((e) => fail('step', e));
      checkNow();
      interval = timers.setInterval(checkNow, options.settings.checkEveryHours * 3600_000);
    },
    checkNow,
    requestRestart: () => dispatch({ type: 'restart-requested' }),
    setCallActive: (active) => dispatch({ type: active ? 'call-started' : 'call-ended' }),
    state: () => state,
    banner: () => updateBanner(state),
    stop() {
      if (interval !== null) timers.clearInterval(interval);
      interval = null;
      started = false;
    },
  };
}
