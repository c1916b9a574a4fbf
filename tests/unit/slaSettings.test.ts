import { describe, expect, it } from 'vitest';
import { caseInsights, type CaseFacts } from '../../src/shared/caseInsights';
import { defaultChannelMatrix, type ChannelMatrix } from '../../src/shared/channelConfig';
import { BUILT_IN_SLA, responseDue, slaSettings } from '../../src/shared/slaSettings';
import { addBusinessTime, calendarOrThrow, DEFAULT_CALENDARS, DEFAULT_SLA_POLICY, slaTarget } from '../../src/shared/time';

// March 2026 in Berlin is UTC+1 (summer time starts on the 29th): Fri 6, Sat 7, Mon 9, Tue 10.
const berlin = (day: number, hour: number, minute = 0) => Date.UTC(2026, 2, day, hour - 1, minute);
const weekdays = (start: string, end: string) => {
  const day = [{ start, end }];
  return { mon: day, tue: day, wed: day, thu: day, fri: day };
};

/** The demo matrix with chat open Monday to Friday 09:00–17:00 in Berlin and a 2-minute first-response SLA. */
function officeChat(holidays: ChannelMatrix['channels']['chat']['hours']['holidays'] = []): ChannelMatrix {
  const m = structuredClone(defaultChannelMatrix());
  m.channels.chat.hours = { timeZone: 'Europe/Berlin', weekly: weekdays('09:00', '17:00'), holidays };
  m.channels.chat.firstResponseSlaSeconds = 120;
  return m;
}

const chatCase = (priority: CaseFacts['priority'], at: number): CaseFacts => ({
  id: 7,
  channel: 'chat',
  priority,
  status: 'open',
  issueType: 'billing',
  resolvedAt: null,
  preferredChannel: null,
  events: [{ direction: 'in', kind: 'message', channel: 'chat', occurredAt: at, bodyLength: 40 }],
});

