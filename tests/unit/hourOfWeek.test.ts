// The dashboard's hour of the week asks the time zone once a day, and per hour only in a day whose
// offset changes: it must still name the same local hour as asking the zone for every moment.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { hourOfWeekIn } from '../../src/shared/metrics';

const HOUR = 3_600_000;

describe('the hour of the week in the center time zone', () => {
  it.each(['UTC', 'America/Chicago', 'Europe/Berlin', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kolkata'])(
    'is the local weekday and hour of every moment over two years with their daylight saving changes (%s)',
    (zone) => {
      const from = Date.UTC(2025, 0, 1, 0, 17);
      const to = Date.UTC(2027, 0, 1);
      const week = hourOfWeekIn(zone, from, to);
      const wrong: string[] = [];
      for (let t = from; t < to; t += HOUR / 4 + 7_001) {
        const local = DateTime.fromMillis(t, { zone });
        if (week.of(t) !== (local.weekday - 1) * 24 + local.hour) wrong.push(local.toISO()!);
      }
      expect(wrong).toEqual([]);
    },
  );

  it('takes the offset of the hour a moment falls in, as a table of every hour would (St. John\'s changes at a half hour)', () => {
    const zone = 'America/St_Johns';
    const from = Date.UTC(2025, 0, 1);
    const to = Date.UTC(2027, 0, 1);
    const week = hourOfWeekIn(zone, from, to);
    const wrong: number[] = [];
    for (let t = from; t < to; t += HOUR / 4 + 7_001) {
      const local = t + DateTime.fromMillis(Math.floor(t / HOUR) * HOUR, { zone }).offset * 60_000;
      const day = Math.floor(local / (24 * HOUR));
      if (week.of(t) !== ((day + 3) % 7) * 24 + Math.floor((local - day * 24 * HOUR) / HOUR)) wrong.push(t);
    }
    expect(wrong).toEqual([]);
  });

  it('counts how often each hour of the week starts inside the range', () => {
    const monday = Date.UTC(2026, 10, 16);
    const week = hourOfWeekIn('UTC', monday + 30 * 60_000, monday + 7 * 24 * HOUR + 2 * HOUR);
    expect(week.occurrences[0]).toBe(1); // Monday 00:00 of the next week
    expect(week.occurrences[1]).toBe(2); // 01:00 of both Mondays
    expect(week.occurrences.reduce((a, b) => a + b, 0)).toBe(7 * 24 + 1);
  });
});
