// SLA clocks (first response, next response, resolution) computed from a case's event history and
// a policy of targets per channel and priority, on each channel's business-hours calendar. Pure.
// Limits: one clock of each kind is reported (the latest next-response cycle); agent replies are
// the public ones (internal notes are not passed in); `now` bounds the history.
//
// Rules, in one place:
// - Counted time is business time on the clock's channel calendar (or wall time for a target whose
//   `time` is 'calendar'), minus the time the case was pending on the customer, minus the time the
//   clock's channel was in an outage. So an outage moves the deadline later by the business time it
//   covered: for a 24/7 channel exactly its duration; an outage at night on a 9–6 channel, nothing.
//   While the case is pending or the outage lasts, the clock is paused and has no deadline.
// - First response: from the first customer message to the first agent reply. Next response: from
//   the first customer message after a response (the oldest unanswered one) to the next agent
//   reply. Resolution: from the first customer message to resolved/closed; a reopen resumes it with
//   the time already counted. Resolving also stops running response clocks.
// - A customer message ends a pending state and reopens a resolved case (as the store does).
// - Met when the counted time at the stop is at most the target: a reply exactly at the deadline is
//   in time. Breached once it is more; `breachedAt` is then the deadline that was missed.
// - The target is that of the case's priority at the stop (or now, while the clock runs), measured
//   from the clock's start: raising the priority can bring the deadline nearer or breach it at once.
import { z } from 'zod';
import { CaseStatus, Channel, CHANNELS, Millis, Priority } from '../domain';
import {
  addBusinessTime,
  businessTimeBetween,
  calendarOrThrow,
  describeIssues,
  fail,
  ok,
  parseCalendar,
  type BusinessCalendar,
  type CalendarInput,
  type TimeResult,
} from './businessHours';

const MINUTE = 60_000;

// ---------------------------------------------------------------------------------------------
// The policy as data

export const SLA_KINDS = ['firstResponse', 'nextResponse', 'resolution'] as const;
export type SlaKind = (typeof SLA_KINDS)[number];

export const SlaTarget = z.strictObject({
  minutes: z.number().positive({ message: 'a target must be a positive number of minutes' }).finite(),
  /** 'business': counted on the channel's calendar; 'calendar': wall-clock time, 24/7. */
  time: z.enum(['business', 'calendar']).default('business'),
});
export type SlaTarget = z.output<typeof SlaTarget>;

export const SlaTargets = z.strictObject({
  firstResponse: SlaTarget.optional(),
  nextResponse: SlaTarget.optional(),
  resolution: SlaTarget.optional(),
});
export type SlaTargets = z.output<typeof SlaTargets>;

export const SlaPolicy = z.strictObject({
  id: z.string().min(1, { message: 'a policy needs an id' }),
  /** Fractions of the target at which a warning is due; kept sorted and distinct. */
  warningFractions: z
    .array(z.number().gt(0, { message: 'a warning fraction is above 0' }).lt(1, { message: 'a warning fraction is below 1' }))
    .max(10)
    .default([0.5, 0.75, 0.9])
    .transform((fractions) => [...new Set(fractions)].sort((a, b) => a - b)),
  /** Per channel, per priority, the targets; a missing entry means that clock does not run. */
  targets: z.partialRecord(Channel, z.partialRecord(Priority, SlaTargets)),
});
export type SlaPolicyInput = z.input<typeof SlaPolicy>;
export type SlaPolicy = z.output<typeof SlaPolicy>;

export function parseSlaPolicy(input: unknown): TimeResult<SlaPolicy> {
  const parsed = SlaPolicy.safeParse(input);
  return parsed.success ? ok(parsed.data) : fail('sla/invalid-policy', `The SLA policy is not valid: ${describeIssues(parsed.error)}.`);
}

export function slaTarget(policy: SlaPolicy, channel: Channel, priority: Priority, kind: SlaKind): SlaTarget | null {
  return policy.targets[channel]?.[priority]?.[kind] ?? null;
}

