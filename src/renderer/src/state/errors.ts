// The sentence the UI shows for a failed call: main's or the hub's sentence in the agent's language
// (its serverErrors key), else its English sentence, else a generic one.
import { t } from '../i18n';
import { sentenceOf } from '../serverErrors';

export function messageOf(error: unknown, fallback = t('errors:generic')): string {
  if (error instanceof Error && error.message) {
    const { key, params } = error as Error & { key?: unknown; params?: unknown };
    if (typeof key === 'string') return sentenceOf({ message: error.message, key, params: typeof params === 'object' && params !== null ? (params as Record<string, string | number>) : {} });
    return error.message;
  }
  if (typeof error === 'string' && error) return error;
  return fallback;
}
