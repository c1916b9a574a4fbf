// A schema's problem as a catalog sentence. zod takes a field's message as plain English, so the
// schemas the channel configuration is checked with register each message with its key here
// (`fieldSays`), a cross-field or custom check puts its key in the issue's params (`saidIssue`), and
// `issueSaid` finds the key of any issue again: by those params, by its registered English, or, for
// a check zod words itself (a wrong type, an unknown field), by what the issue says it is.
import type { z } from 'zod';
import { say, type Said } from './serverErrors';

const registered = new Map<string, Said>();

/** The English of a field's message for a schema, remembered with its key. */
export function fieldSays(said: Said): string {
  registered.set(said.message, said);
  return said.message;
}

/** A custom issue with its English as the message and its key and params in the issue's params. */
export function saidIssue(ctx: z.RefinementCtx, path: PropertyKey[], said: Said): void {
  ctx.addIssue({ code: 'custom', path, message: said.message, params: { key: said.key, params: said.params } });
}

const list = (items: readonly unknown[]): string => items.map((k) => (typeof k === 'string' ? `"${k}"` : String(k))).join(', ');

/** The days a week of opening hours names (businessHours.ts). */
export const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** The sentence an unknown day in a week of opening hours gets. */
export const unknownDaySaid = (keys: readonly string[]): Said => say('hoursUnknownDay', { keys: list(keys), days: WEEKDAY_KEYS.join(', ') });

const VALUE_TYPES = new Set(['string', 'number', 'boolean', 'object', 'array']);

/** The catalog sentence of a zod issue; null for a custom check that registered no sentence (its English stands). */
export function issueSaid(issue: z.core.$ZodIssue): Said | null {
  if (issue.code === 'custom' && typeof issue.params?.key === 'string') {
    const params = (issue.params.params ?? {}) as Record<string, string | number>;
    return { key: issue.params.key as Said['key'], params, message: issue.message };
  }
  const known = registered.get(issue.message);
  if (known) return known;
  switch (issue.code) {
    case 'custom':
      return null;
    case 'unrecognized_keys': {
      const day = unknownDaySaid(issue.keys);
      return issue.message === day.message ? day : say('fieldUnknownKeys', { keys: list(issue.keys) });
    }
    case 'invalid_type':
      return say('fieldExpected', { expected: VALUE_TYPES.has(issue.expected) ? issue.expected : 'other' });
    case 'invalid_value':
      return say('fieldOneOf', { values: list(issue.values) });
    case 'too_small':
      if (issue.origin === 'string') return say('fieldTooSmallText', { min: Number(issue.minimum) });
      if (issue.origin === 'array' || issue.origin === 'set') return say('fieldTooSmallList', { min: Number(issue.minimum) });
      return say('fieldMin', { min: Number(issue.minimum) });
    case 'too_big':
      if (issue.origin === 'string') return say('fieldMaxChars', { max: Number(issue.maximum) });
      if (issue.origin === 'array' || issue.origin === 'set') return say('fieldTooBigList', { max: Number(issue.maximum) });
      return say('fieldMax', { max: Number(issue.maximum) });
    default:
      return say('fieldInvalid');
  }
}
