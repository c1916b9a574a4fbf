import { describe, expect, it } from 'vitest';
import {
  calendarOrThrow,
  computeSlaClocks,
  DEFAULT_CALENDAR_CONFIG,
  DEFAULT_CALENDARS,
  DEFAULT_SLA_POLICY,
  firstResponseDue,
  isOpen,
  mostUrgentClock,
  parseChannelCalendars,
  parseSlaPolicy,
  type CaseEvent,
  type CaseHistory,
  type SlaClocks,
  type SlaPolicyInput,
  type TimeResult,
} from '../../src/shared/time';

const MIN = 60_000;
const HOUR = 60 * MIN;

const value = <T>(r: TimeResult<T>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
};
/** New York wall time in February 2026 (EST, no DST change nearby): 'Tue 10:00' style helpers. */
const est = (date: string, time: string): number => Date.parse(`2026-02-${date}T${time}:00-05:00`);

const policyInput: SlaPolicyInput = {
  id: 'test',
  warningFractions: [0.9, 0.5, 0.75],
  targets: {
    email: {
      normal: { firstResponse: { minutes: 60 }, nextResponse: { minutes: 120 }, resolution: { minutes: 8 * 60 } },
      urgent: { firstResponse: { minutes: 15 }, nextResponse: { minutes: 30 }, resolution: { minutes: 4 * 60 } },
      low: { firstResponse: { minutes: 24 * 60, time: 'calendar' } },
    },
    chat: { normal: { firstResponse: { minutes: 2 }, nextResponse: { minutes: 5 }, resolution: { minutes: 60 } } },
  },
};
const policy = value(parseSlaPolicy(policyInput));

const history = (events: CaseEvent[], o: Partial<CaseHistory> = {}): CaseHistory => ({ channel: 'email', priority: 'normal', events, ...o });
const clocks = (h: CaseHistory, now: number, p = policy, cals = DEFAULT_CALENDARS): SlaClocks => value(computeSlaClocks(p, cals, h, now));
const msg = (at: number): CaseEvent => ({ at, type: 'customer_message' });
const reply = (at: number): CaseEvent => ({ at, type: 'agent_reply' });
const status = (at: number, s: 'open' | 'pending' | 'resolved' | 'closed' | 'snoozed'): CaseEvent => ({ at, type: 'status', status: s });

describe('the first-response deadline at ingest', () => {
  it('email on office hours: Friday 17:30 with a one-hour target is due Monday 09:30', () => {
    expect(value(firstResponseDue(policy, DEFAULT_CALENDARS, 'email', 'normal', est('06', '17:30')))).toBe(est('09', '09:30'));
  });

  it('across the March and November DST changes, Monday 09:30 local time', () => {
    expect(value(firstResponseDue(policy, DEFAULT_CALENDARS, 'email', 'normal', Date.parse('2026-03-06T17:30:00-05:00')))).toBe(Date.parse('2026-03-09T09:30:00-04:00'));
    expect(value(firstResponseDue(policy, DEFAULT_CALENDARS, 'email', 'normal', Date.parse('2026-10-30T17:30:00-04:00')))).toBe(Date.parse('2026-11-02T09:30:00-05:00'));
  });

  it('a 24/7 chat target of 2 minutes ignores the calendar (the default policy, Saturday night)', () => {
    const saturdayNight = Date.parse('2026-02-07T23:30:00-05:00');
    expect(value(firstResponseDue(DEFAULT_SLA_POLICY, DEFAULT_CALENDARS, 'chat', 'normal', saturdayNight))).toBe(saturdayNight + 2 * MIN);
  });

  it('a calendar-time target counts the weekend too', () => {
    expect(value(firstResponseDue(policy, DEFAULT_CALENDARS, 'email', 'low', est('06', '17:30')))).toBe(est('07', '17:30'));
  });

  it('is null when the policy sets no first-response target for that channel and priority', () => {
    expect(value(firstResponseDue(policy, DEFAULT_CALENDARS, 'phone', 'normal', est('06', '17:30')))).toBeNull();
  });
});

