import { describe, expect, it } from 'vitest';
import { addBusinessTime, calendarOrThrow, holidaysFromICal, type TimeResult } from '../../src/shared/time';

const value = <T>(r: TimeResult<T>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
};

/** A small hand-written holiday feed, CRLF line endings as RFC 5545 wants. */
const FEED = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Omni Desk//Holidays test//EN',
  'BEGIN:VEVENT',
  'UID:independence-observed-2026@example.com',
  'DTSTAMP:20250101T000000Z',
  'DTSTART;VALUE=DATE:20260703',
  'SUMMARY:Independence Day (observed)',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:christmas@example.com',
  'DTSTAMP:20250101T000000Z',
  'DTSTART;VALUE=DATE:20201225',
  'DTEND;VALUE=DATE:20201226',
  'RRULE:FREQ=YEARLY',
  'SUMMARY:Christmas Day',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:founders@example.com',
  'DTSTAMP:20250101T000000Z',
  'DTSTART;VALUE=DATE:20260601',
  'RRULE:FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1',
  'SUMMARY:Founders Day',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:founders@example.com',
  'DTSTAMP:20250101T000000Z',
  'RECURRENCE-ID;VALUE=DATE:20270601',
  'DTSTART;VALUE=DATE:20270602',
  'SUMMARY:Founders Day (moved)',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:shutdown-2026@example.com',
  'DTSTAMP:20250101T000000Z',
  'DTSTART;VALUE=DATE:20261228',
  'DTEND;VALUE=DATE:20270101',
  'SUMMARY:Year-end shutdown',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:offsite@example.com',
  'DTSTAMP:20250101T000000Z',
  'DTSTART:20260415T140000Z',
  'DTEND:20260415T160000Z',
  'SUMMARY:Team offsite',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

describe('holidays imported from iCalendar', () => {
  it('turns all-day events into dates, each day of a multi-day event, and expands yearly rules over the range', () => {
    const { holidays, skipped } = value(holidaysFromICal(FEED, { fromYear: 2026, toYear: 2027 }));
    expect(holidays).toEqual([
      { date: '2026-06-01', name: 'Founders Day' },
      { date: '2026-07-03', name: 'Independence Day (observed)' },
      { date: '2026-12-25', name: 'Christmas Day' },
      { date: '2026-12-28', name: 'Year-end shutdown' },
      { date: '2026-12-29', name: 'Year-end shutdown' },
      { date: '2026-12-30', name: 'Year-end shutdown' },
      { date: '2026-12-31', name: 'Year-end shutdown' },
      { date: '2027-06-02', name: 'Founders Day (moved)' },
      { date: '2027-12-25', name: 'Christmas Day' },
    ]);
    expect(skipped).toEqual([{ summary: 'Team offsite', reason: 'it is not an all-day event; a holiday closes whole dates' }]);
  });

  it('keeps only the dates inside the year range', () => {
    const { holidays } = value(holidaysFromICal(FEED, { fromYear: 2030, toYear: 2030 }));
    expect(holidays).toEqual([
      { date: '2030-06-01', name: 'Founders Day' },
      { date: '2030-12-25', name: 'Christmas Day' },
    ]);
  });

  it('feeds a calendar: Christmas Eve 17:30 plus one hour skips Christmas and the shutdown', () => {
    const { holidays } = value(holidaysFromICal(FEED, { fromYear: 2026, toYear: 2027 }));
    const day = [{ start: '09:00', end: '18:00' }];
    const office = calendarOrThrow({ id: 'office', timeZone: 'America/New_York', weekly: { mon: day, tue: day, wed: day, thu: day, fri: day }, holidays });
    expect(value(addBusinessTime(office, Date.parse('2026-12-24T17:30:00-05:00'), 3_600_000))).toBe(Date.parse('2027-01-01T09:30:00-05:00'));
  });

  it('explains a file that is not iCalendar at all', () => {
    const r = holidaysFromICal('this is not a calendar', { fromYear: 2026, toYear: 2026 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('ical/malformed');
    expect(!r.ok && r.error.message).toMatch(/^The file is not a readable iCalendar file: /);
  });

  it('explains a vCard where a calendar was expected, and a broken date', () => {
    const vcard = holidaysFromICal('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada\r\nEND:VCARD\r\n', { fromYear: 2026, toYear: 2026 });
    expect(!vcard.ok && vcard.error.message).toContain('VCARD component, not a VCALENDAR');
    const broken = FEED.replace('DTSTART;VALUE=DATE:20260703', 'DTSTART;VALUE=DATE:20261399');
    const r = holidaysFromICal(broken, { fromYear: 2026, toYear: 2026 });
    expect(!r.ok && r.error.code).toBe('ical/malformed');
    expect(!r.ok && r.error.message).toBe('The event "Independence Day (observed)" has a date that does not exist: DTSTART 2026-13-99.');
    const unterminated = holidaysFromICal(FEED.replace('END:VCALENDAR', ''), { fromYear: 2026, toYear: 2026 });
    expect(!unterminated.ok && unterminated.error.message).toContain('component began but did not end');
  });

  it('refuses a year range that is backwards or too long', () => {
    expect(holidaysFromICal(FEED, { fromYear: 2027, toYear: 2026 }).ok).toBe(false);
    const r = holidaysFromICal(FEED, { fromYear: 1900, toYear: 2100 });
    expect(!r.ok && r.error.code).toBe('ical/invalid-range');
  });
});
