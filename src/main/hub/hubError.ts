// The errors the desktop's hub side answers the workspace with: a code from src/shared/errors.ts and
// a sentence the settings or the offer card shows. Its own file so every hub module can use it.
import { AppError, type ErrorText } from '../../shared/errors';

/** Codes this side answers with (all listed in src/shared/errors.ts's ErrorCode). */
export type HubErrorCode = 'hub/offline' | 'hub/refused' | 'hub/timeout' | 'hub/not-on-hub' | 'not-found' | 'config/invalid';

/** An error the contract's dispatcher passes to the workspace as {code, message}. */
export class HubError extends AppError {
  constructor(code: HubErrorCode, text: ErrorText) {
    super(code, text);
    this.name = 'HubError';
  }
}
