import { describe, expect, it } from 'vitest';
import { channelSwitchNotices, describeSwitch } from '../../src/shared/timelineNotices';
import type { Channel, Direction } from '../../src/shared/domain';

const jan = (d: number, h = 12) => Date.UTC(2026, 0, d, h);
const ev = (id: number, channel: Channel, occurredAt: number, direction: Direction = 'in', caseId: number | null = 1) => ({ id, caseId, channel, occurredAt, direction });

describe('channel switch notices', () => {
  it('marks the first chat message after an email thread with the date the email thread began', () => {
    const events = [ev(1, 'email', jan(10)), ev(2, 'email', jan(10, 16), 'out'), ev(3, 'email', jan(13)), ev(4, 'chat', jan(15)), ev(5, 'chat', jan(15, 13))];
    const notices = channelSwitchNotices(events);
    expect(notices).toEqual([{ beforeEventId: 4, from: 'email', to: 'chat', previousAt: jan(10) }]);
    const text = describeSwitch(notices[0]!, (at) => new Date(at).toISOString().slice(0, 10));
    expect(text).toBe('Previously contacted via Email on 2026-01-10');
  });

  it('ignores internal notes, which are on no customer channel', () => {
    const events = [ev(1, 'email', jan(10)), ev(2, 'chat', jan(11), 'internal'), ev(3, 'email', jan(12))];
    expect(channelSwitchNotices(events)).toEqual([]);
  });

  it('dates the switch from the case that led to it, not from an older case on the same channel', () => {
    const events = [ev(1, 'email', Date.UTC(2025, 9, 4), 'in', 7), ev(2, 'email', jan(10), 'in', 8), ev(3, 'email', jan(13), 'in', 8), ev(4, 'chat', jan(15), 'in', 8)];
    expect(channelSwitchNotices(events)).toEqual([{ beforeEventId: 4, from: 'email', to: 'chat', previousAt: jan(10) }]);
  });

  it('continues from the last event of the page above', () => {
    expect(channelSwitchNotices([ev(9, 'phone', jan(20))], ev(8, 'sms', jan(19)))).toEqual([{ beforeEventId: 9, from: 'sms', to: 'phone', previousAt: jan(19) }]);
  });
});
