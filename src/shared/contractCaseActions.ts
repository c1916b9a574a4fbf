// Case actions' part of the renderer<->main contract: resolve with a resolution code, snooze until a
// time or the customer's reply, reopen, link two cases, tags, and merge and split cases. Merged into contract.ts's `requests` and
// `events` with a spread. The resolution codes and the snooze presets are data here; no clock is read
// (the caller passes `now`).
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { CaseStatus, Id, Millis } from './domain';

/** Why a case was resolved; the first is the default (Enter in the dialog picks it). */
export const RESOLUTION_CODES = [
  { id: 'solved', label: 'Solved' },
  { id: 'workaround', label: 'Workaround given' },
  { id: 'duplicate', label: 'Duplicate' },
  { id: 'not_reproducible', label: 'Not reproducible' },
  { id: 'customer_unresponsive', label: 'Customer unresponsive' },
  { id: 'spam', label: 'Spam' },
] as const;
export const ResolutionCode = z.enum(RESOLUTION_CODES.map((c) => c.id) as [ResolutionCodeId, ...ResolutionCodeId[]]);
export type ResolutionCodeId = (typeof RESOLUTION_CODES)[number]['id'];
export const DEFAULT_RESOLUTION_CODE: ResolutionCodeId = 'solved';

/** "Workaround given" for 'workaround'; the code itself for one this version does not know. */
export function resolutionLabel(code: string): string {
  return RESOLUTION_CODES.find((c) => c.id === code)?.label ?? code;
}

const Zone = z
  .string()
  .min(1)
  .max(100)
  .refine((zone) => IANAZone.isValidZone(zone), 'Unknown time zone.');

export const SnoozePreset = z.enum(['1h', 'tomorrow', 'nextMonday']);
export type SnoozePreset = z.infer<typeof SnoozePreset>;

export const SNOOZE_PRESETS: ReadonlyArray<{ id: SnoozePreset; label: string }> = [
  { id: '1h', label: 'For 1 hour' },
  { id: 'tomorrow', label: 'Tomorrow 9:00' },
  { id: 'nextMonday', label: 'Next Monday 9:00' },
];

/** When a preset ends, in the agent's time zone: an hour from now, tomorrow 9:00, next Monday 9:00 (a week on when today is Monday). */
export function snoozePresetUntil(preset: SnoozePreset, now: number, zone: string): number {
  const local = DateTime.fromMillis(now, { zone });
  switch (preset) {
    case '1h':
      return now + 3_600_000;
    case 'tomorrow':
      return local.plus({ days: 1 }).set({ hour: 9, minute: 0, second: 0, millisecond: 0 }).toMillis();
    case 'nextMonday': {
      const days = ((8 - local.weekday) % 7) || 7;
      return local.plus({ days }).set({ hour: 9, minute: 0, second: 0, millisecond: 0 }).toMillis();
    }
  }
}

/** "Mon 12 Jan, 09:00" in the given zone: how the snooze's end reads on the timeline and in the header. */
export function formatSnoozeUntil(until: number, zone: string): string {
  return DateTime.fromMillis(until, { zone }).toFormat('ccc d LLL, HH:mm');
}

export const LinkedCase = z.object({ caseId: Id, customerId: Id, subject: z.string(), status: CaseStatus });
export type LinkedCase = z.infer<typeof LinkedCase>;

/** A tag as the agent types it; stored trimmed and in lower case, so "Refund" and "refund" are one tag. */
export const CaseTag = z
  .string()
  .trim()
  .min(1, 'Enter a tag.')
  .max(60, 'A tag has at most 60 characters.')
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} _-]*$/u, 'A tag is letters and digits, with spaces, - or _ between them.')
  .transform((t) => t.toLowerCase());

export const CaseActionsView = z.object({
  caseId: Id,
  status: CaseStatus,
  /** The code of the last resolve, while the case is resolved. */
  resolutionCode: z.string().nullable(),
  /** While snoozed: when it comes back (null: when the customer writes). */
  snoozedUntil: Millis.nullable(),
  untilReply: z.boolean(),
  links: z.array(LinkedCase),
  /** The case's tags, by name. */
  tags: z.array(z.string()),
  /** Set once the case was merged into another (it is then closed). */
  mergedInto: Id.nullable(),
});
export type CaseActionsView = z.infer<typeof CaseActionsView>;

export const caseActionsRequests = {
  /** Status, resolution code, snooze and links of one case, for the conversation header. */
  caseActions: {
    input: z.object({ caseId: Id }).strict(),
    output: CaseActionsView,
  },
  /** Resolves with a code: the timeline says "Resolved as Workaround given"; the hub and mail archive follow. */
  resolveWithCode: {
    input: z.object({ caseId: Id, code: ResolutionCode }).strict(),
    output: CaseActionsView.extend({ changed: z.boolean() }),
  },
  /** Snoozes an open case until a time (`until`) or, with `until` null, until the customer writes. */
  snoozeCase: {
    input: z
      .object({
        caseId: Id,
        until: Millis.nullable(),
        /** The agent's zone, for the timeline line's wording. */
        zone: Zone.default('UTC'),
      })
      .strict(),
    output: CaseActionsView,
  },
  /** Opens a resolved or closed case again. */
  reopenCase: {
    input: z.object({ caseId: Id }).strict(),
    output: CaseActionsView.extend({ changed: z.boolean() }),
  },
  /** Links two cases by number (both ways, once). */
  linkCases: {
    input: z.object({ caseId: Id, otherCaseId: z.number({ error: 'Enter a case number.' }).int('Enter a case number.').positive('Enter a case number.') }).strict(),
    output: CaseActionsView,
  },
  /** Adds a tag to a case (once); the queue's tag views follow (queueChanged). */
  addCaseTag: {
    input: z.object({ caseId: Id, tag: CaseTag }).strict(),
    output: CaseActionsView,
  },
  /** Takes a tag off a case; a tag the case does not carry changes nothing. */
  removeCaseTag: {
    input: z.object({ caseId: Id, tag: z.string().trim().min(1).max(60) }).strict(),
    output: CaseActionsView,
  },
  /**
   * Merges a case into another open case of the same customer, in one transaction: its events move to
   * the target's timeline, its tags and links go along, and it is closed with a pointer to the target.
   */
  mergeCase: {
    input: z.object({ caseId: Id, intoCaseId: z.number({ error: 'Pick the case to merge into.' }).int().positive('Pick the case to merge into.') }).strict(),
    output: z.object({ source: CaseActionsView, target: CaseActionsView, movedEvents: z.number().int().nonnegative() }),
  },
  /**
   * Splits a case at a message: that message and the later ones of its thread (the run of events on
   * its channel) become a new open case of the same customer, linked to the original.
   */
  splitCase: {
    input: z.object({ caseId: Id, eventId: Id, subject: z.string().trim().min(1).max(300).optional() }).strict(),
    output: z.object({ original: CaseActionsView, created: CaseActionsView, customerId: Id, movedEvents: z.number().int().positive() }),
  },
} satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export const caseActionsEvents = {} satisfies Record<string, z.ZodType>;

export type CaseActionsRequests = typeof caseActionsRequests;
export type CaseActionsRequestName = keyof CaseActionsRequests;
export type CaseActionsParsedInput<K extends CaseActionsRequestName> = z.output<CaseActionsRequests[K]['input']>;
export type CaseActionsRequestOutput<K extends CaseActionsRequestName> = z.output<CaseActionsRequests[K]['output']>;
