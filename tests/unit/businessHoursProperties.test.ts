import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { addBusinessTime, businessTimeBetween, calendarOrThrow, isOpen, nextOpening, type BusinessCalendar, type TimeResult } from '../../src/shared/time';

const MIN = 60_000;
const HOUR = 60 * MIN;

const value = <T>(r: TimeResult<T>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
};

const split = [
  { start: '09:00', end: '12:00' },
  { start: '13:00', end: '18:00' },
];
/** Calendars with lunch breaks, weekends, holidays, both US DST changes of 2026 and the EU ones. */
const calendars: BusinessCalendar[] = [
  calendarOrThrow({
    id: 'ny-split',
    timeZone: 'America/New_York',
    weekly: { mon: split, tue: split, wed: split, thu: split, fri: split, sat: [{ start: '10:00', end: '14:00' }] },
    holidays: [
      { date: '2026-03-09', name: 'Monday after the change' },
      { date: '2026-11-02', name: 'Monday after the change' },
      { date: '2026-12-25', name: 'Christmas Day' },
    ],
  }),
  calendarOrThrow({
    id: 'ny-night',
    timeZone: 'America/New_York',
    weekly: { sat: [{ start: '00:30', end: '03:30' }], sun: [{ start: '00:30', end: '03:30' }], wed: [{ start: '22:00', end: '24:00' }] },
  }),
  calendarOrThrow({ id: 'berlin', timeZone: 'Europe/Berlin', weekly: { mon: [{ start: '08:00', end: '17:00' }], thu: [{ start: '08:00', end: '17:00' }] } }),
  calendarOrThrow({ id: 'kolkata-247', timeZone: 'Asia/Kolkata', weekly: '24/7', holidays: [{ date: '2026-08-15', name: 'Independence Day' }] }),
];

const calendar = fc.constantFrom(...calendars);
/** Instants from December 2025 to January 2027, to the millisecond. */
const instant = fc.integer({ min: Date.parse('2025-12-01T00:00:00Z'), max: Date.parse('2027-01-31T00:00:00Z') });
/** Durations from zero to 120 business hours, sometimes whole minutes, sometimes odd milliseconds. */
const duration = fc.oneof(fc.integer({ min: 0, max: 120 * 60 }).map((m) => m * MIN), fc.integer({ min: 0, max: 120 * HOUR }));

describe('business-time arithmetic, for any calendar, start and duration', () => {
  it('a deadline never moves earlier when the start moves later', () => {
    fc.assert(
      fc.property(calendar, instant, instant, duration, (cal, a, b, d) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(value(addBusinessTime(cal, late, d))).toBeGreaterThanOrEqual(value(addBusinessTime(cal, early, d)));
      }),
    );
  });

  it('adding a then b equals adding a + b', () => {
    fc.assert(
      fc.property(calendar, instant, duration, duration, (cal, start, a, b) => {
        const stepwise = value(addBusinessTime(cal, value(addBusinessTime(cal, start, a)), b));
        expect(stepwise).toBe(value(addBusinessTime(cal, start, a + b)));
      }),
    );
  });

  it('the business time between a start and start + d is d', () => {
    fc.assert(
      fc.property(calendar, instant, duration, (cal, start, d) => {
        expect(businessTimeBetween(cal, start, value(addBusinessTime(cal, start, d)))).toBe(d);
      }),
    );
  });

  it('the last millisecond before a deadline is open, and so is the next opening', () => {
    fc.assert(
      fc.property(calendar, instant, duration, (cal, start, d) => {
        fc.pre(d > 0);
        expect(isOpen(cal, value(addBusinessTime(cal, start, d)) - 1)).toBe(true);
        const opening = value(nextOpening(cal, start));
        expect(isOpen(cal, opening)).toBe(true);
        expect(businessTimeBetween(cal, start, opening)).toBe(0);
      }),
    );
  });

  it('business time between splits at any point in between', () => {
    fc.assert(
      fc.property(calendar, instant, instant, instant, (cal, a, b, c) => {
        const [x, y, z] = [a, b, c].sort((p, q) => p - q) as [number, number, number];
        expect(businessTimeBetween(cal, x, y) + businessTimeBetween(cal, y, z)).toBe(businessTimeBetween(cal, x, z));
      }),
      { numRuns: 50 },
    );
  });

  it('agrees with a minute-by-minute count on the wall clock luxon reads, around the DST changes', () => {
    const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
    const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
    const openByWallClock = (cal: BusinessCalendar, ms: number): boolean => {
      const local = DateTime.fromMillis(ms, { zone: cal.timeZone });
      if (cal.holidays.some((h) => h.date === local.toISODate())) return false;
      if (cal.weekly === '24/7') return true;
      const ofDay = local.hour * 60 + local.minute;
      return (cal.weekly[DAYS[local.weekday - 1]!] ?? []).some((r) => ofDay >= minutes(r.start) && ofDay < minutes(r.end));
    };
    const nearChanges = fc.constantFrom('2026-03-07', '2026-03-28', '2026-10-24', '2026-10-31', '2026-12-24', '2026-08-14');
    fc.assert(
      fc.property(calendar, nearChanges, fc.integer({ min: 0, max: 24 * 60 }), fc.integer({ min: 0, max: 2 * 24 * 60 }), (cal, date, offset, span) => {
        const from = Date.parse(`${date}T00:00:00Z`) + offset * MIN;
        let expected = 0;
        for (let t = from; t < from + span * MIN; t += MIN) if (openByWallClock(cal, t)) expected += MIN;
        expect(businessTimeBetween(cal, from, from + span * MIN)).toBe(expected);
      }),
      { numRuns: 40 },
    );
  });
});