describe('the first-response clock', () => {
  const h = history([msg(est('10', '10:00'))]);

  it('runs from the first customer message, with its deadline and counted business time', () => {
    const c = clocks(h, est('10', '10:20')).firstResponse;
    expect(c).toMatchObject({ kind: 'firstResponse', state: 'running', channel: 'email', priority: 'normal', startedAt: est('10', '10:00'), dueAt: est('10', '11:00') });
    expect(c.elapsedBusinessMs).toBe(20 * MIN);
    expect(c.warningsReached).toEqual([]);
    expect(c.nextWarningAt).toBe(est('10', '10:30'));
  });

  it('reaches the warning fractions in order (sorted from the policy)', () => {
    expect(clocks(h, est('10', '10:30')).firstResponse.warningsReached).toEqual([0.5]);
    const late = clocks(h, est('10', '10:55')).firstResponse;
    expect(late.warningsReached).toEqual([0.5, 0.75, 0.9]);
    expect(late.nextWarningAt).toBeNull();
  });

  it('is breached past its deadline and says when', () => {
    const c = clocks(h, est('10', '11:05')).firstResponse;
    expect(c).toMatchObject({ state: 'breached', dueAt: est('10', '11:00'), breachedAt: est('10', '11:00'), stoppedAt: null });
  });

  it('is met by the first agent reply, and a reply exactly at the deadline is in time', () => {
    expect(clocks(history([msg(est('10', '10:00')), reply(est('10', '10:40'))]), est('10', '12:00')).firstResponse).toMatchObject({
      state: 'met',
      stoppedAt: est('10', '10:40'),
      dueAt: est('10', '11:00'),
      elapsedBusinessMs: 40 * MIN,
      warningsReached: [0.5],
    });
    expect(clocks(history([msg(est('10', '10:00')), reply(est('10', '11:00'))]), est('10', '12:00')).firstResponse.state).toBe('met');
    expect(clocks(history([msg(est('10', '10:00')), reply(est('10', '11:01'))]), est('10', '12:00')).firstResponse).toMatchObject({
      state: 'breached',
      breachedAt: est('10', '11:00'),
      stoppedAt: est('10', '11:01'),
    });
  });

  it('does not count the night: a message at 17:30 is still running at 08:00 the next day with 30 minutes used', () => {
    const c = clocks(history([msg(est('10', '17:30'))]), est('11', '08:00')).firstResponse;
    expect(c).toMatchObject({ state: 'running', elapsedBusinessMs: 30 * MIN, dueAt: est('11', '09:30') });
  });

  it('does not run for a case the agent started (outbound)', () => {
    const c = clocks(history([reply(est('10', '09:00')), msg(est('10', '10:00'))]), est('10', '10:30'));
    expect(c.firstResponse.state).toBe('none');
    expect(c.nextResponse).toMatchObject({ state: 'running', startedAt: est('10', '10:00') });
  });

  it('takes the target of a raised priority, measured from the same start', () => {
    const h2 = history([msg(est('10', '10:00')), { at: est('10', '10:05'), type: 'priority', priority: 'urgent' }]);
    expect(clocks(h2, est('10', '10:10')).firstResponse).toMatchObject({ state: 'running', priority: 'urgent', dueAt: est('10', '10:15') });
    expect(clocks(h2, est('10', '10:20')).firstResponse).toMatchObject({ state: 'breached', breachedAt: est('10', '10:15') });
  });
});

describe('the next-response clock', () => {
  it('restarts with each customer message after a reply, from the oldest unanswered one', () => {
    const events = [msg(est('10', '10:00')), reply(est('10', '10:20')), msg(est('10', '11:00')), msg(est('10', '11:10'))];
    expect(clocks(history(events), est('10', '11:30')).nextResponse).toMatchObject({ state: 'running', startedAt: est('10', '11:00'), dueAt: est('10', '13:00') });

    const answered = [...events, reply(est('10', '11:45'))];
    expect(clocks(history(answered), est('10', '12:00')).nextResponse).toMatchObject({ state: 'met', stoppedAt: est('10', '11:45'), elapsedBusinessMs: 45 * MIN });

    const again = [...answered, msg(est('10', '16:30'))];
    expect(clocks(history(again), est('10', '17:00')).nextResponse).toMatchObject({ state: 'running', startedAt: est('10', '16:30'), dueAt: est('11', '09:30') });
  });

  it('is none before the first reply', () => {
    expect(clocks(history([msg(est('10', '10:00')), msg(est('10', '10:05'))]), est('10', '10:30')).nextResponse.state).toBe('none');
  });
});

