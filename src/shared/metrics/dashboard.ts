// The supervisor dashboard (and its weekly report): every figure of one date range and channel
// filter, from the channel metrics engine plus Erlang C staffing. Pure: the caller passes the
// events, case summaries, names and settings; the schema is the contract's output.
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { Channel, CHANNEL_LABELS, CHANNELS, Id, IssueType, Millis } from '../domain';
import { computeChannelMetrics, type CaseSummary, type ChannelCost, type MetricEvent, type MetricEventColumns } from './channelMetrics';
import { agentsFor } from './erlangC';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The longest range the dashboard computes (its hour table stays small). */
export const MAX_DASHBOARD_DAYS = 400;
export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

const Count = z.number().nonnegative();
const Rate = z.number().min(0).max(1).nullable();
const Ms = z.number().nullable();
const Money = z.number();

export const StaffingTargetSchema = z.strictObject({
  answerWithinSeconds: z.number().positive().max(3600),
  targetShare: z.number().gt(0).lt(1),
  /** Overrides the measured handle time (seconds). */
  ahtSeconds: z.number().positive().max(86_400).optional(),
  /** Phone: added to the average talk time. */
  wrapUpSeconds: z.number().min(0).max(3600).default(0),
  /** Chat: conversations one agent carries at once (the Erlang C agents are divided by it). */
  concurrency: z.number().int().min(1).max(10).default(1),
});
export type StaffingTargetSettings = z.output<typeof StaffingTargetSchema>;

export const ChannelCostSchema = z.strictObject({
  fixed: z.number().min(0).optional(),
  perContact: z.number().min(0).optional(),
  perEvent: z.number().min(0).optional(),
  perCallMinute: z.number().min(0).optional(),
});

/** What a center configures for its dashboard: costs, the time zone of the heatmap, the service levels. */
export const DashboardSettings = z.strictObject({
  timeZone: z.string().refine((s) => IANAZone.isValidZone(s), { message: 'is not an IANA time zone such as Europe/Berlin' }).default('UTC'),
  currency: z.string().min(1).max(8).default('USD'),
  costs: z.partialRecord(Channel, ChannelCostSchema).default({}),
  staffing: z
    .strictObject({
      phone: StaffingTargetSchema.prefault({ answerWithinSeconds: 20, targetShare: 0.8, wrapUpSeconds: 30 }),
      chat: StaffingTargetSchema.prefault({ answerWithinSeconds: 60, targetShare: 0.8, concurrency: 2 }),
    })
    .prefault({}),
  deflectionWindowDays: z.number().positive().max(90).default(7),
  switchWindowHours: z.number().positive().max(720).default(24),
  underperformingResolutionRate: z.number().min(0).max(1).default(0.6),
  consistencyMinCases: z.number().int().min(1).default(5),
});
export type DashboardSettings = z.output<typeof DashboardSettings>;

export const DashboardRange = z
  .strictObject({ from: Millis, to: Millis })
  .refine((r) => r.to > r.from, { message: 'The range must end after it starts.' })
  .refine((r) => r.to - r.from <= MAX_DASHBOARD_DAYS * DAY, { message: `The range can be at most ${MAX_DASHBOARD_DAYS} days.` });

export const VolumeRow = z.object({
  /** A channel, or 'deflected' for the portal's self-service contacts. */
  key: z.union([Channel, z.literal('deflected')]),
  label: z.string(),
  contacts: Count,
  /** Of all contacts plus deflected ones. */
  share: Rate,
});

export const PerformanceRow = z.object({
  channel: Channel,
  contacts: Count,
  resolved: Count,
  resolutionRate: Rate,
  avgHandleTimeMs: Ms,
  avgFirstResponseMs: Ms,
  csatAverage: z.number().nullable(),
  csatResponses: Count,
  escalationRate: Rate,
  cost: Money,
  costPerContact: Money.nullable(),
});

export const AgentRow = z.object({
  agentId: Id,
  name: z.string(),
  channel: Channel,
  contacts: Count,
  resolved: Count,
  resolutionRate: Rate,
  avgHandleTimeMs: Ms,
  avgFirstResponseMs: Ms,
  csatAverage: z.number().nullable(),
});

