// The sentence the UI shows for a failed call: the RpcError's own sentence, else a generic one.
import { t } from '../i18n';

export function messageOf(error: unknown, fallback = t('errors:generic')): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'string' && error) return error;
  return fallback;
}