/** One validated calendar per channel. */
export type ChannelCalendars = Readonly<Record<Channel, BusinessCalendar>>;

/** Validates one calendar definition per channel; the error names the channel. */
export function parseChannelCalendars(input: Readonly<Record<Channel, unknown>>): TimeResult<ChannelCalendars> {
  const out: Partial<Record<Channel, BusinessCalendar>> = {};
  for (const channel of CHANNELS) {
    if (input[channel] === undefined) return fail('calendar/invalid', `There is no business-hours calendar for the ${channel} channel.`);
    const parsed = parseCalendar(input[channel]);
    if (!parsed.ok) return fail('calendar/invalid', `${channel}: ${parsed.error.message}`);
    out[channel] = parsed.value;
  }
  return ok(out as ChannelCalendars);
}

// ---------------------------------------------------------------------------------------------
// Defaults (configuration data)

const weekdays = (start: string, end: string) => {
  const day = [{ start, end }];
  return { mon: day, tue: day, wed: day, thu: day, fri: day };
};

const ALWAYS: CalendarInput = { id: 'always-open', timeZone: 'UTC', weekly: '24/7', holidays: [] };
const PHONE_HOURS: CalendarInput = { id: 'phone-hours', timeZone: 'America/New_York', weekly: weekdays('08:00', '18:00'), holidays: [] };
const OFFICE_HOURS: CalendarInput = { id: 'office-hours', timeZone: 'America/New_York', weekly: weekdays('09:00', '18:00'), holidays: [] };

/** Live channels answer around the clock; phone and the written channels keep office hours. */
export const DEFAULT_CALENDAR_CONFIG: Readonly<Record<Channel, CalendarInput>> = {
  chat: ALWAYS,
  messenger: ALWAYS,
  instagram: ALWAYS,
  x: ALWAYS,
  in_app: ALWAYS,
  phone: PHONE_HOURS,
  email: OFFICE_HOURS,
  sms: OFFICE_HOURS,
  portal: OFFICE_HOURS,
};

/** DEFAULT_CALENDAR_CONFIG validated, ready for the arithmetic. */
export const DEFAULT_CALENDARS: ChannelCalendars = Object.freeze(
  Object.fromEntries(CHANNELS.map((channel) => [channel, calendarOrThrow(DEFAULT_CALENDAR_CONFIG[channel])])) as Record<Channel, BusinessCalendar>,
);

type PerPriority = Readonly<Record<Priority, number>>;

/** Builds the targets of one channel from minutes per priority, all in business time. */
function channelTargets(firstResponse: PerPriority, nextResponse: PerPriority, resolution: PerPriority): Record<Priority, SlaTargets> {
  const at = (p: Priority): SlaTargets => ({
    firstResponse: { minutes: firstResponse[p], time: 'business' },
    nextResponse: { minutes: nextResponse[p], time: 'business' },
    resolution: { minutes: resolution[p], time: 'business' },
  });
  return { urgent: at('urgent'), high: at('high'), normal: at('normal'), low: at('low') };
}

const h = (hours: number): number => hours * 60;

const liveChat = channelTargets({ urgent: 1, high: 2, normal: 2, low: 5 }, { urgent: 2, high: 3, normal: 5, low: 10 }, { urgent: h(4), high: h(8), normal: h(24), low: h(72) });
const social = channelTargets({ urgent: 15, high: 30, normal: 60, low: h(4) }, { urgent: 30, high: 60, normal: h(2), low: h(8) }, { urgent: h(8), high: h(24), normal: h(48), low: h(120) });
const phone = channelTargets({ urgent: 15, high: 30, normal: 60, low: h(4) }, { urgent: 30, high: 60, normal: h(2), low: h(4) }, { urgent: h(4), high: h(9), normal: h(18), low: h(45) });
const written = channelTargets({ urgent: 60, high: h(2), normal: h(4), low: h(8) }, { urgent: h(2), high: h(4), normal: h(8), low: h(16) }, { urgent: h(9), high: h(18), normal: h(27), low: h(45) });

