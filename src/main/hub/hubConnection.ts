// The entry points' one call for the hub: a switcher for the configuration's hub section. Nothing
// starts here; createCore's hub service connects to the agent's choice (hubChoice.ts: the settings
// row, else the configured team hub, else the built-in one) and can change it while running.
import type { SecretStore } from '../secrets';
import type { DesktopHubSettings } from './hubSettings';
import type { HubConnection } from './hubService';
import { createHubSwitcher, type HubSwitcher } from './hubSwitcher';

/** The hub a desktop started with (the entry points print its widget demo page). */
export interface PreparedHub {
  connection: HubConnection;
  /** Stops the built-in hub (nothing for a team hub). */
  close(): Promise<void>;
}

export function prepareHub(settings: DesktopHubSettings, o: { dataDir: string; secrets: SecretStore; log?: (line: string) => void; sqliteBinding?: string; embeddedCosts?: Record<string, unknown> }): HubSwitcher {
  return createHubSwitcher(settings, o);
}