describe('pausing while pending on the customer', () => {
  const events = [msg(est('10', '10:00')), reply(est('10', '10:30')), status(est('10', '11:00'), 'pending')];

  it('pauses the resolution clock, with no deadline while paused', () => {
    const c = clocks(history(events), est('10', '15:00')).resolution;
    expect(c).toMatchObject({ state: 'paused', pausedBy: 'pending', dueAt: null, elapsedBusinessMs: HOUR });
  });

  it('resumes when the customer writes back, and the paused time does not count', () => {
    const resumed = [...events, msg(est('10', '14:00'))];
    const c = clocks(history(resumed), est('10', '15:00')).resolution;
    // 10:00–11:00 and 14:00–15:00 counted: 2 of 8 hours used, 6 left from 15:00 → 21:00 is after
    // closing, so 3 hours today (to 18:00) and 3 tomorrow (to 12:00).
    expect(c).toMatchObject({ state: 'running', elapsedBusinessMs: 2 * HOUR, dueAt: est('11', '12:00'), pausedBy: null });
  });

  it('resumes on a status change back to open as well', () => {
    const c = clocks(history([...events, status(est('10', '13:00'), 'open')]), est('10', '13:30')).resolution;
    expect(c).toMatchObject({ state: 'running', elapsedBusinessMs: 90 * MIN });
  });

  it('pauses the response clocks too, when set pending before a reply', () => {
    const c = clocks(history([msg(est('10', '10:00')), status(est('10', '10:10'), 'pending')]), est('10', '12:00')).firstResponse;
    expect(c).toMatchObject({ state: 'paused', elapsedBusinessMs: 10 * MIN, dueAt: null });
  });
});

describe('resolution', () => {
  it('is met when resolved, stops running response clocks, and resumes with its time on reopen', () => {
    const events = [msg(est('10', '10:00')), status(est('10', '12:00'), 'resolved')];
    const resolved = clocks(history(events), est('10', '13:00'));
    expect(resolved.resolution).toMatchObject({ state: 'met', stoppedAt: est('10', '12:00'), elapsedBusinessMs: 2 * HOUR, dueAt: est('10', '18:00') });
    expect(resolved.firstResponse).toMatchObject({ state: 'breached', stoppedAt: est('10', '12:00') });

    const reopened = clocks(history([...events, msg(est('11', '09:00'))]), est('11', '10:00'));
    expect(reopened.resolution).toMatchObject({ state: 'running', stoppedAt: null, elapsedBusinessMs: 3 * HOUR, dueAt: est('11', '15:00') });
    expect(reopened.nextResponse).toMatchObject({ state: 'running', startedAt: est('11', '09:00') });
  });
});

describe('channel outages', () => {
  const chat = (events: CaseEvent[]) => history(events, { channel: 'chat' });
  const t0 = Date.parse('2026-02-07T22:00:00-05:00');

  it('extend a running 24/7 clock by exactly the outage', () => {
    const events: CaseEvent[] = [
      msg(t0),
      { at: t0 + 30_000, type: 'outage_start', channel: 'chat' },
      { at: t0 + 5 * MIN + 30_000, type: 'outage_end', channel: 'chat' },
    ];
    // 2 minutes from 22:00, plus the 5 the chat service was down: due 22:07, not 22:02.
    expect(clocks(chat(events), t0 + 6 * MIN).firstResponse).toMatchObject({ state: 'running', dueAt: t0 + 7 * MIN, elapsedBusinessMs: MIN });
    expect(clocks(chat(events), t0 + 8 * MIN).firstResponse).toMatchObject({ state: 'breached', breachedAt: t0 + 7 * MIN });
    expect(clocks(chat(events), t0 + 6 * MIN).resolution).toMatchObject({ state: 'running', dueAt: t0 + 65 * MIN });
  });

  it('pause the clock while they last', () => {
    const c = clocks(chat([msg(t0), { at: t0 + MIN, type: 'outage_start', channel: 'chat' }]), t0 + 10 * MIN).firstResponse;
    expect(c).toMatchObject({ state: 'paused', pausedBy: 'outage', dueAt: null, elapsedBusinessMs: MIN });
  });

  it('of another channel change nothing', () => {
    const events: CaseEvent[] = [msg(t0), { at: t0, type: 'outage_start', channel: 'email' }, { at: t0 + HOUR, type: 'outage_end', channel: 'email' }];
    expect(clocks(chat(events), t0 + MIN).firstResponse).toMatchObject({ state: 'running', dueAt: t0 + 2 * MIN });
  });

  it('outside business hours cost no business time, so an office-hours deadline does not move', () => {
    const events: CaseEvent[] = [
      msg(est('10', '17:30')),
      { at: est('10', '20:00'), type: 'outage_start', channel: 'email' },
      { at: est('11', '08:00'), type: 'outage_end', channel: 'email' },
    ];
    expect(clocks(history(events), est('11', '09:00')).firstResponse.dueAt).toBe(est('11', '09:30'));
  });
});

