// Which hub the desktop uses, and changing it from the workspace (Settings → Team hub): the
// hubSettings, signInToHub and useBuiltInHub requests. The agent's choice is the settings row
// 'hub.choice' in the local store (the team hub's address and user name, or "built in"); the team
// password is in the secret store, never in SQLite.
//
// Precedence at start: the workspace's choice wins over the configuration's hub.url / hub.username
// (defaults < file < env < flags) — unless those have changed since the choice was made, then the
// newer configuration wins. Without a row, the configuration decides. hub.embedded.enabled = false
// (--no-hub) still keeps the built-in hub from starting at start; the settings can start it.
import type { HubSettingsView, HubSignInInput, HubStatusView } from '../../shared/contractHub';
import type { Repository } from '../store/repository';
import { HubError } from './hubError';
import type { HubConnection } from './hubService';
import type { HubChoice, HubSwitcher } from './hubSwitcher';
import { hubSecretRef, loginToHub, normalizeHubUrl } from './remoteHub';
import { say } from '../../shared/serverErrors';

export const HUB_CHOICE_KEY = 'hub.choice';

/** What the configuration said when the agent chose; a different value now means the configuration is newer. */
interface ConfiguredHub {
  url: string | null;
  username: string | null;
}

/** The stored row. */
export type SavedHubChoice = ({ mode: 'team'; url: string; username: string } | { mode: 'embedded' }) & { configured: ConfiguredHub };

export interface EffectiveChoice {
  choice: HubChoice;
  source: HubSettingsView['source'];
}

/** The hub to start with: the saved choice unless the configuration changed since, else the configuration's. */
export function effectiveHubChoice(saved: SavedHubChoice | undefined, switcher: Pick<HubSwitcher, 'settings' | 'configured'>): EffectiveChoice {
  const s = switcher.settings;
  const stillCurrent = saved !== undefined && (saved.configured.url ?? null) === s.url && (saved.configured.username ?? null) === s.username;
  if (!saved || !stillCurrent) return { choice: switcher.configured(), source: 'config' };
  if (saved.mode === 'team') return { choice: { mode: 'team', url: saved.url, username: saved.username }, source: 'workspace' };
  return { choice: s.embedded.enabled ? { mode: 'embedded' } : { mode: 'none' }, source: 'workspace' };
}

export interface HubChoiceDeps {
  repo: Pick<Repository, 'getSetting' | 'setSetting'>;
  switcher: HubSwitcher;
  /** Moves the hub service's live connection (closes the old client and worker, starts new ones). */
  reconnect(connection: HubConnection | null): Promise<void>;
  /** The connection the service uses now. */
  connection(): HubConnection | null;
  status(): HubStatusView;
  log: (line: string) => void;
}

export interface HubChoiceHandlers {
  hubSettings(): Promise<HubSettingsView>;
  signInToHub(input: HubSignInInput): Promise<HubSettingsView>;
  useBuiltInHub(): Promise<HubSettingsView>;
}

export interface HubChoiceControl {
  handlers: HubChoiceHandlers;
  /** Connects to the hub of the effective choice (at start). Rejects when the built-in hub cannot start. */
  start(): Promise<void>;
}

export function createHubChoice(d: HubChoiceDeps): HubChoiceControl {
  const { switcher } = d;
  let current: EffectiveChoice = { choice: { mode: 'none' }, source: 'config' };
  // One change at a time: a second click waits for the first sign-in to finish.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  const configuredNow = (): ConfiguredHub => ({ url: switcher.settings.url, username: switcher.settings.username });

  const passwordStored = async (choice: HubChoice): Promise<boolean> => {
    if (choice.mode !== 'team') return false;
    try {
      return (await switcher.secrets.get(hubSecretRef(choice.url, choice.username))) !== null;
    } catch (err) {
      d.log(`hub: the secret store could not be read: ${(err as Error).message}`);
      return false;
    }
  };

  const forgetPassword = async (choice: HubChoice, keep?: string): Promise<void> => {
    if (choice.mode !== 'team') return;
    const ref = hubSecretRef(choice.url, choice.username);
    if (ref === keep) return;
    try {
      await switcher.secrets.delete(ref);
    } catch (err) {
      // The switch happened; a password left behind is logged, not shown as a failure.
      d.log(`hub: the password for ${choice.username} on ${new URL(choice.url).host} could not be removed: ${(err as Error).message}`);
    }
  };

  const view = async (): Promise<HubSettingsView> => {
    const c = current.choice;
    return {
      mode: c.mode,
      url: c.mode === 'team' ? c.url : null,
      username: c.mode === 'team' ? c.username : null,
      passwordStored: await passwordStored(c),
      source: current.source,
      switchable: true,
      status: d.status(),
    };
  };

  const handlers: HubChoiceHandlers = {
    hubSettings: view,

    signInToHub: (input) =>
      serial(async () => {
        const url = normalizeHubUrl(input.url);
        const username = input.username.trim();
        // Nothing is stored or switched before the hub has said yes.
        const session = await loginToHub(url, username, input.password, switcher.fetchImpl);
        const ref = hubSecretRef(url, username);
        await switcher.secrets.set(ref, input.password);
        const next: HubChoice = { mode: 'team', url, username };
        const connection = await switcher.connect(next, session);
        const saved: SavedHubChoice = { mode: 'team', url, username, configured: configuredNow() };
        d.repo.setSetting(HUB_CHOICE_KEY, saved);
        const before = current.choice;
        current = { choice: next, source: 'workspace' };
        await d.reconnect(connection);
        await switcher.stopEmbedded();
        await forgetPassword(before, ref);
        d.log(`hub: signed in to the team hub at ${new URL(url).host} as ${username} (${session.agentName}).`);
        return view();
      }),

    useBuiltInHub: () =>
      serial(async () => {
        const before = current.choice;
        const live = d.connection();
        if (before.mode !== 'embedded' || !live?.embedded) {
          // Started first: a built-in hub that cannot start (its port is taken) changes nothing.
          const connection = await switcher.connect({ mode: 'embedded' });
          current = { choice: { mode: 'embedded' }, source: 'workspace' };
          await d.reconnect(connection);
        } else {
          current = { choice: before, source: 'workspace' };
        }
        const saved: SavedHubChoice = { mode: 'embedded', configured: configuredNow() };
        d.repo.setSetting(HUB_CHOICE_KEY, saved);
        await forgetPassword(before);
        if (before.mode === 'team') d.log(`hub: back on the built-in hub; the password for the hub at ${new URL(before.url).host} is forgotten.`);
        return view();
      }),
  };

  return {
    handlers,
    start: () =>
      serial(async () => {
        const saved = d.repo.getSetting<SavedHubChoice>(HUB_CHOICE_KEY);
        const chosen = effectiveHubChoice(saved, switcher);
        current = chosen;
        await d.reconnect(await switcher.connect(chosen.choice));
      }),
  };
}

/** The settings of a desktop whose hub cannot be changed (created without a switcher). */
export function fixedHubSettings(connection: HubConnection | null, status: HubStatusView): HubSettingsView {
  return {
    mode: connection ? (connection.embedded ? 'embedded' : 'team') : 'none',
    url: connection && !connection.embedded ? connection.url : null,
    username: null,
    passwordStored: false,
    source: 'config',
    switchable: false,
    status,
  };
}

export function notSwitchable(): HubError {
  return new HubError('config/invalid', say('hubFixed'));
}
