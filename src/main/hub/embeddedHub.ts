// Starts the hub in this process when the desktop has no remote hub: its data beside the desktop's
// (<data dir>/hub), on loopback, signed in as the hub's local admin without a password. The one
// file of src/main allowed to import src/hub; everything else talks to the hub over its socket.
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { createHub, type Hub } from '../../hub/server';

/** Rows of the embedded hub are stored under this key, whatever port it listens on this time. */
export const EMBEDDED_HUB_KEY = 'embedded';

export interface EmbeddedHubOptions {
  /** The desktop's data directory; the hub keeps its file in <dataDir>/hub. */
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  log?: (line: string) => void;
  now?: () => number;
  /** better-sqlite3 built for this runtime (Electron), as for the desktop's own store. */
  sqliteBinding?: string;
  /** The desktop's dashboard costs: the built-in hub's channel configuration starts from them (unless its settings file names costs). */
  costs?: Record<string, unknown>;
}

export interface EmbeddedHub {
  url: string;
  hubKey: string;
  /** The local admin's session token, re-issued shortly before it expires (read on every connect). */
  token: () => string;
  /** A new token at once (the hub said the old one expired). */
  renewToken: () => Promise<string>;
  /** The chat widget's demo page: a customer's side of a chat, for trying the product. */
  widgetDemoUrl: string;
  hub: Hub;
  close(): Promise<void>;
}

/** The embedded hub's own settings (provider credentials, widget orgs, portal, routing), optional. */
export const EMBEDDED_HUB_SETTINGS_FILE = 'hub.config.json';

/**
 * Reads <data dir>/hub/hub.config.json when it exists: the same keys as a team hub's configuration
 * file (channels, widget, portal, routing, publicUrl, …); where it listens and stores is the
 * desktop's choice. A file that is not a JSON object stops the start with a sentence naming it.
 */
function readEmbeddedHubSettings(dataDir: string): Record<string, unknown> {
  const file = path.join(dataDir, EMBEDDED_HUB_SETTINGS_FILE);
  if (!fs.existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new AppError('config/invalid', `The built-in hub's settings file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new AppError('config/invalid', `The built-in hub's settings file ${file} must hold a JSON object.`);
  return parsed as Record<string, unknown>;
}

/** Re-issue when less than this is left, so a reconnect never presents a token about to expire. */
const RENEW_BEFORE_MS = 10 * 60_000;

export async function startEmbeddedHub(o: EmbeddedHubOptions): Promise<EmbeddedHub> {
  const log = o.log ?? (() => undefined);
  const now = o.now ?? Date.now;
  const dataDir = path.join(o.dataDir, 'hub');
  const hub = await createHub(
    { ...(o.costs ? { metrics: { dashboard: { costs: o.costs } } } : {}), ...readEmbeddedHubSettings(dataDir), embedded: true, dataDir, port: o.port, host: o.host ?? '127.0.0.1' },
    {
      ...(o.now ? { now: o.now } : {}),
      ...(o.sqliteBinding ? { sqliteBinding: o.sqliteBinding } : {}),
      log: { info: (m) => log(`hub: ${m}`), warn: (m) => log(`hub: ${m}`), error: (m, e) => log(`hub: ${m}${e ? `: ${(e as Error).message ?? String(e)}` : ''}`) },
    },
  );
  let session = hub.issueLocalAdminToken();
  const token = () => {
    if (session.expiresAt - now() < RENEW_BEFORE_MS) session = hub.issueLocalAdminToken();
    return session.token;
  };
  return {
    url: hub.url,
    hubKey: EMBEDDED_HUB_KEY,
    token,
    renewToken: () => {
      session = hub.issueLocalAdminToken();
      return Promise.resolve(session.token);
    },
    widgetDemoUrl: `${hub.url}/widget/demo`,
    hub,
    close: () => hub.close(),
  };
}