describe('the SLA settings from the channel configuration', () => {
  it('are the built-in policy and calendars when no configuration was ever received', () => {
    expect(slaSettings(null)).toBe(BUILT_IN_SLA);
    expect(BUILT_IN_SLA.policy).toBe(DEFAULT_SLA_POLICY);
    expect(BUILT_IN_SLA.calendars).toBe(DEFAULT_CALENDARS);
  });

  it("take each channel's first-response SLA as the normal-priority target, other priorities in their built-in proportion", () => {
    const m = structuredClone(defaultChannelMatrix());
    m.channels.email.firstResponseSlaSeconds = 2 * 3600;
    m.channels.chat.firstResponseSlaSeconds = 90;
    const { policy } = slaSettings(m);
    // Email: built in 60/120/240/480 minutes; the matrix halves normal, so every priority halves.
    expect(['urgent', 'high', 'normal', 'low'].map((p) => slaTarget(policy, 'email', p as 'normal', 'firstResponse')?.minutes)).toEqual([30, 60, 120, 240]);
    // Chat: built in urgent 1, normal 2 minutes: 90 s at normal, 45 s when urgent.
    expect(slaTarget(policy, 'chat', 'normal', 'firstResponse')).toEqual({ minutes: 1.5, time: 'business' });
    expect(slaTarget(policy, 'chat', 'urgent', 'firstResponse')).toEqual({ minutes: 0.75, time: 'business' });
    // Next response and resolution stay the built-in policy's.
    expect(slaTarget(policy, 'email', 'high', 'nextResponse')).toEqual(slaTarget(DEFAULT_SLA_POLICY, 'email', 'high', 'nextResponse'));
    expect(slaTarget(policy, 'chat', 'low', 'resolution')).toEqual(slaTarget(DEFAULT_SLA_POLICY, 'chat', 'low', 'resolution'));
  });

  it('the default matrix keeps the built-in email targets (4 hours at normal)', () => {
    const { policy } = slaSettings(defaultChannelMatrix());
    for (const p of ['urgent', 'high', 'normal', 'low'] as const) expect(slaTarget(policy, 'email', p, 'firstResponse')).toEqual(slaTarget(DEFAULT_SLA_POLICY, 'email', p, 'firstResponse'));
  });

  it('compile once per matrix version: the same matrix gives the same settings, a new version new ones', () => {
    const v2 = officeChat();
    expect(slaSettings(v2)).toBe(slaSettings(v2));
    const v3 = structuredClone(v2);
    v3.channels.chat.firstResponseSlaSeconds = 60;
    expect(slaSettings(v3)).not.toBe(slaSettings(v2));
    expect(slaSettings(v3).calendars.chat.timeZone).toBe('Europe/Berlin');
  });

  it('a chat on Saturday, when the matrix has chat closed at weekends, is due on Monday after opening', () => {
    const saturday = berlin(7, 11);
    const s = slaSettings(officeChat());
    expect(responseDue(s, 'chat', 'normal', 'firstResponse', saturday)).toBe(berlin(9, 9, 2));
    // The built-in chat calendar is 24/7: two minutes later, on Saturday.
    expect(responseDue(BUILT_IN_SLA, 'chat', 'normal', 'firstResponse', saturday)).toBe(saturday + 2 * 60_000);
    // The conversation header's clock says the same.
    const clock = caseInsights(chatCase('normal', saturday), berlin(7, 12), s.policy, s.calendars).sla.find((c) => c.kind === 'firstResponse');
    expect(clock).toMatchObject({ state: 'running', dueAt: berlin(9, 9, 2), channel: 'chat' });
    // Late on Friday the two minutes run over the weekend: 16:59 + 1 minute, then 1 on Monday.
    expect(responseDue(s, 'chat', 'normal', 'firstResponse', berlin(6, 16, 59))).toBe(berlin(9, 9, 1));
    // Urgent: half the normal target.
    expect(responseDue(s, 'chat', 'urgent', 'firstResponse', saturday)).toBe(berlin(9, 9, 1));
  });

  it("a holiday on the matrix's Monday moves the deadline to Tuesday", () => {
    const s = slaSettings(officeChat([{ date: '2026-03-09', name: 'Team day' }]));
    expect(responseDue(s, 'chat', 'normal', 'firstResponse', berlin(7, 11))).toBe(berlin(10, 9, 2));
    const clock = caseInsights(chatCase('normal', berlin(7, 11)), berlin(9, 12), s.policy, s.calendars).sla.find((c) => c.kind === 'firstResponse');
    expect(clock).toMatchObject({ state: 'running', dueAt: berlin(10, 9, 2) });
  });

  it('a next response is counted with the built-in target on the matrix hours', () => {
    const s = slaSettings(officeChat());
    // Chat's built-in next response at normal priority: 5 minutes, from Monday's opening.
    expect(responseDue(s, 'chat', 'normal', 'nextResponse', berlin(7, 11))).toBe(berlin(9, 9, 5));
  });

  it('a recount in a DST week gives every deadline the same as a calendar that never saw the change', () => {
    // New York springs forward on Sunday March 8, 2026; one calendar counts 400 deadlines in that week
    // (remembering the change), each compared with a fresh calendar that has to find it.
    // Open at night on Sunday too (01:00–03:30 every day), so the hour that disappears matters.
    const night = [{ start: '01:00', end: '03:30' }];
    const input = { id: 'ny-nights', timeZone: 'America/New_York', weekly: { mon: night, tue: night, wed: night, thu: night, fri: night, sat: night, sun: night }, holidays: [] };
    const shared = calendarOrThrow(input);
    for (let i = 0; i < 400; i++) {
      const start = Date.UTC(2026, 2, 2) + i * 1_499_000;
      const hours = 1 + (i % 12);
      const reused = addBusinessTime(shared, start, hours * 3_600_000);
      const fresh = addBusinessTime(calendarOrThrow(input), start, hours * 3_600_000);
      expect(reused).toEqual(fresh);
    }
    // Sunday 01:00 EST + 2 h: 01:00–02:00 EST, 03:00–03:30 EDT (02:00 does not exist), then Monday 01:00–01:30 EDT.
    expect(addBusinessTime(shared, Date.UTC(2026, 2, 8, 6), 2 * 3_600_000)).toEqual({ ok: true, value: Date.UTC(2026, 2, 9, 5, 30) });
  });
});
