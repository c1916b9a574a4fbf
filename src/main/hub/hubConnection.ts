// Picks and prepares the desktop's hub at start: the team hub of the settings (token by signing in
// with the stored password), else the embedded one started here, else none. The entry points print
// what this returns (the widget demo page of an embedded hub) and close it on exit.
import type { SecretStore } from '../secrets';
import { startEmbeddedHub } from './embeddedHub';
import type { DesktopHubSettings } from './hubSettings';
import type { HubConnection } from './hubService';
import { remoteHubToken } from './remoteHub';

export interface PreparedHub {
  connection: HubConnection;
  /** Stops the embedded hub (nothing for a team hub). */
  close(): Promise<void>;
}

export async function prepareHub(settings: DesktopHubSettings, o: { dataDir: string; secrets: SecretStore; log?: (line: string) => void; sqliteBinding?: string }): Promise<PreparedHub | null> {
  if (settings.url !== null && settings.username !== null) {
    const { token, renewToken } = remoteHubToken({ url: settings.url, username: settings.username, secrets: o.secrets });
    return { connection: { url: settings.url, token, renewToken, embedded: false, widgetDemoUrl: null }, close: () => Promise.resolve() };
  }
  if (!settings.embedded.enabled) return null;
  const hub = await startEmbeddedHub({ dataDir: o.dataDir, port: settings.embedded.port, host: settings.embedded.host, ...(o.log ? { log: o.log } : {}), ...(o.sqliteBinding ? { sqliteBinding: o.sqliteBinding } : {}) });
  return {
    connection: { url: hub.url, token: hub.token, renewToken: hub.renewToken, hubKey: hub.hubKey, embedded: true, widgetDemoUrl: hub.widgetDemoUrl },
    close: () => hub.close(),
  };
}