export const StaffingRow = z.object({
  channel: z.enum(['phone', 'chat']),
  /** The handle time Erlang C used, and where it came from. */
  ahtSeconds: z.number().nullable(),
  ahtSource: z.enum(['measured', 'configured', 'none']),
  answerWithinSeconds: z.number(),
  targetShare: z.number(),
  concurrency: z.number(),
  /** Per hour of the week (168; Monday 00:00 first): average arrivals in that hour over the range, and the agents suggested. */
  arrivalsPerHour: z.array(z.number()),
  agents: z.array(z.number()),
  peak: z.object({ hourOfWeek: z.number().int(), arrivalsPerHour: z.number(), agents: z.number(), serviceLevel: z.number() }).nullable(),
});

export const Dashboard = z.object({
  range: z.object({ from: Millis, to: Millis }),
  /** The channel filter applied (all channels when none was given). */
  channels: z.array(Channel),
  timeZone: z.string(),
  currency: z.string(),
  totals: z.object({
    contacts: Count,
    cases: Count,
    events: Count,
    deflected: Count,
    resolved: Count,
    resolutionRate: Rate,
    avgHandleTimeMs: Ms,
    avgFirstResponseMs: Ms,
    csatAverage: z.number().nullable(),
    cost: Money,
    costPerContact: Money.nullable(),
  }),
  volume: z.array(VolumeRow),
  performance: z.array(PerformanceRow),
  crossChannel: z.object({
    cases: Count,
    switchedCases: Count,
    channelSwitchRate: Rate,
    switches: Count,
    contextPreserved: Count,
    contextPreservedRate: Rate,
    resolvedIssues: Count,
    avgChannelsPerResolvedIssue: z.number().nullable(),
  }),
  deflection: z.object({
    portalViews: Count,
    deflected: Count,
    deflectionRate: Rate,
    topArticles: z.array(z.object({ article: z.string(), title: z.string(), views: Count, deflected: Count })),
  }),
  agents: z.array(AgentRow),
  demand: z.array(z.object({ channel: Channel, counts: z.array(Count) })),
  staffing: z.array(StaffingRow),
  underperforming: z.array(z.object({ channel: Channel, contacts: Count, medianContacts: z.number(), resolutionRate: z.number() })),
  segments: z.array(z.object({ segment: z.string(), contacts: Count, preferredChannel: Channel.nullable(), preferredShare: Rate, byChannel: z.array(z.object({ channel: Channel, contacts: Count })) })),
  consistency: z.object({
    inconsistent: z.array(IssueType),
    issues: z.array(
      z.object({
        issueType: IssueType,
        consistent: z.boolean(),
        byChannel: z.array(z.object({ channel: Channel, resolved: Count, dominantCode: z.string(), dominantShare: z.number() })),
      }),
    ),
  }),
});
export type Dashboard = z.infer<typeof Dashboard>;

export interface DashboardInput {
  events: readonly MetricEvent[];
  /** More messages and voicemails, as columns (a store's large read). */
  columns?: MetricEventColumns;
  cases: readonly CaseSummary[];
  /** Agent names by id (rows of unknown agents say "Agent <id>"). */
  agentNames?: ReadonlyMap<number, string>;
  /** Article titles by the name portal views carry in `metadata.article`. */
  articleTitles?: ReadonlyMap<string, string>;
  /** Segment names, and each customer's segment index (-1: none). */
  segments?: { names: readonly string[]; of: (customerId: number) => number };
}

export interface DashboardQuery {
  range: { from: number; to: number };
  /** Empty or absent: every channel. */
  channels?: readonly Channel[];
  settings: DashboardSettings;
  /** How many top deflecting articles to list. Default 5. */
  topArticles?: number;
}

/**
 * The hour of the week (0 = Monday 00:00–01:00 … 167) of a moment in a time zone, from a table of
 * UTC offsets per hour of the range (daylight saving changes on the hour in practice).
 */