describe('the queue and the configuration', () => {
  it('the most urgent clock is the running one due first', () => {
    const c = clocks(history([msg(est('10', '10:00'))]), est('10', '10:10'));
    expect(mostUrgentClock(c)?.kind).toBe('firstResponse');
    const paused = clocks(history([msg(est('10', '10:00')), status(est('10', '10:05'), 'pending')]), est('10', '10:10'));
    expect(mostUrgentClock(paused)).toBeNull();
  });

  it('the defaults are valid configuration: chat 24/7, phone Mon–Fri 08:00–18:00 and email 09:00–18:00 in New York', () => {
    expect(parseSlaPolicy(DEFAULT_SLA_POLICY).ok).toBe(true);
    expect(parseChannelCalendars(DEFAULT_CALENDAR_CONFIG).ok).toBe(true);
    expect(DEFAULT_CALENDARS.chat.weekly).toBe('24/7');
    const tuesday = (time: string) => Date.parse(`2026-02-10T${time}:00-05:00`);
    expect(isOpen(DEFAULT_CALENDARS.phone, tuesday('08:00'))).toBe(true);
    expect(isOpen(DEFAULT_CALENDARS.email, tuesday('08:00'))).toBe(false);
    expect(isOpen(DEFAULT_CALENDARS.sms, tuesday('17:59'))).toBe(true);
    expect(isOpen(DEFAULT_CALENDARS.phone, Date.parse('2026-02-07T12:00:00-05:00'))).toBe(false);
  });

  it('explains an invalid policy', () => {
    const r = parseSlaPolicy({ id: 'p', warningFractions: [1.5], targets: { fax: {}, email: { normal: { firstResponse: { minutes: -5 } } } } });
    expect(!r.ok && r.error.code).toBe('sla/invalid-policy');
    expect(!r.ok && r.error.message).toContain('warningFractions[0]: a warning fraction is below 1');
    expect(!r.ok && r.error.message).toContain('targets.email.normal.firstResponse.minutes: a target must be a positive number of minutes');
  });

  it('reports a calendar that never opens as an error value', () => {
    const closed = calendarOrThrow({ id: 'closed', timeZone: 'UTC', weekly: {} });
    const r = computeSlaClocks(policy, { ...DEFAULT_CALENDARS, email: closed }, history([msg(est('10', '10:00'))]), est('10', '11:00'));
    expect(!r.ok && r.error.code).toBe('calendar/never-open');
  });

  it('ignores events after now', () => {
    const c = clocks(history([msg(est('10', '10:00')), reply(est('10', '10:30'))]), est('10', '10:10'));
    expect(c.firstResponse.state).toBe('running');
  });
});

describe('a case that moves channel', () => {
  it('times a follow-up on the channel it came in on', () => {
    // A chat case; the customer follows up by email at 17:50 Tuesday: the email calendar applies.
    const events: CaseEvent[] = [msg(est('10', '10:00')), reply(est('10', '10:01')), { at: est('10', '17:50'), type: 'customer_message', channel: 'email' }];
    const c = clocks(history(events, { channel: 'chat' }), est('10', '18:30'));
    expect(c.nextResponse).toMatchObject({ channel: 'email', state: 'running', elapsedBusinessMs: 10 * MIN, dueAt: est('11', '10:50') });
    expect(c.resolution.channel).toBe('chat');
  });
});
