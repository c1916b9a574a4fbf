// Business-hours calendars (an IANA time zone, open ranges per weekday or 24/7, holiday dates) and
// the arithmetic on them: add business time, measure it, is-open, next opening. Pure: instants in.
// Limits: a holiday closes a whole local date; a zone is assumed to change its UTC offset at most
// once in any 7 days (true of every zone since 1970); instants must lie in the years 1800–2999.
//
// Why luxon: it is maintained, reads IANA zones through Intl (the runtime's own, updated tz data,
// nothing bundled to go stale) and gives DST-correct offsets. We use only `IANAZone` (validity and
// the offset at an instant) and map wall clock <-> instant ourselves over constant-offset segments,
// because `DateTime.fromObject` resolves an ambiguous wall time with the offset in force *today*
// (a hidden clock read), so a range's length on a DST day would depend on when the code runs.
// The rule used here: an instant is open when its wall-clock reading on its local date falls in a
// range. So on the spring-forward day 01:00–03:00 is 1 hour long, on the fall-back day 3 hours.
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { fieldSays, saidIssue, unknownDaySaid, WEEKDAY_KEYS } from '../fieldSentence';
import { say } from '../serverErrors';

// ---------------------------------------------------------------------------------------------
// Errors as values

export type TimeErrorCode =
  | 'calendar/invalid'
  | 'calendar/never-open'
  | 'calendar/out-of-range'
  | 'time/invalid-input'
  | 'ical/malformed'
  | 'ical/invalid-range'
  | 'sla/invalid-policy'
  | 'sla/invalid-history';

export interface TimeError {
  code: TimeErrorCode;
  message: string;
}

export type TimeResult<T> = { ok: true; value: T } | { ok: false; error: TimeError };

export const ok = <T>(value: T): TimeResult<T> => ({ ok: true, value });
export const fail = <T = never>(code: TimeErrorCode, message: string): TimeResult<T> => ({ ok: false, error: { code, message } });

/** One sentence per problem, each prefixed with where it is: `weekly.mon[1].end: …`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.reduce<string>(
        (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc === '' ? String(key) : `${acc}.${String(key)}`),
        '',
      );
      return where === '' ? issue.message : `${where}: ${issue.message}`;
    })
    .join('; ');
}

// ---------------------------------------------------------------------------------------------
// The calendar as data

export const WEEKDAYS = WEEKDAY_KEYS;
export type Weekday = (typeof WEEKDAYS)[number];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `HH:MM` on a 24-hour clock; `24:00` is the end of the day and only makes sense as an end. */
export const TimeOfDay = z
  .string()
  .regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, { message: fieldSays(say('hoursTimeOfDay')) });

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export const HoursRange = z
  .strictObject({ start: TimeOfDay, end: TimeOfDay })
  .refine((r) => !TimeOfDay.safeParse(r.start).success || !TimeOfDay.safeParse(r.end).success || minutesOf(r.start) < minutesOf(r.end), {
    message: fieldSays(say('hoursRangeOrder')),
  });
export type HoursRange = z.infer<typeof HoursRange>;

const dayRanges = z.array(HoursRange).superRefine((ranges, ctx) => {
  const sorted = ranges.map((r, index) => ({ ...r, index, from: minutesOf(r.start), to: minutesOf(r.end) })).sort((a, b) => a.from - b.from);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.from < prev.to) {
      saidIssue(ctx, [cur.index], say('hoursOverlap', { range: `${cur.start}–${cur.end}`, other: `${prev.start}–${prev.end}` }));
    }
  }
});

const dayKeys = z.strictObject(
  {
    mon: dayRanges.optional(),
    tue: dayRanges.optional(),
    wed: dayRanges.optional(),
    thu: dayRanges.optional(),
    fri: dayRanges.optional(),
    sat: dayRanges.optional(),
    sun: dayRanges.optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? unknownDaySaid(issue.keys).message : undefined,
  },
);

/** `'24/7'`, or per weekday a list of ranges (a day left out or empty is closed). */
export const WeeklyHours = z.union([z.literal('24/7'), dayKeys], {
  error: fieldSays(say('hoursWeekly')),
});
export type WeeklyHours = z.infer<typeof WeeklyHours>;