export function hourOfWeekIn(timeZone: string, from: number, to: number): { of: (at: number) => number; occurrences: number[] } {
  const base = Math.floor(from / HOUR) * HOUR;
  const hours = Math.ceil((to - base) / HOUR) + 1;
  const offsets = new Float64Array(hours);
  // Asked per day, and per hour only in a day whose offset differs at its ends (a zone changes its
  // offset at most once a day): a year's range asks the zone about 400 times instead of 9,000.
  const zone = IANAZone.create(timeZone);
  const offsetAt = (i: number) => zone.offset(base + i * HOUR) * 60_000;
  let start = offsetAt(0);
  for (let day = 0; day < hours; day += 24) {
    const end = Math.min(hours - 1, day + 24);
    const next = offsetAt(end);
    for (let i = day; i < end; i++) offsets[i] = next === start ? start : offsetAt(i);
    start = next;
  }
  offsets[hours - 1] = offsetAt(hours - 1);
  const of = (at: number): number => {
    const i = Math.min(hours - 1, Math.max(0, Math.floor((at - base) / HOUR)));
    const local = at + offsets[i]!;
    const day = Math.floor(local / DAY);
    // 1970-01-01 was a Thursday (index 3 with Monday = 0).
    return ((((day + 3) % 7) + 7) % 7) * 24 + Math.floor((local - day * DAY) / HOUR);
  };
  // How often each hour of the week occurs in the range (hours that start inside it).
  const occurrences = new Array<number>(168).fill(0);
  for (let t = Math.ceil(from / HOUR) * HOUR; t < to; t += HOUR) occurrences[of(t)]!++;
  return { of, occurrences };
}

