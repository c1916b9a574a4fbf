// The headless mode's side of the desktop contract: no updates (they belong to the installed app),
// unless started with OMNI_TEST_UPDATER=1, which runs the real updater and state machine over a test
// feed (update/testFeedBackend.ts) so the banner can be tested end to end in Chromium.
import type { EventName, EventPayload } from '../../shared/contract';
import type { DesktopHook } from '../desktop/desktopService';
import { updateEventPayload } from '../desktop/shellEvents';
import { testFeedBackend } from '../update/testFeedBackend';
import { createUpdater } from '../update/updater';

export interface HeadlessDesktop {
  hook: DesktopHook;
  /** Starts the test updater (if any) once the core can carry its events. */
  start(emit: <K extends EventName>(name: K, payload: EventPayload<K>) => void): void;
  stop(): void;
}

export function headlessDesktop(env: NodeJS.ProcessEnv, log: (line: string) => void): HeadlessDesktop {
  if (env.OMNI_TEST_UPDATER !== '1') return { hook: {}, start: () => {}, stop: () => {} };
  let emit: (<K extends EventName>(name: K, payload: EventPayload<K>) => void) | null = null;
  const version = env.OMNI_TEST_UPDATER_VERSION ?? '9.9.9';
  log(`Test mode: updates come from a test feed offering ${version}.`);
  const updater = createUpdater({
    backend: testFeedBackend(version, log),
    settings: { provider: 'generic', url: 'http://127.0.0.1/test-feed', channel: 'latest', checkEveryHours: 4 },
    isPackaged: true,
    log,
    onChange: (state) => emit?.('updateStateChanged', updateEventPayload(state)),
  });
  return {
    hook: {
      updates: {
        state: () => updateEventPayload(updater.state()),
        requestRestart: () => updater.requestRestart(),
        setCallActive: (active) => updater.setCallActive(active),
      },
    },
    start(e) {
      emit = e;
      updater.start();
    },
    stop: () => updater.stop(),
  };
}
