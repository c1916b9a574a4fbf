// Errors are values with a stable code and a sentence a person can act on; the UI shows the
// sentence (in the agent's language when it carries a serverErrors key), logs and tests match the code.
import type { Said, ServerErrorParam } from './serverErrors';

export type ErrorCode =
  | 'rpc/unknown-method'
  | 'rpc/invalid-input'
  | 'rpc/invalid-output'
  | 'rpc/transport'
  | 'rpc/forbidden'
  | 'store/newer-version'
  | 'store/not-a-database'
  | 'store/migration-failed'
  | 'not-found'
  | 'outbox/not-failed'
  | 'invalid-identifier'
  | 'config/invalid' | 'config/stale'
  | 'hub/offline'
  | 'hub/refused'
  | 'hub/timeout'
  | 'hub/not-on-hub'
  | 'privacy/confirm-mismatch'
  | 'restricted/key-missing' | 'restricted/key-invalid' | 'restricted/unreadable'
  | 'link/unsupported' | 'link/malformed'
  | 'composer/over-limit'
  | 'composer/attachment-refused' | 'composer/attachment-missing' | 'composer/attachments-refused' | 'composer/no-attachments' | 'composer/upload-unknown'
  | 'composer/upload-busy' | 'composer/upload-order' | 'composer/upload-size' | 'composer/upload-incomplete' | 'composer/attachment-store'
  | 'kb/no-portal-address'
  | 'voice/unavailable' | 'voice/invalid-number'
  | 'case/self' | 'case/merged' | 'case/not-resolved' | 'case/already-resolved'
  | 'case/different-customer' | 'case/not-open' | 'case/empty-split' | 'case/split-all' | 'case/unknown-events'
  | 'macro/unknown-variable' | 'macro/hotkey-taken'
  | 'internal';

export interface ErrorInfo {
  code: ErrorCode;
  /** The English sentence: logs, tests, older clients, and the fallback of a key the workspace does not know. */
  message: string;
  /** The sentence's key in the serverErrors catalog and its params (a string on the wire: the other side may be newer). */
  key?: string;
  params?: Record<string, ServerErrorParam>;
}

/** A sentence with its key: one from `say()`, or one relayed from the hub or another error. */
export type ErrorText = string | Said | { message: string; key?: string; params?: Readonly<Record<string, ServerErrorParam>> };

/** The key and params an error text carries (none for a plain sentence, or a key whose params were lost). */
export function keyOf(text: ErrorText): Pick<ErrorInfo, 'key' | 'params'> {
  if (typeof text === 'string' || text.key === undefined || text.params === undefined) return {};
  return { key: text.key, params: { ...text.params } };
}

export class AppError extends Error implements ErrorInfo {
  readonly key?: string;
  readonly params?: Record<string, ServerErrorParam>;

  constructor(
    readonly code: ErrorCode,
    text: ErrorText,
    options?: { cause?: unknown },
  ) {
    super(typeof text === 'string' ? text : text.message, options);
    this.name = 'AppError';
    const { key, params } = keyOf(text);
    if (key !== undefined) {
      this.key = key;
      this.params = params;
    }
  }

  toInfo(): ErrorInfo {
    return this.key === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, key: this.key, params: this.params };
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