/** Every figure of the dashboard for the range and channel filter. */
export function computeDashboard(input: DashboardInput, query: DashboardQuery): Dashboard {
  const { range, settings } = query;
  const selected = query.channels && query.channels.length > 0 ? CHANNELS.filter((c) => query.channels!.includes(c)) : [...CHANNELS];
  const week = hourOfWeekIn(settings.timeZone, range.from, range.to);
  const costs: Partial<Record<Channel, ChannelCost>> = settings.costs;
  const m = computeChannelMetrics(input.events, input.cases, {
    range,
    costs,
    channels: selected,
    deflectionWindowMs: settings.deflectionWindowDays * DAY,
    switchWindowMs: settings.switchWindowHours * HOUR,
    underperformingResolutionRate: settings.underperformingResolutionRate,
    consistencyMinCases: settings.consistencyMinCases,
    hourOfWeek: week.of,
    ...(input.columns ? { columns: input.columns } : {}),
    ...(input.segments ? { segments: { count: input.segments.names.length, of: input.segments.of } } : {}),
  });

  const shown = m.channels.filter((c) => selected.includes(c.channel));
  const deflected = m.selfService.deflected;
  const volumeBase = m.totals.contacts + deflected;
  const share = (n: number) => (volumeBase > 0 ? n / volumeBase : null);
  const volume = [
    ...shown.filter((c) => c.contacts > 0).map((c) => ({ key: c.channel, label: CHANNEL_LABELS[c.channel], contacts: c.contacts, share: share(c.contacts) })),
    ...(selected.includes('portal') && deflected > 0 ? [{ key: 'deflected' as const, label: 'Portal (deflected)', contacts: deflected, share: share(deflected) }] : []),
  ];

  const performance = shown
    .filter((c) => c.contacts > 0 || c.cost > 0)
    .map((c) => ({
      channel: c.channel,
      contacts: c.contacts,
      resolved: c.resolved,
      resolutionRate: c.resolutionRate,
      avgHandleTimeMs: c.avgHandleTimeMs,
      avgFirstResponseMs: c.avgFirstResponseMs,
      csatAverage: c.csatAverage,
      csatResponses: c.csatResponses,
      escalationRate: c.escalationRate,
      cost: c.cost,
      costPerContact: c.costPerContact,
    }));

  const demand = CHANNELS.flatMap((channel, ch) => (selected.includes(channel) && m.channels[ch]!.contacts > 0 ? [{ channel, counts: m.demand![ch]! }] : []));

  const staffing = (['phone', 'chat'] as const).flatMap((channel) => {
    if (!selected.includes(channel)) return [];
    const target = settings.staffing[channel];
    const figures = m.channels[CHANNELS.indexOf(channel)]!;
    let ahtSeconds: number | null = null;
    let ahtSource: 'measured' | 'configured' | 'none' = 'none';
    if (target.ahtSeconds !== undefined) {
      ahtSeconds = target.ahtSeconds;
      ahtSource = 'configured';
    } else if (channel === 'phone' && figures.calls > 0) {
      ahtSeconds = (figures.callMinutes * 60) / figures.calls + target.wrapUpSeconds;
      ahtSource = 'measured';
    } else if (figures.avgHandleTimeMs !== null && figures.avgHandleTimeMs > 0) {
      ahtSeconds = figures.avgHandleTimeMs / 1000 + (channel === 'phone' ? target.wrapUpSeconds : 0);
      ahtSource = 'measured';
    }
    const counts = m.demand![CHANNELS.indexOf(channel)]!;
    const arrivalsPerHour = counts.map((n, slot) => (week.occurrences[slot]! > 0 ? n / week.occurrences[slot]! : 0));
    let peak: z.infer<typeof StaffingRow>['peak'] = null;
    const agents = arrivalsPerHour.map((rate, slot) => {
      if (ahtSeconds === null || rate === 0) return 0;
      const s = agentsFor(rate, ahtSeconds, target);
      const needed = Math.ceil(s.agents / target.concurrency);
      if (peak === null || rate > peak.arrivalsPerHour) peak = { hourOfWeek: slot, arrivalsPerHour: rate, agents: needed, serviceLevel: s.serviceLevel };
      return needed;
    });
    return [{ channel, ahtSeconds, ahtSource, answerWithinSeconds: target.answerWithinSeconds, targetShare: target.targetShare, concurrency: target.concurrency, arrivalsPerHour, agents, peak }];
  });

  const names = input.agentNames ?? new Map<number, string>();
  const agents = m.byAgent
    .filter((a) => a.agentId > 0)
    .map((a) => ({
      agentId: a.agentId,
      name: names.get(a.agentId) ?? `Agent ${a.agentId}`,
      channel: a.channel,
      contacts: a.contacts,
      resolved: a.resolved,
      resolutionRate: a.resolutionRate,
      avgHandleTimeMs: a.avgHandleTimeMs,
      avgFirstResponseMs: a.avgFirstResponseMs,
      csatAverage: a.csatAverage,
    }));

  const segments = (input.segments?.names ?? []).map((segment, g) => {
    const row = m.segmentContacts![g]!;
    const byChannel = CHANNELS.flatMap((channel, ch) => (row[ch]! > 0 ? [{ channel, contacts: row[ch]! }] : []));
    const contacts = byChannel.reduce((s, r) => s + r.contacts, 0);
    // Most contacts wins; a tie goes to the channel listed first.
    const top = byChannel.reduce<(typeof byChannel)[number] | null>((best, r) => (best === null || r.contacts > best.contacts ? r : best), null);
    return { segment, contacts, preferredChannel: top?.channel ?? null, preferredShare: top && contacts > 0 ? top.contacts / contacts : null, byChannel };
  });

  const titles = input.articleTitles ?? new Map<string, string>();
  return {
    range: { from: range.from, to: range.to },
    channels: selected,
    timeZone: settings.timeZone,
    currency: settings.currency,
    totals: {
      contacts: m.totals.contacts,
      cases: m.totals.cases,
      events: m.totals.events,
      deflected,
      resolved: m.totals.resolved,
      resolutionRate: m.totals.resolutionRate,
      avgHandleTimeMs: m.totals.avgHandleTimeMs,
      avgFirstResponseMs: m.totals.avgFirstResponseMs,
      csatAverage: m.totals.csatAverage,
      cost: m.totals.cost,
      costPerContact: m.totals.costPerContact,
    },
    volume,
    performance,
    crossChannel: m.crossChannel,
    deflection: {
      portalViews: m.selfService.portalViews,
      deflected,
      deflectionRate: m.selfService.deflectionRate,
      topArticles: m.selfService.articles
        .filter((a) => a.deflected > 0)
        .slice(0, query.topArticles ?? 5)
        .map((a) => ({ ...a, title: titles.get(a.article) ?? a.article })),
    },
    agents,
    demand,
    staffing,
    underperforming: m.underperforming,
    segments,
    consistency: {
      inconsistent: m.consistency.inconsistent,
      issues: m.consistency.issues.map((i) => ({ issueType: i.issueType, consistent: i.consistent, byChannel: i.byChannel.map((r) => ({ channel: r.channel, resolved: r.resolved, dominantCode: r.dominantCode, dominantShare: r.dominantShare })) })),
    },
  };
}