/**
 * Minutes of business time (a business day is 9 or 10 hours): chat answers within minutes, social
 * and phone call-backs within the hour, the written channels within hours; resolution in days.
 */
export const DEFAULT_SLA_POLICY: SlaPolicy = {
  id: 'default',
  warningFractions: [0.5, 0.75, 0.9],
  targets: { chat: liveChat, in_app: liveChat, messenger: social, instagram: social, x: social, phone, email: written, sms: written, portal: written },
};

// ---------------------------------------------------------------------------------------------
// The case history

export const CaseEvent = z.discriminatedUnion('type', [
  z.strictObject({ at: Millis, type: z.literal('customer_message'), channel: Channel.optional() }),
  z.strictObject({ at: Millis, type: z.literal('agent_reply'), channel: Channel.optional() }),
  z.strictObject({ at: Millis, type: z.literal('status'), status: CaseStatus }),
  z.strictObject({ at: Millis, type: z.literal('priority'), priority: Priority }),
  z.strictObject({ at: Millis, type: z.literal('outage_start'), channel: Channel }),
  z.strictObject({ at: Millis, type: z.literal('outage_end'), channel: Channel }),
]);
export type CaseEvent = z.infer<typeof CaseEvent>;

export const CaseHistory = z.strictObject({
  /** The case's channel: the resolution clock's, and a message's when it names none. */
  channel: Channel,
  /** The priority before any `priority` event. */
  priority: Priority,
  /** In any order; sorted by `at` (stable, so same-instant events keep their order). */
  events: z.array(CaseEvent),
});
export type CaseHistory = z.infer<typeof CaseHistory>;

// ---------------------------------------------------------------------------------------------
// The clocks

export type SlaClockState = 'running' | 'paused' | 'met' | 'breached' | 'none';

export interface SlaClock {
  kind: SlaKind;
  state: SlaClockState;
  /** The channel whose calendar and outages the clock follows. */
  channel: Channel | null;
  /** The priority whose target applies. */
  priority: Priority | null;
  targetMs: number | null;
  time: SlaTarget['time'] | null;
  startedAt: number | null;
  /** When a reply or the resolution stopped it; null while it runs or is paused. */
  stoppedAt: number | null;
  /** The deadline; null while paused (it moves with the pause) and when there is no clock. */
  dueAt: number | null;
  /** Counted time so far (business or wall time, per `time`), pauses and outages excluded. */
  elapsedBusinessMs: number;
  /** The policy's warning fractions that the counted time has reached, ascending. */
  warningsReached: number[];
  /** When the next warning fraction will be reached, if the clock runs and one is left. */
  nextWarningAt: number | null;
  breachedAt: number | null;
  pausedBy: 'pending' | 'outage' | null;
}

export type SlaClocks = Record<SlaKind, SlaClock>;

type Span = [number, number];

interface Run {
  channel: Channel;
  startedAt: number;
  /** Periods the clock was running (before pauses are taken out); the last may end at now. */
  active: Span[];
  stoppedAt: number | null;
}

const noClock = (kind: SlaKind): SlaClock => ({
  kind,
  state: 'none',
  channel: null,
  priority: null,
  targetMs: null,
  time: null,
  startedAt: null,
  stoppedAt: null,
  dueAt: null,
  elapsedBusinessMs: 0,
  warningsReached: [],
  nextWarningAt: null,
  breachedAt: null,
  pausedBy: null,
});

/** a minus the union of bs; a sorted, disjoint; result sorted, disjoint, no empty spans. */
function subtract(a: readonly Span[], bs: readonly Span[]): Span[] {
  let out = a.map((s): Span => [s[0], s[1]]);
  for (const [bs0, be] of bs) {
    const next: Span[] = [];
    for (const [s, e] of out) {
      if (be <= s || bs0 >= e) next.push([s, e]);
      else {
        if (s < bs0) next.push([s, bs0]);
        if (be < e) next.push([be, e]);
      }
    }
    out = next;
  }
  return out.filter(([s, e]) => s < e);
}

