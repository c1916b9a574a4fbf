// The desktop's way to its hubs: builds the connection for a choice — a team hub (a token by
// signing in with the password in the secret store) or the hub built into this process — and owns
// the built-in hub's life: started on demand (one at a time), stopped when the desktop moves away
// from it or exits. The entry points create one and hand it to createCore; HubService asks it for
// connections. It never decides which hub to use (hubChoice.ts does).
import { AppError } from '../../shared/errors';
import type { SecretStore } from '../secrets';
import { startEmbeddedHub, type EmbeddedHub } from './embeddedHub';
import type { DesktopHubSettings } from './hubSettings';
import { HubError } from './hubError';
import type { HubConnection } from './hubService';
import { normalizeHubUrl, remoteHubToken, type HubLogin } from './remoteHub';
import { say } from '../../shared/serverErrors';

export type HubChoice = { mode: 'team'; url: string; username: string } | { mode: 'embedded' } | { mode: 'none' };

export interface HubSwitcherOptions {
  /** The desktop's data directory; the built-in hub keeps its file in <dataDir>/hub. */
  dataDir: string;
  /** Where team hub passwords live (the same store the core uses for mailbox secrets). */
  secrets: SecretStore;
  log?: (line: string) => void;
  /** better-sqlite3 built for this runtime (Electron), for the built-in hub's store. */
  sqliteBinding?: string;
  /** The desktop's dashboard costs, which the built-in hub's channel configuration starts from. */
  embeddedCosts?: Record<string, unknown>;
  /** For the sign-in requests (tests). */
  fetchImpl?: typeof fetch;
}

export interface HubSwitcher {
  /** The configuration's hub section (file < env < flags), as loaded at start. */
  readonly settings: DesktopHubSettings;
  readonly secrets: SecretStore;
  readonly fetchImpl: typeof fetch;
  /** What the configuration alone asks for: its team hub, else the built-in hub unless --no-hub, else none. */
  configured(): HubChoice;
  /** The connection for a choice; the built-in hub is started now when it does not run. `session`: a team sign-in just made. */
  connect(choice: HubChoice, session?: HubLogin): Promise<HubConnection | null>;
  /** Whether the built-in hub is running (or starting). */
  readonly embeddedRunning: boolean;
  /** Stops the built-in hub (the desktop moved to a team hub); nothing when it does not run. */
  stopEmbedded(): Promise<void>;
  /** Stops the built-in hub for good; later connects are refused. */
  close(): Promise<void>;
}

/** A switcher rather than a fixed connection (both may be handed to createCore). */
export function isHubSwitcher(x: HubSwitcher | HubConnection): x is HubSwitcher {
  return typeof (x as Partial<HubSwitcher>).connect === 'function';
}

export function createHubSwitcher(settings: DesktopHubSettings, o: HubSwitcherOptions): HubSwitcher {
  const log = o.log ?? (() => undefined);
  const fetchImpl = o.fetchImpl ?? fetch;
  let embedded: Promise<EmbeddedHub> | null = null;
  let closed = false;
  /** The port a "free port" (0) start got: the hub comes back at the same address (widget demo link, webhooks). */
  let lastPort: number | null = null;

  const launch = async (): Promise<EmbeddedHub> => {
    const start = (port: number) =>
      startEmbeddedHub({ dataDir: o.dataDir, port, host: settings.embedded.host, log, ...(o.sqliteBinding ? { sqliteBinding: o.sqliteBinding } : {}), ...(o.embeddedCosts ? { costs: o.embeddedCosts } : {}) });
    let hub: EmbeddedHub;
    if (lastPort !== null) {
      try {
        hub = await start(lastPort);
      } catch {
        // Taken by something else meanwhile: any free port.
        hub = await start(0);
      }
    } else hub = await start(settings.embedded.port);
    if (settings.embedded.port === 0) lastPort = hub.hub.port;
    return hub;
  };

  const startEmbedded = (): Promise<EmbeddedHub> => {
    if (!embedded) {
      const starting = launch();
      embedded = starting;
      // A failed start leaves nothing running: the next request tries again.
      starting.catch(() => {
        if (embedded === starting) embedded = null;
      });
    }
    return embedded;
  };

  const stopEmbedded = async (): Promise<void> => {
    const running = embedded;
    embedded = null;
    if (!running) return;
    const hub = await running.catch(() => null);
    await hub?.close();
  };

  return {
    settings,
    secrets: o.secrets,
    fetchImpl,
    configured() {
      if (settings.url !== null && settings.username !== null) return { mode: 'team', url: normalizeHubUrl(settings.url), username: settings.username };
      return settings.embedded.enabled ? { mode: 'embedded' } : { mode: 'none' };
    },
    async connect(choice, session) {
      if (closed) throw new HubError('hub/offline', say('hubShuttingDown'));
      if (choice.mode === 'none') return null;
      if (choice.mode === 'team') {
        const url = normalizeHubUrl(choice.url);
        const { token, renewToken } = remoteHubToken({ url, username: choice.username, secrets: o.secrets, fetchImpl, ...(session ? { session } : {}) });
        return { url, token, renewToken, hubKey: url, embedded: false, widgetDemoUrl: null };
      }
      let hub: EmbeddedHub;
      try {
        hub = await startEmbedded();
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw new HubError('hub/offline', say('hubBuiltInFailed', { reason: (err as Error).message }));
      }
      if (closed) {
        await stopEmbedded();
        throw new HubError('hub/offline', say('hubShuttingDown'));
      }
      return { url: hub.url, token: hub.token, renewToken: hub.renewToken, hubKey: hub.hubKey, embedded: true, widgetDemoUrl: hub.widgetDemoUrl };
    },
    get embeddedRunning() {
      return embedded !== null;
    },
    stopEmbedded,
    async close() {
      closed = true;
      await stopEmbedded();
    },
  };
}
