// The snooze presets in the agent's time zone and the resolution codes as the dialog lists them.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RESOLUTION_CODE, RESOLUTION_CODES, ResolutionCode, resolutionLabel, snoozePresetUntil } from '../../src/shared/contractCaseActions';

const iso = (ms: number, zone: string) => new Date(ms).toLocaleString('sv-SE', { timeZone: zone });

describe('snooze presets', () => {
  // Wednesday 14 Jan 2026, 23:30 in Los Angeles = Thursday 07:30 UTC.
  const wedLateLA = Date.UTC(2026, 0, 15, 7, 30);

  it('"tomorrow 9:00" is the next day in the agent’s zone, not in UTC', () => {
    expect(iso(snoozePresetUntil('tomorrow', wedLateLA, 'America/Los_Angeles'), 'America/Los_Angeles')).toBe('2026-01-15 09:00:00');
    expect(iso(snoozePresetUntil('tomorrow', wedLateLA, 'UTC'), 'UTC')).toBe('2026-01-16 09:00:00');
  });

  it('"next Monday" is the coming Monday 9:00, a week on when today is Monday', () => {
    expect(iso(snoozePresetUntil('nextMonday', wedLateLA, 'America/Los_Angeles'), 'America/Los_Angeles')).toBe('2026-01-19 09:00:00');
    const mondayMorning = Date.UTC(2026, 0, 19, 8, 0);
    expect(iso(snoozePresetUntil('nextMonday', mondayMorning, 'Europe/Berlin'), 'Europe/Berlin')).toBe('2026-01-26 09:00:00');
  });

  it('"1 hour" is an hour of real time, across a daylight-saving change too', () => {
    const beforeSpringForward = Date.UTC(2026, 2, 29, 0, 30); // 01:30 in London, clocks go to 03:00 at 01:00 UTC
    expect(snoozePresetUntil('1h', beforeSpringForward, 'Europe/London') - beforeSpringForward).toBe(3_600_000);
  });

  it('"tomorrow 9:00" lands on 9:00 local across a daylight-saving change', () => {
    const saturday = Date.UTC(2026, 2, 28, 12, 0);
    expect(iso(snoozePresetUntil('tomorrow', saturday, 'Europe/London'), 'Europe/London')).toBe('2026-03-29 09:00:00');
  });
});

describe('resolution codes', () => {
  it('lists the six codes with Solved first as the default and reads them in words', () => {
    expect(RESOLUTION_CODES.map((c) => c.label)).toEqual(['Solved', 'Workaround given', 'Duplicate', 'Not reproducible', 'Customer unresponsive', 'Spam']);
    expect(DEFAULT_RESOLUTION_CODE).toBe('solved');
    expect(resolutionLabel('workaround')).toBe('Workaround given');
    expect(ResolutionCode.safeParse('fixed-by-magic').success).toBe(false);
  });
});
