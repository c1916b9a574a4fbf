// The auto-update flow as a pure state machine: idle → checking → available → downloading →
// downloaded → (restart requested) → installing, with errors as sentences. A restart asked for
// during a call waits for the call to end; the banner text says so. No I/O, no clock reads.
import type { SentenceKey } from '../../shared/sentenceKey';
import { say, type Said } from '../../shared/serverErrors';
import { sentenceKeyOf } from '../../shared/storedSentence';

export type UpdatePhase =
  | { phase: 'disabled'; reason: string }
  | { phase: 'idle'; lastCheckedAt: number | null; upToDate: boolean }
  | { phase: 'checking' }
  | { phase: 'available'; version: string }
  | { phase: 'downloading'; version: string; percent: number; transferred: number; total: number; bytesPerSecond: number }
  | { phase: 'downloaded'; version: string }
  | { phase: 'installing'; version: string }
  | { phase: 'error'; code: UpdateErrorCode; message: string; at: number };

export type UpdateErrorCode = 'update/offline' | 'update/not-found' | 'update/integrity' | 'update/failed';

export interface UpdateState {
  flow: UpdatePhase;
  /** The agent is on a call; a restart would drop it. */
  callActive: boolean;
  /** The agent asked to restart (or the update is ready and they agreed) while a call was on. */
  restartPending: boolean;
}

export type UpdateEvent =
  | { type: 'check-started' }
  | { type: 'update-available'; version: string }
  | { type: 'update-not-available'; at: number }
  | { type: 'download-progress'; percent: number; transferred: number; total: number; bytesPerSecond: number }
  | { type: 'update-downloaded'; version: string }
  | { type: 'error'; code: UpdateErrorCode; message: string; at: number }
  | { type: 'restart-requested' }
  | { type: 'call-started' }
  | { type: 'call-ended' };

/** What the shell must do after a transition; the machine itself does nothing. */
export type UpdateEffect = 'download' | 'install';

export interface Transition {
  state: UpdateState;
  effects: UpdateEffect[];
}

export const initialUpdateState = (disabledReason: string | null = null): UpdateState => ({
  flow: disabledReason !== null ? { phase: 'disabled', reason: disabledReason } : { phase: 'idle', lastCheckedAt: null, upToDate: false },
  callActive: false,
  restartPending: false,
});

/** A check may start from rest only: never over a download or a ready update. */
export function canCheck(state: UpdateState): boolean {
  return state.flow.phase === 'idle' || state.flow.phase === 'error';
}

const same = (state: UpdateState): Transition => ({ state, effects: [] });

export function nextUpdateState(state: UpdateState, event: UpdateEvent): Transition {
  const { flow } = state;
  if (flow.phase === 'disabled' || flow.phase === 'installing') {
    // Calls still count, so the state stays true if the flow is enabled later.
    if (event.type === 'call-started') return same({ ...state, callActive: true });
    if (event.type === 'call-ended') return same({ ...state, callActive: false });
    return same(state);
  }
  switch (event.type) {
    case 'check-started':
      return canCheck(state) ? same({ ...state, flow: { phase: 'checking' } }) : same(state);
    case 'update-available':
      if (flow.phase !== 'checking' && flow.phase !== 'idle' && flow.phase !== 'error') return same(state);
      return { state: { ...state, flow: { phase: 'available', version: event.version } }, effects: ['download'] };
    case 'update-not-available':
      if (flow.phase !== 'checking') return same(state);
      return same({ ...state, flow: { phase: 'idle', lastCheckedAt: event.at, upToDate: true } });
    case 'download-progress': {
      if (flow.phase !== 'available' && flow.phase !== 'downloading') return same(state);
      const percent = Number.isFinite(event.percent) ? Math.min(100, Math.max(0, event.percent)) : 0;
      return same({
        ...state,
        flow: { phase: 'downloading', version: flow.version, percent, transferred: event.transferred, total: event.total, bytesPerSecond: event.bytesPerSecond },
      });
    }
    case 'update-downloaded':
      return same({ ...state, flow: { phase: 'downloaded', version: event.version } });
    case 'error':
      // A failed re-check must not throw away an update that is ready to install.
      if (flow.phase === 'downloaded') return same(state);
      return same({
        ...state,
        restartPending: false,
        flow: { phase: 'error', code: event.code, message: event.message, at: event.at },
      });
    case 'restart-requested':
      if (flow.phase !== 'downloaded') return same(state);
      if (state.callActive) return same({ ...state, restartPending: true });
      return install(state, flow.version);
    case 'call-started':
      return same({ ...state, callActive: true });
    case 'call-ended':
      if (flow.phase === 'downloaded' && state.restartPending) return install({ ...state, callActive: false }, flow.version);
      return same({ ...state, callActive: false });
  }
}

function install(state: UpdateState, version: string): Transition {
  return { state: { ...state, restartPending: false, flow: { phase: 'installing', version } }, effects: ['install'] };
}

/** The in-app banner: a sentence, and whether it offers "Restart to update". Null: no banner. */
export interface UpdateBanner {
  tone: 'info' | 'warning';
  /** The sentence in English, and its catalog key (the workspace shows it in the agent's language). */
  text: string;
  textKey: SentenceKey;
  action: 'restart' | null;
}

const banner = (tone: UpdateBanner['tone'], said: Said, action: UpdateBanner['action'] = null): UpdateBanner => ({ tone, text: said.message, textKey: sentenceKeyOf(said), action });

/** The sentence of each updater failure. */
const ERROR_SENTENCES: Readonly<Record<UpdateErrorCode, Said>> = {
  'update/offline': say('updateOffline'),
  'update/not-found': say('updateNotFound'),
  'update/integrity': say('updateIntegrity'),
  'update/failed': say('updateFailed'),
};

export function updateBanner(state: UpdateState): UpdateBanner | null {
  const { flow } = state;
  switch (flow.phase) {
    case 'downloaded': {
      const version = flow.version;
      if (state.restartPending) return banner('info', say('updateInstallAfterCall', { version }));
      if (state.callActive) return banner('info', say('updateReadyAfterCall', { version }));
      return banner('info', say('updateReady', { version }), 'restart');
    }
    case 'installing':
      return banner('info', say('updateInstalling', { version: flow.version }));
    case 'error':
      return banner('warning', ERROR_SENTENCES[flow.code]);
    default:
      // Checking and downloading happen in the background; the agent is not interrupted.
      return null;
  }
}

/**
 * The sentence for an updater failure. The raw messages are HTTP dumps and stack-like text, so
 * they are classified; the raw text belongs in the log.
 */
export function updateErrorFrom(e: unknown): { code: UpdateErrorCode; message: string } {
  const text = e instanceof Error ? `${(e as NodeJS.ErrnoException).code ?? ''} ${e.message}` : String(e);
  const code: UpdateErrorCode = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|net::ERR_|socket hang up/i.test(text)
    ? 'update/offline'
    : /\b404\b|Cannot find latest|Cannot find channel|No published versions/i.test(text)
      ? 'update/not-found'
      : /sha512|sha2|checksum|signature|not signed|code sign/i.test(text)
        ? 'update/integrity'
        : 'update/failed';
  return { code, message: ERROR_SENTENCES[code].message };
}