/** A calendar date, `YYYY-MM-DD`, that exists (no 2026-02-30). */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: fieldSays(say('dateFormat')) })
  .refine((s) => DateTime.fromISO(s, { zone: 'utc' }).isValid, { message: fieldSays(say('dateNotReal')) });

export const Holiday = z.strictObject({ date: IsoDate, name: z.string().min(1, { message: fieldSays(say('holidayName')) }) });
export type Holiday = z.infer<typeof Holiday>;

export const IanaTimeZone = z.string().refine((s) => IANAZone.isValidZone(s), {
  message: fieldSays(say('timeZoneUnknown')),
});

export const CalendarDefinition = z.strictObject({
  id: z.string().min(1, { message: fieldSays(say('calendarId')) }),
  timeZone: IanaTimeZone,
  weekly: WeeklyHours,
  holidays: z.array(Holiday).default([]),
});
/** What a configuration file holds (holidays may be left out). */
export type CalendarInput = z.input<typeof CalendarDefinition>;
export type CalendarDefinition = z.output<typeof CalendarDefinition>;

declare const validated: unique symbol;
/**
 * A calendar that passed `parseCalendar`: still the plain, frozen definition data (it serializes
 * as such), typed so the arithmetic below only ever sees a validated one.
 */
export type BusinessCalendar = Readonly<CalendarDefinition> & { readonly [validated]: true };

// ---------------------------------------------------------------------------------------------
// The compiled form: ranges in milliseconds from local midnight, holidays as local day numbers.

interface Compiled {
  zone: IANAZone;
  /** 24/7 with no holidays: business time is plain elapsed time. */
  alwaysOpen: boolean;
  /** Index 0 is Monday; sorted, touching ranges merged. */
  week: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
  weekOpenMs: number;
  /** Days since 1970-01-01 of the local holiday dates. */
  holidays: ReadonlySet<number>;
  /** Offset changes found so far (a few per year of deadlines): checked before searching again. */
  transitions: number[];
}

const compiledCache = new WeakMap<object, Compiled>();

