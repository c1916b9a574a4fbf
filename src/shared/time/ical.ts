// Holidays from an iCalendar file (a public-holiday feed, an export from a team calendar): every
// all-day VEVENT becomes one holiday per date it covers, recurring ones expanded over a year range.
// Limits: timed events are skipped (a holiday here closes a whole date) and reported as such.
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { fail, ok, type Holiday, type TimeResult } from './businessHours';

export interface ICalYearRange {
  /** First and last year (inclusive) whose dates are kept; recurring events are expanded over them. */
  fromYear: number;
  toYear: number;
}

export interface SkippedEvent {
  summary: string;
  reason: string;
}

export interface ICalHolidays {
  /** Sorted by date, one per date (the first event's name wins when two fall on one date). */
  holidays: Holiday[];
  /** Events that were read but could not become holidays, with the reason, for the import screen. */
  skipped: SkippedEvent[];
}

const MAX_YEARS = 100;
/** One event spanning more days than this is taken as a mistake rather than a year of holidays. */
const MAX_DAYS_PER_EVENT = 366;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const isoDate = (t: ICAL.Time): string => `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}`;

const DATE_PROPERTIES = ['dtstart', 'dtend', 'recurrence-id', 'exdate', 'rdate'];

/**
 * ical.js reads impossible dates leniently (20261399 becomes a day in 2027), so each date value is
 * checked as written; returns the first bad one as "DTSTART 2026-13-99".
 */
function impossibleDate(component: ICAL.Component): string | null {
  for (const name of DATE_PROPERTIES) {
    for (const property of component.getAllProperties(name)) {
      const [, , type, ...values] = property.toJSON() as [string, unknown, string, ...unknown[]];
      if (type !== 'date' && type !== 'date-time') continue;
      for (const raw of values) {
        const date = typeof raw === 'string' ? raw.slice(0, 10) : '';
        if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !DateTime.fromISO(date, { zone: 'utc' }).isValid) return `${name.toUpperCase()} ${String(raw)}`;
      }
    }
  }
  return null;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function holidaysFromICal(text: string, range: ICalYearRange): TimeResult<ICalHolidays> {
  const { fromYear, toYear } = range;
  if (!Number.isInteger(fromYear) || !Number.isInteger(toYear) || fromYear > toYear || toYear - fromYear >= MAX_YEARS || fromYear < 1800 || toYear > 2999) {
    return fail('ical/invalid-range', `The year range must be whole years from 1800 to 2999, at most ${MAX_YEARS} of them, first not after last; got ${fromYear}–${toYear}.`);
  }

  let root: ICAL.Component;
  try {
    const jcal: unknown = ICAL.parse(text);
    // Several top-level components parse into an array of them; a holiday feed has exactly one.
    const first: unknown = Array.isArray(jcal) && Array.isArray(jcal[0]) ? jcal[0] : jcal;
    root = new ICAL.Component(first as unknown[]);
  } catch (e) {
    return fail('ical/malformed', `The file is not a readable iCalendar file: ${messageOf(e)}.`);
  }
  if (root.name !== 'vcalendar') {
    return fail('ical/malformed', `The file is not an iCalendar file: it holds a ${root.name.toUpperCase() || 'nameless'} component, not a VCALENDAR.`);
  }

  const byDate = new Map<string, string>();
  const skipped: SkippedEvent[] = [];
  const inRange = (t: ICAL.Time): boolean => t.year >= fromYear && t.year <= toYear;

  /** Adds each date from start (inclusive) to end (exclusive; a missing or early end means one day). */
  const addDates = (start: ICAL.Time, end: ICAL.Time | null, name: string): void => {
    const day = start.clone();
    let count = 0;
    do {
      if (inRange(day) && !byDate.has(isoDate(day))) byDate.set(isoDate(day), name);
      day.adjust(1, 0, 0, 0);
      count++;
    } while (end !== null && day.compare(end) < 0 && count < MAX_DAYS_PER_EVENT);
  };

  try {
    const vevents = root.getAllSubcomponents('vevent');
    const exceptionsByUid = new Map<string, ICAL.Component[]>();
    for (const component of vevents) {
      if (!component.hasProperty('recurrence-id')) continue;
      const uid = String(component.getFirstPropertyValue('uid') ?? '');
      exceptionsByUid.set(uid, [...(exceptionsByUid.get(uid) ?? []), component]);
    }

    for (const component of vevents) {
      if (component.hasProperty('recurrence-id')) continue; // applied through its master below
      const uid = String(component.getFirstPropertyValue('uid') ?? '');
      const event = new ICAL.Event(component, { strictExceptions: true, exceptions: uid === '' ? [] : (exceptionsByUid.get(uid) ?? []) });
      const summary = (event.summary ?? '').trim() || 'Holiday';
      const bad = [component, ...(exceptionsByUid.get(uid) ?? [])].map(impossibleDate).find((b) => b !== null);
      if (bad) return fail('ical/malformed', `The event "${summary}" has a date that does not exist: ${bad}.`);
      if (!component.hasProperty('dtstart')) {
        skipped.push({ summary, reason: 'it has no start date (DTSTART)' });
        continue;
      }
      if (!event.startDate.isDate) {
        skipped.push({ summary, reason: 'it is not an all-day event; a holiday closes whole dates' });
        continue;
      }

      if (!event.isRecurring()) {
        addDates(event.startDate, event.endDate, summary);
        continue;
      }
      const occurrences = event.iterator();
      // A daily rule is the worst case; the bound keeps a rule without an end from running on.
      const limit = (toYear - Math.max(fromYear, event.startDate.year) + 1) * 367 + 1;
      for (let i = 0, next = occurrences.next(); next && next.year <= toYear && i < limit; i++, next = occurrences.next()) {
        if (next.year < fromYear) continue;
        const details = event.getOccurrenceDetails(next);
        if (!details.startDate.isDate) continue; // an exception moved this occurrence to a time of day
        addDates(details.startDate, details.endDate, (details.item.summary ?? '').trim() || summary);
      }
    }
  } catch (e) {
    return fail('ical/malformed', `The iCalendar file has an event that cannot be read: ${messageOf(e)}.`);
  }

  const holidays = [...byDate].map(([date, name]) => ({ date, name })).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return ok({ holidays, skipped });
}
