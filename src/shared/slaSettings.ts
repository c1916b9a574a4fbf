// The SLA policy and calendars a desktop counts with: the channel configuration matrix's hours,
// holidays and first-response SLA per channel when one was received, else the built-ins. Pure.
// The matrix names one first-response SLA per channel: it is the target at normal priority, and the
// other priorities keep their built-in proportion to normal (an urgent email is still due sooner);
// next-response and resolution targets stay the built-in policy's, counted on the matrix's hours.
import { CHANNELS, PRIORITIES, type Channel, type Priority } from './domain';
import { channelCalendar, type ChannelMatrix } from './channelConfig';
import { addBusinessTime, DEFAULT_CALENDARS, DEFAULT_SLA_POLICY, slaTarget, type ChannelCalendars, type SlaPolicy, type SlaTargets } from './time';

export interface SlaSettings {
  policy: SlaPolicy;
  calendars: ChannelCalendars;
}

export const BUILT_IN_SLA: SlaSettings = Object.freeze({ policy: DEFAULT_SLA_POLICY, calendars: DEFAULT_CALENDARS });

const fromMatrix = new WeakMap<ChannelMatrix, SlaSettings>();

/** The first-response target in minutes for `priority` when the channel's normal one is `seconds`. */
function scaledMinutes(channel: Channel, priority: Priority, seconds: number): number {
  const normal = slaTarget(DEFAULT_SLA_POLICY, channel, 'normal', 'firstResponse')?.minutes;
  const own = slaTarget(DEFAULT_SLA_POLICY, channel, priority, 'firstResponse')?.minutes;
  const share = normal && own ? own / normal : 1;
  // Whole seconds: a deadline an agent can read off a clock.
  return Math.max(1, Math.round(seconds * share)) / 60;
}

/**
 * The settings of a matrix (null: none was ever received, the built-ins). Computed once per matrix
 * object, so a caller that keeps one object per version compiles its calendars once per version.
 */
export function slaSettings(matrix: ChannelMatrix | null): SlaSettings {
  if (matrix === null) return BUILT_IN_SLA;
  const cached = fromMatrix.get(matrix);
  if (cached) return cached;
  const targets: SlaPolicy['targets'] = {};
  const calendars = {} as Record<Channel, ChannelCalendars[Channel]>;
  for (const channel of CHANNELS) {
    calendars[channel] = channelCalendar(matrix, channel);
    const seconds = matrix.channels[channel].firstResponseSlaSeconds;
    const perPriority: Partial<Record<Priority, SlaTargets>> = {};
    for (const priority of PRIORITIES) {
      perPriority[priority] = { ...DEFAULT_SLA_POLICY.targets[channel]?.[priority], firstResponse: { minutes: scaledMinutes(channel, priority, seconds), time: 'business' } };
    }
    targets[channel] = perPriority;
  }
  const settings: SlaSettings = Object.freeze({ policy: { ...DEFAULT_SLA_POLICY, id: 'channel-matrix', targets }, calendars: Object.freeze(calendars) });
  fromMatrix.set(matrix, settings);
  return settings;
}

export type ResponseKind = 'firstResponse' | 'nextResponse';

/**
 * When a customer waiting since `since` must be answered: the first response while nobody has
 * answered the case yet, else the next response. Null when the policy sets no such target or the
 * calendar never reaches it. What the queue shows and orders by.
 */
export function responseDue(settings: SlaSettings, channel: Channel, priority: Priority, kind: ResponseKind, since: number): number | null {
  const target = slaTarget(settings.policy, channel, priority, kind);
  if (!target) return null;
  const ms = Math.round(target.minutes * 60_000);
  if (target.time === 'calendar') return since + ms;
  const due = addBusinessTime(settings.calendars[channel], since, ms);
  return due.ok ? due.value : null;
}
