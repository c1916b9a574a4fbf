// Errors are values with a stable code and a sentence a person can act on; the UI shows the
// sentence, logs and tests match the code.
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
  message: string;
}

export class AppError extends Error implements ErrorInfo {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message };
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
