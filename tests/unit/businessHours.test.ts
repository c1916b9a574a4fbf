import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  businessTimeBetween,
  calendarOrThrow,
  isOpen,
  nextOpening,
  parseCalendar,
  weeklyOpenMs,
  type CalendarInput,
  type TimeResult,
} from '../../src/shared/time';

const MIN = 60_000;
const HOUR = 60 * MIN;
const NY = 'America/New_York';

/** An instant written with its offset, so each test says exactly which wall time it means. */
const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad instant ${iso}`);
  return ms;
};
/** The instant as wall time in a zone, with the offset, for readable expectations. */
const wall = (ms: number, zone = NY): string => DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true })!;
const value = <T>(r: TimeResult<T>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
};
const due = (cal: Parameters<typeof addBusinessTime>[0], start: string, ms: number, zone = NY) => wall(value(addBusinessTime(cal, at(start), ms)), zone);

const weekdays = (...ranges: Array<[string, string]>) => {
  const day = ranges.map(([start, end]) => ({ start, end }));
  return { mon: day, tue: day, wed: day, thu: day, fri: day };
};
const officeHours = (holidays: CalendarInput['holidays'] = []) =>
  calendarOrThrow({ id: 'office', timeZone: NY, weekly: weekdays(['09:00', '18:00']), holidays });
const office = officeHours();
const always = calendarOrThrow({ id: 'chat', timeZone: 'UTC', weekly: '24/7' });

describe('a first-response deadline on Mon–Fri 09:00–18:00 America/New_York', () => {
  it('a message at Friday 17:30 with a one-hour target is due Monday 09:30', () => {
    expect(due(office, '2026-02-06T17:30:00-05:00', HOUR)).toBe('2026-02-09T09:30:00-05:00');
  });

  it('is due Monday 09:30 across the March DST change (Friday 2026-03-06 17:30 EST → Monday 09:30 EDT)', () => {
    expect(due(office, '2026-03-06T17:30:00-05:00', HOUR)).toBe('2026-03-09T09:30:00-04:00');
  });

  it('is due Monday 09:30 across the November DST change (Friday 2026-10-30 17:30 EDT → Monday 09:30 EST)', () => {
    expect(due(office, '2026-10-30T17:30:00-04:00', HOUR)).toBe('2026-11-02T09:30:00-05:00');
  });

  it('with a holiday on Monday is due Tuesday 09:30', () => {
    const withHoliday = officeHours([{ date: '2026-02-16', name: "Presidents' Day" }]);
    expect(due(withHoliday, '2026-02-13T17:30:00-05:00', HOUR)).toBe('2026-02-17T09:30:00-05:00');
  });

  it('a 24/7 chat target of 2 minutes ignores the calendar, even on Saturday night', () => {
    expect(value(addBusinessTime(always, at('2026-02-07T23:59:00-05:00'), 2 * MIN))).toBe(at('2026-02-08T00:01:00-05:00'));
  });

  it('a start before opening counts from the opening', () => {
    expect(due(office, '2026-02-10T07:15:00-05:00', HOUR)).toBe('2026-02-10T10:00:00-05:00');
  });

  it('a start on the weekend counts from Monday morning', () => {
    expect(due(office, '2026-02-07T12:00:00-05:00', HOUR)).toBe('2026-02-09T10:00:00-05:00');
  });

  it('a start on a holiday counts from the next working morning', () => {
    const withHoliday = officeHours([{ date: '2026-02-16', name: "Presidents' Day" }]);
    expect(due(withHoliday, '2026-02-16T11:00:00-05:00', 30 * MIN)).toBe('2026-02-17T09:30:00-05:00');
  });

  it('a deadline that uses up the day exactly is the closing time, not the next morning', () => {
    expect(due(office, '2026-02-10T17:00:00-05:00', HOUR)).toBe('2026-02-10T18:00:00-05:00');
    expect(isOpen(office, at('2026-02-10T18:00:00-05:00'))).toBe(false);
  });

  it('a whole week of business time from Monday 09:00 ends Friday 18:00', () => {
    expect(due(office, '2026-02-09T09:00:00-05:00', 45 * HOUR)).toBe('2026-02-13T18:00:00-05:00');
    expect(weeklyOpenMs(office)).toBe(45 * HOUR);
  });

  it('adds a zero duration as no time at all, even when closed', () => {
    expect(value(addBusinessTime(office, at('2026-02-07T12:00:00-05:00'), 0))).toBe(at('2026-02-07T12:00:00-05:00'));
  });

  it('handles years of business time by skipping closed days, not minutes', () => {
    const start = at('2026-01-05T09:00:00-05:00');
    const tenYears = 10 * 52 * 45 * HOUR;
    const began = performance.now();
    const end = value(addBusinessTime(office, start, tenYears));
    expect(businessTimeBetween(office, start, end)).toBe(tenYears);
    expect(performance.now() - began).toBeLessThan(2_000);
    expect(wall(end).slice(0, 4)).toBe('2035');
  });
});

describe('open, next opening and time between', () => {
  it('is open from the start of a range up to, not including, its end', () => {
    expect(isOpen(office, at('2026-02-10T08:59:59-05:00'))).toBe(false);
    expect(isOpen(office, at('2026-02-10T09:00:00-05:00'))).toBe(true);
    expect(isOpen(office, at('2026-02-10T17:59:59-05:00'))).toBe(true);
    expect(isOpen(office, at('2026-02-07T12:00:00-05:00'))).toBe(false);
  });

  it('next opening is the instant itself when open, else the next morning', () => {
    expect(value(nextOpening(office, at('2026-02-10T10:00:00-05:00')))).toBe(at('2026-02-10T10:00:00-05:00'));
    expect(wall(value(nextOpening(office, at('2026-02-06T18:00:00-05:00'))))).toBe('2026-02-09T09:00:00-05:00');
  });

  it('measures business time between two instants, negative when reversed', () => {
    const from = at('2026-02-06T17:30:00-05:00');
    const to = at('2026-02-09T09:30:00-05:00');
    expect(businessTimeBetween(office, from, to)).toBe(HOUR);
    expect(businessTimeBetween(office, to, from)).toBe(-HOUR);
    expect(businessTimeBetween(office, from, from)).toBe(0);
  });
});

describe('several ranges per day', () => {
  const lunch = calendarOrThrow({ id: 'lunch', timeZone: NY, weekly: weekdays(['13:00', '18:00'], ['09:00', '12:00']) });

  it('skips the lunch break', () => {
    expect(due(lunch, '2026-02-10T11:30:00-05:00', HOUR)).toBe('2026-02-10T13:30:00-05:00');
    expect(isOpen(lunch, at('2026-02-10T12:30:00-05:00'))).toBe(false);
    expect(wall(value(nextOpening(lunch, at('2026-02-10T12:30:00-05:00'))))).toBe('2026-02-10T13:00:00-05:00');
    expect(businessTimeBetween(lunch, at('2026-02-10T00:00:00-05:00'), at('2026-02-11T00:00:00-05:00'))).toBe(8 * HOUR);
  });

  it('chains a range ending at 24:00 into one starting at 00:00 the next day', () => {
    const lateShift = calendarOrThrow({
      id: 'late',
      timeZone: NY,
      weekly: { fri: [{ start: '18:00', end: '24:00' }], sat: [{ start: '00:00', end: '02:00' }] },
    });
    expect(due(lateShift, '2026-02-06T23:30:00-05:00', HOUR)).toBe('2026-02-07T00:30:00-05:00');
    expect(due(lateShift, '2026-02-07T01:30:00-05:00', HOUR)).toBe('2026-02-13T18:30:00-05:00');
  });

  it('merges ranges that touch', () => {
    const touching = calendarOrThrow({ id: 't', timeZone: NY, weekly: weekdays(['09:00', '12:00'], ['12:00', '18:00']) });
    expect(weeklyOpenMs(touching)).toBe(45 * HOUR);
    expect(due(touching, '2026-02-10T11:30:00-05:00', HOUR)).toBe('2026-02-10T12:30:00-05:00');
  });
});

describe('days on which the clocks change', () => {
  const night = calendarOrThrow({
    id: 'night',
    timeZone: NY,
    weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '01:00', end: '03:00' }]])),
  });
  const day = (date: string, offset: string) => [at(`${date}T00:00:00${offset}`), at(`${date}T12:00:00${offset}`)] as const;

  it('a range 01:00–03:00 is 2 hours on a normal day, 1 hour on the spring-forward day, 3 hours on the fall-back day', () => {
    expect(businessTimeBetween(night, ...day('2026-03-07', '-05:00'))).toBe(2 * HOUR);
    expect(businessTimeBetween(night, ...day('2026-03-08', '-05:00'))).toBe(1 * HOUR);
    expect(businessTimeBetween(night, ...day('2026-11-01', '-04:00'))).toBe(3 * HOUR);
  });

  it('on the spring-forward day 02:30 does not exist, so the range runs 01:00 EST to 03:00 EDT', () => {
    expect(due(night, '2026-03-08T01:00:00-05:00', 30 * MIN)).toBe('2026-03-08T01:30:00-05:00');
    expect(due(night, '2026-03-08T01:00:00-05:00', 60 * MIN)).toBe('2026-03-08T03:00:00-04:00');
    expect(due(night, '2026-03-08T01:00:00-05:00', 61 * MIN)).toBe('2026-03-09T01:01:00-04:00');
  });

  it('on the fall-back day the repeated hour is open twice', () => {
    expect(isOpen(night, at('2026-11-01T01:30:00-04:00'))).toBe(true);
    expect(isOpen(night, at('2026-11-01T01:30:00-05:00'))).toBe(true);
    expect(due(night, '2026-11-01T01:00:00-04:00', 150 * MIN)).toBe('2026-11-01T02:30:00-05:00');
  });

  it('a 24/7 calendar with a holiday in New York measures the spring-forward day as 23 hours', () => {
    const nyAlways = calendarOrThrow({ id: 'ny247', timeZone: NY, weekly: '24/7', holidays: [{ date: '2026-12-25', name: 'Christmas Day' }] });
    expect(businessTimeBetween(nyAlways, at('2026-03-08T00:00:00-05:00'), at('2026-03-09T00:00:00-04:00'))).toBe(23 * HOUR);
    expect(due(nyAlways, '2026-12-24T23:00:00-05:00', 2 * HOUR)).toBe('2026-12-26T01:00:00-05:00');
  });
});

describe('calendars in other zones', () => {
  it('Europe/Berlin: a Friday afternoon message is due Monday across the EU change on March 29', () => {
    const berlin = calendarOrThrow({ id: 'berlin', timeZone: 'Europe/Berlin', weekly: weekdays(['09:00', '17:00']) });
    expect(due(berlin, '2026-03-27T16:30:00+01:00', HOUR, 'Europe/Berlin')).toBe('2026-03-30T09:30:00+02:00');
    // The same instant in New York is 11:30 on Friday: Berlin's calendar, not the reader's, decides.
    expect(isOpen(berlin, at('2026-03-27T11:30:00-04:00'))).toBe(true);
  });

  it('Asia/Kolkata (+05:30, no DST): Saturday hours and a half-hour offset', () => {
    const kolkata = calendarOrThrow({
      id: 'kolkata',
      timeZone: 'Asia/Kolkata',
      weekly: { ...weekdays(['10:00', '19:00']), sat: [{ start: '10:00', end: '14:00' }] },
    });
    expect(due(kolkata, '2026-02-07T13:45:00+05:30', 30 * MIN, 'Asia/Kolkata')).toBe('2026-02-09T10:15:00+05:30');
    expect(isOpen(kolkata, at('2026-02-09T04:30:00Z'))).toBe(true);
    expect(isOpen(kolkata, at('2026-02-09T04:29:59Z'))).toBe(false);
  });
});

describe('calendar definitions are validated data', () => {
  const base = { id: 'x', timeZone: NY };
  const error = (input: unknown) => {
    const r = parseCalendar(input);
    if (r.ok) throw new Error('expected an error');
    return r.error;
  };

  it('rejects overlapping ranges, naming both', () => {
    const e = error({ ...base, weekly: { mon: [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '13:00' }] } });
    expect(e.code).toBe('calendar/invalid');
    expect(e.message).toContain('weekly.mon[1]: 11:00–13:00 overlaps 09:00–12:00');
  });

  it('rejects a range that ends before it starts, and a time that is not HH:MM', () => {
    expect(error({ ...base, weekly: { tue: [{ start: '18:00', end: '09:00' }] } }).message).toContain('weekly.tue[0]: must start before it ends');
    expect(error({ ...base, weekly: { tue: [{ start: '9am', end: '12:00' }] } }).message).toContain('weekly.tue[0].start: must be a time of day written HH:MM');
    expect(error({ ...base, weekly: { tue: [{ start: '09:00', end: '24:30' }] } }).message).toContain('weekly.tue[0].end');
  });

  it('rejects an unknown time zone, an unknown day, a date that does not exist and a bad weekly value', () => {
    expect(error({ ...base, timeZone: 'Mars/Olympus', weekly: '24/7' }).message).toContain('timeZone: is not an IANA time zone');
    expect(error({ ...base, weekly: { funday: [] } }).message).toContain('has unknown day "funday"');
    expect(error({ ...base, weekly: '24/7', holidays: [{ date: '2026-02-30', name: 'x' }] }).message).toContain('holidays[0].date: is not a real calendar date');
    expect(error({ ...base, weekly: 'always' }).message).toContain('weekly: must be "24/7" or the open ranges per day');
  });

  it('accepts 24:00 as an end, and parsed calendars are frozen plain data', () => {
    const cal = value(parseCalendar({ ...base, weekly: { sun: [{ start: '20:00', end: '24:00' }] } }));
    expect(Object.isFrozen(cal)).toBe(true);
    expect(JSON.parse(JSON.stringify(cal))).toEqual({ ...base, weekly: { sun: [{ start: '20:00', end: '24:00' }] }, holidays: [] });
  });

  it('a calendar with no open hours gives an error value instead of looping', () => {
    const closed = calendarOrThrow({ ...base, weekly: {} });
    const r = addBusinessTime(closed, at('2026-02-10T10:00:00-05:00'), HOUR);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('calendar/never-open');
    expect(!r.ok && r.error.message).toContain('"x" has no open hours');
    expect(nextOpening(closed, at('2026-02-10T10:00:00-05:00')).ok).toBe(false);
    expect(businessTimeBetween(closed, at('2026-02-10T10:00:00-05:00'), at('2026-03-10T10:00:00-05:00'))).toBe(0);
  });

  it('refuses a negative or non-finite duration as a value', () => {
    const r = addBusinessTime(office, at('2026-02-10T10:00:00-05:00'), -1);
    expect(!r.ok && r.error.code).toBe('time/invalid-input');
    expect(addBusinessTime(office, Number.NaN, HOUR).ok).toBe(false);
  });
});