const isClosed = (s: CaseStatus): boolean => s === 'resolved' || s === 'closed';

/**
 * The three clocks of a case at `now`. Events after `now` are ignored. An error only comes from a
 * calendar that never opens or a deadline beyond the calendar's search horizon.
 */
export function computeSlaClocks(policy: SlaPolicy, calendars: ChannelCalendars, history: CaseHistory, now: number): TimeResult<SlaClocks> {
  const events = history.events
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.at <= now)
    .sort((a, b) => a.e.at - b.e.at || a.i - b.i)
    .map(({ e }) => e);

  let status = 'open' as CaseStatus;
  let pendingSince: number | null = null;
  const pending: Span[] = [];
  const outageSince = new Map<Channel, number>();
  const outages = new Map<Channel, Span[]>();
  const priorities: Array<{ at: number; priority: Priority }> = [];
  let agentReplied = false;
  let first: Run | null = null;
  let next: Run | null = null;
  let resolution: Run | null = null;

  const start = (channel: Channel, at: number): Run => ({ channel, startedAt: at, active: [[at, now]], stoppedAt: null });
  const stop = (run: Run | null, at: number): void => {
    if (!run || run.stoppedAt !== null) return;
    run.stoppedAt = at;
    run.active[run.active.length - 1]![1] = at;
  };
  const endPending = (at: number): void => {
    if (pendingSince !== null) pending.push([pendingSince, at]);
    pendingSince = null;
  };
  const setStatus = (to: CaseStatus, at: number): void => {
    if (status === 'pending' && to !== 'pending') endPending(at);
    if (status !== 'pending' && to === 'pending') pendingSince = at;
    if (!isClosed(status) && isClosed(to)) {
      stop(resolution, at);
      stop(first, at);
      stop(next, at);
    }
    if (isClosed(status) && !isClosed(to) && resolution && resolution.stoppedAt !== null) {
      resolution.stoppedAt = null;
      resolution.active.push([at, now]);
    }
    status = to;
  };

  for (const event of events) {
    switch (event.type) {
      case 'customer_message': {
        const channel = event.channel ?? history.channel;
        if (status === 'pending' || isClosed(status)) setStatus('open', event.at);
        resolution ??= start(history.channel, event.at);
        const responded = agentReplied || (first !== null && first.stoppedAt !== null);
        if (first === null && !responded) first = start(channel, event.at);
        else if (responded && (first === null || first.stoppedAt !== null) && (next === null || next.stoppedAt !== null)) next = start(channel, event.at);
        break;
      }
      case 'agent_reply':
        agentReplied = true;
        stop(first, event.at);
        stop(next, event.at);
        break;
      case 'status':
        setStatus(event.status, event.at);
        break;
      case 'priority':
        priorities.push({ at: event.at, priority: event.priority });
        break;
      case 'outage_start':
        if (!outageSince.has(event.channel)) outageSince.set(event.channel, event.at);
        break;
      case 'outage_end': {
        const since = outageSince.get(event.channel);
        if (since === undefined) break;
        outages.set(event.channel, [...(outages.get(event.channel) ?? []), [since, event.at]]);
        outageSince.delete(event.channel);
        break;
      }
    }
  }
  const pendingNow = status === 'pending';
  endPending(now);
  for (const [channel, since] of outageSince) outages.set(channel, [...(outages.get(channel) ?? []), [since, now]]);

  const priorityAt = (at: number): Priority => {
    let current = history.priority;
    for (const p of priorities) if (p.at <= at) current = p.priority;
    return current;
  };

  const clock = (kind: SlaKind, run: Run | null): TimeResult<SlaClock> => {
    if (!run) return ok(noClock(kind));
    const priority = priorityAt(run.stoppedAt ?? now);
    const target = slaTarget(policy, run.channel, priority, kind);
    if (!target) return ok(noClock(kind));
    const targetMs = Math.round(target.minutes * MINUTE);
    const calendar = calendars[run.channel];
    const measure = (s: number, e: number): number => (target.time === 'business' ? businessTimeBetween(calendar, s, e) : e - s);
    const advance = (s: number, d: number): TimeResult<number> => (target.time === 'business' ? addBusinessTime(calendar, s, d) : ok(s + d));

    const channelOutages = outages.get(run.channel) ?? [];
    const counted = subtract(run.active, [...pending, ...channelOutages]);
    let elapsed = 0;
    let dueAt: number | null = null;
    for (const [s, e] of counted) {
      const m = measure(s, e);
      if (dueAt === null && elapsed < targetMs && elapsed + m >= targetMs) {
        const due = advance(s, targetMs - elapsed);
        if (!due.ok) return due;
        dueAt = due.value;
      }
      elapsed += m;
    }

    const running = run.stoppedAt === null;
    const outageNow = outageSince.has(run.channel);
    const pausedBy = running && pendingNow ? 'pending' : running && outageNow ? 'outage' : null;
    let nextWarningAt: number | null = null;
    if (dueAt === null && (!running || pausedBy === null)) {
      // Not reached yet: the deadline as it stands now, or as it stood when the clock stopped.
      const due = advance(run.stoppedAt ?? now, targetMs - elapsed);
      if (!due.ok) return due;
      dueAt = due.value;
    }
    if (running && pausedBy === null) {
      const upcoming = policy.warningFractions.find((f) => elapsed < f * targetMs);
      if (upcoming !== undefined) {
        const at = advance(now, Math.ceil(upcoming * targetMs - elapsed));
        if (!at.ok) return at;
        nextWarningAt = at.value;
      }
    }
    const breached = elapsed > targetMs;
    const state: SlaClockState = breached ? 'breached' : !running ? 'met' : pausedBy !== null ? 'paused' : 'running';
    return ok({
      kind,
      state,
      channel: run.channel,
      priority,
      targetMs,
      time: target.time,
      startedAt: run.startedAt,
      stoppedAt: run.stoppedAt,
      dueAt: pausedBy !== null && !breached ? null : dueAt,
      elapsedBusinessMs: elapsed,
      warningsReached: policy.warningFractions.filter((f) => elapsed >= f * targetMs),
      nextWarningAt,
      breachedAt: breached ? dueAt : null,
      pausedBy,
    });
  };

  const firstClock = clock('firstResponse', first);
  if (!firstClock.ok) return firstClock;
  const nextClock = clock('nextResponse', next);
  if (!nextClock.ok) return nextClock;
  const resolutionClock = clock('resolution', resolution);
  if (!resolutionClock.ok) return resolutionClock;
  return ok({ firstResponse: firstClock.value, nextResponse: nextClock.value, resolution: resolutionClock.value });
}

/** The deadline of a first response to a message received now: what the store sets at ingest. */
export function firstResponseDue(
  policy: SlaPolicy,
  calendars: ChannelCalendars,
  channel: Channel,
  priority: Priority,
  receivedAt: number,
): TimeResult<number | null> {
  const target = slaTarget(policy, channel, priority, 'firstResponse');
  if (!target) return ok(null);
  const ms = Math.round(target.minutes * MINUTE);
  return target.time === 'business' ? addBusinessTime(calendars[channel], receivedAt, ms) : ok(receivedAt + ms);
}

/**
 * The clock a queue should show: of the clocks still counting (running, or breached and not yet
 * stopped), the one due first. Its dueAt and startedAt feed QueueItem.slaDueAt and slaState.
 */
export function mostUrgentClock(clocks: SlaClocks): SlaClock | null {
  let best: SlaClock | null = null;
  for (const kind of SLA_KINDS) {
    const c = clocks[kind];
    if (c.stoppedAt !== null || c.dueAt === null || (c.state !== 'running' && c.state !== 'breached')) continue;
    if (best === null || c.dueAt < best.dueAt!) best = c;
  }
  return best;
}