function compile(def: CalendarDefinition): Compiled {
  const week = WEEKDAYS.map((day) => {
    const ranges = def.weekly === '24/7' ? [{ start: '00:00', end: '24:00' }] : (def.weekly[day] ?? []);
    const spans = ranges.map((r) => [minutesOf(r.start) * MINUTE, minutesOf(r.end) * MINUTE] as [number, number]).sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const span of spans) {
      const last = merged[merged.length - 1];
      if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
      else merged.push([span[0], span[1]]);
    }
    return merged;
  });
  const holidays = new Set(def.holidays.map((h) => Math.round(DateTime.fromISO(h.date, { zone: 'utc' }).toMillis() / DAY)));
  return {
    zone: IANAZone.create(def.timeZone),
    alwaysOpen: def.weekly === '24/7' && holidays.size === 0,
    week,
    weekOpenMs: week.reduce((sum, day) => sum + day.reduce((s, [a, b]) => s + b - a, 0), 0),
    holidays,
    transitions: [],
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Validates a calendar definition; the error says which field is wrong and how. */
export function parseCalendar(input: unknown): TimeResult<BusinessCalendar> {
  const parsed = CalendarDefinition.safeParse(input);
  if (!parsed.success) {
    const id = typeof input === 'object' && input !== null && 'id' in input && typeof input.id === 'string' ? ` "${input.id}"` : '';
    return fail('calendar/invalid', `The business-hours calendar${id} is not valid: ${describeIssues(parsed.error)}.`);
  }
  const calendar = deepFreeze(parsed.data) as BusinessCalendar;
  compiledCache.set(calendar, compile(calendar));
  return ok(calendar);
}

/** For constants known to be valid (defaults, tests): throws with the validation sentence otherwise. */
export function calendarOrThrow(input: CalendarInput): BusinessCalendar {
  const result = parseCalendar(input);
  if (!result.ok) throw new TypeError(result.error.message);
  return result.value;
}

function compiled(calendar: BusinessCalendar): Compiled {
  const hit = compiledCache.get(calendar);
  if (hit) return hit;
  // A copy that lost its cache entry (structuredClone, JSON round trip): validate it again.
  const again = CalendarDefinition.safeParse(calendar);
  if (!again.success) throw new TypeError(`Not a validated calendar: ${describeIssues(again.error)}`);
  const made = compile(again.data);
  compiledCache.set(calendar, made);
  return made;
}

// ---------------------------------------------------------------------------------------------
// Instants, offsets and the walk over open intervals

export const MIN_INSTANT = Date.UTC(1800, 0, 1);
export const MAX_INSTANT = Date.UTC(3000, 0, 1);
/** How far ahead addBusinessTime / nextOpening look before giving up. */
export const SEARCH_HORIZON_MS = 100 * 366 * DAY;
/** Offset changes are looked for in steps this long (see the module's limits). */
const PROBE_MS = 7 * DAY;

const isInstant = (t: number): boolean => Number.isFinite(t) && t >= MIN_INSTANT && t <= MAX_INSTANT;

function requireInstant(t: number, what: string): void {
  if (!isInstant(t)) throw new RangeError(`${what} must be epoch milliseconds between the years 1800 and 3000, got ${t}.`);
}

const offsetMs = (zone: IANAZone, t: number): number => Math.round(zone.offset(t) * MINUTE);

/** Monday = 0 for a day number counted from Thursday 1970-01-01. */
const weekdayIndex = (day: number): number => (((day + 3) % 7) + 7) % 7;

/** The first instant in (lo, hi] whose offset is not `o`, given that hi's is not. */
function offsetChange(zone: IANAZone, lo: number, hi: number, o: number): number {
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (offsetMs(zone, mid) === o) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * A change already found that lies in (lo, hi] and leaves offset `o`: the same answer as the search,
 * since a window holds at most one change. Deadlines counted in a DST week (thousands when a new
 * configuration recounts a queue) then cost two offset look-ups instead of a search each.
 */
function knownOffsetChange(c: Compiled, lo: number, hi: number, o: number): number | null {
  for (const x of c.transitions) if (x > lo && x <= hi && offsetMs(c.zone, x - 1) === o && offsetMs(c.zone, x) !== o) return x;
  return null;
}

function rememberOffsetChange(c: Compiled, x: number): number {
  if (!c.transitions.includes(x)) {
    c.transitions.push(x);
    if (c.transitions.length > 16) c.transitions.shift();
  }
  return x;
}

type Interval = readonly [number, number];

/**
 * The open intervals [start, end) that intersect [from, until), in time order, clipped to it.
 * Works in segments of constant UTC offset, where wall time is instant + offset, and walks
 * local dates arithmetically inside each, so closed days cost a few additions, not luxon calls.
 * Adjacent intervals (23:00–24:00 then 00:00–01:00) are not merged.
 */
function* openIntervals(c: Compiled, from: number, until: number): Generator<Interval> {
  let t = from;
  while (t < until) {
    const o = offsetMs(c.zone, t);
    let end = Math.min(t + PROBE_MS, until);
    if (offsetMs(c.zone, end) !== o) end = knownOffsetChange(c, t, end, o) ?? rememberOffsetChange(c, offsetChange(c.zone, t, end, o));
    const w0 = t + o;
    const w1 = end + o;
    for (let day = Math.floor(w0 / DAY); day * DAY < w1; day++) {
      if (c.holidays.has(day)) continue;
      const midnight = day * DAY;
      for (const [a, b] of c.week[weekdayIndex(day)]!) {
        const s = Math.max(midnight + a, w0);
        const e = Math.min(midnight + b, w1);
        if (s < e) yield [s - o, e - o];
      }
    }
    t = end;
  }
}

const neverOpen = (calendar: BusinessCalendar): TimeResult<never> =>
  fail('calendar/never-open', `The calendar "${calendar.id}" has no open hours on any weekday, so no deadline can be reached on it.`);

// ---------------------------------------------------------------------------------------------
// The public arithmetic

/**
 * Whether the calendar is open at this instant (ranges include their start, exclude their end).
 * Throws a RangeError for an instant that is not a number of the years 1800–2999 (a caller's bug).
 */
export function isOpen(calendar: BusinessCalendar, at: number): boolean {
  requireInstant(at, 'The instant');
  const c = compiled(calendar);
  if (c.alwaysOpen) return true;
  const wall = at + offsetMs(c.zone, at);
  const day = Math.floor(wall / DAY);
  if (c.holidays.has(day)) return false;
  const sinceMidnight = wall - day * DAY;
  return c.week[weekdayIndex(day)]!.some(([a, b]) => sinceMidnight >= a && sinceMidnight < b);
}

/** `at` itself when the calendar is open then, otherwise the instant it next opens. */
export function nextOpening(calendar: BusinessCalendar, at: number): TimeResult<number> {
  if (!isInstant(at)) return fail('time/invalid-input', `The start must be epoch milliseconds between the years 1800 and 3000, got ${at}.`);
  const c = compiled(calendar);
  if (c.alwaysOpen) return ok(at);
  if (c.weekOpenMs === 0) return neverOpen(calendar);
  for (const [start] of openIntervals(c, at, Math.min(at + SEARCH_HORIZON_MS, MAX_INSTANT))) return ok(start);
  return fail('calendar/out-of-range', `The calendar "${calendar.id}" does not open within 100 years of the given instant.`);
}

/**
 * The instant at which `durationMs` of open time has passed since `startMs`; a start outside the
 * hours begins counting at the next opening. A zero duration returns the start unchanged, so that
 * adding a then b always equals adding a + b. A deadline that lands exactly on a closing time is
 * that closing time (17:00 + 1 h with 18:00 closing is 18:00, not the next morning).
 */
export function addBusinessTime(calendar: BusinessCalendar, startMs: number, durationMs: number): TimeResult<number> {
  if (!isInstant(startMs)) return fail('time/invalid-input', `The start must be epoch milliseconds between the years 1800 and 3000, got ${startMs}.`);
  if (!Number.isFinite(durationMs) || durationMs < 0) {
    return fail('time/invalid-input', `A business-time duration must be a finite, non-negative number of milliseconds, got ${durationMs}.`);
  }
  if (durationMs === 0) return ok(startMs);
  const c = compiled(calendar);
  if (c.alwaysOpen) {
    const due = startMs + durationMs;
    return due <= MAX_INSTANT ? ok(due) : fail('calendar/out-of-range', 'The deadline would fall after the year 3000.');
  }
  if (c.weekOpenMs === 0) return neverOpen(calendar);
  let remaining = durationMs;
  for (const [s, e] of openIntervals(c, startMs, Math.min(startMs + SEARCH_HORIZON_MS, MAX_INSTANT))) {
    if (remaining <= e - s) return ok(s + remaining);
    remaining -= e - s;
  }
  return fail('calendar/out-of-range', `On the calendar "${calendar.id}" that much business time does not pass within 100 years.`);
}

/**
 * Open time between two instants, in milliseconds; negative when `toMs` is before `fromMs`.
 * Cost grows with the number of days spanned (a few additions each, one offset look-up a week).
 * Throws a RangeError for an instant outside the years 1800–2999 (a caller's bug).
 */
export function businessTimeBetween(calendar: BusinessCalendar, fromMs: number, toMs: number): number {
  requireInstant(fromMs, 'The start');
  requireInstant(toMs, 'The end');
  if (toMs < fromMs) return -businessTimeBetween(calendar, toMs, fromMs);
  const c = compiled(calendar);
  if (c.alwaysOpen) return toMs - fromMs;
  let total = 0;
  for (const [s, e] of openIntervals(c, fromMs, toMs)) total += e - s;
  return total;
}

/** Nominal open time in one week (ignoring DST and holidays), e.g. 45 h for Mon–Fri 09:00–18:00. */
export function weeklyOpenMs(calendar: BusinessCalendar): number {
  return compiled(calendar).weekOpenMs;
}
