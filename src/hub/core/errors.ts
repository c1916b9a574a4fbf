// The hub core's errors: a stable code the desktop and tests match, and a sentence a person can act
// on. Request handlers throw them; the gateway and the HTTP layer turn them into {code, message}, plus
// the sentence's serverErrors key and params when it has one (the desktop shows it in the agent's language).
import { keyOf, type ErrorText } from '../../shared/errors';
import type { ServerErrorParam } from '../../shared/serverErrors';

export interface HubErrorInfoOut {
  code: string;
  message: string;
  key?: string;
  params?: Record<string, ServerErrorParam>;
}
export type HubErrorCode =
  | 'auth/invalid'
  | 'auth/expired'
  | 'auth/forbidden'
  | 'auth/not-embedded'
  | 'agent/exists'
  | 'agent/invalid'
  | 'agent/not-found'
  | 'agent/offline'
  | 'agent/at-capacity'
  | 'offer/not-found'
  | 'offer/taken'
  | 'conversation/not-found'
  | 'conversation/not-yours'
  | 'conversation/resolved'
  | 'conversation/not-resolved'
  | 'conversation/superseded'
  | 'mention/not-internal'
  | 'send/key-reused'
  | 'send/attachments'
  | 'inbound/invalid'
  | 'csat/invalid'
  | 'voice/not-configured'
  | 'protocol/invalid-frame'
  | 'protocol/invalid-request'
  | 'protocol/version'
  | 'request/unsupported'
  | 'http/body-too-large'
  | 'http/invalid-json'
  | 'http/invalid-body'
  | 'http/unsupported-media-type'
  | 'http/method-not-allowed'
  | 'http/not-found'
  | 'config/invalid'
  | 'config/stale'
  | 'config/unchanged'
  | 'internal';

export class HubError extends Error {
  readonly key?: string;
  readonly params?: Record<string, ServerErrorParam>;

  constructor(
    readonly code: HubErrorCode,
    text: ErrorText,
    options?: { cause?: unknown },
  ) {
    super(typeof text === 'string' ? text : text.message, options);
    this.name = 'HubError';
    const { key, params } = keyOf(text);
    if (key !== undefined) {
      this.key = key;
      this.params = params;
    }
  }

  toInfo(): HubErrorInfoOut & { code: HubErrorCode } {
    return this.key === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, key: this.key, params: this.params };
  }
}

export function isHubError(e: unknown): e is HubError {
  return e instanceof HubError;
}

/** What a caller is told about any error: a HubError as it is, anything else as an internal failure (details go to the log). */
export function errorInfo(e: unknown): HubErrorInfoOut {
  if (isHubError(e)) return e.toInfo();
  if (e && typeof e === 'object' && 'code' in e && 'message' in e && typeof e.code === 'string' && e.code.includes('/')) {
    return { code: e.code, message: String(e.message) };
  }
  return { code: 'internal', message: 'The hub failed to handle this request; the details are in its log.' };
}
