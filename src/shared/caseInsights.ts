// What the engines say about one case, for the conversation header: its SLA clocks (from the
// business-hours and SLA engine) and the channel to offer the customer (from the routing engine).
// Pure: the store supplies the case's facts, the caller supplies `now`.
import { z } from 'zod';
import type { CaseStatus, Channel, Direction, EventKind, IssueType, Priority } from './domain';
import { Channel as ChannelSchema, Millis } from './domain';
import { suggestChannel } from './routing';
import { ChannelSuggestion } from './routing/types';
import { computeSlaClocks, DEFAULT_CALENDARS, DEFAULT_SLA_POLICY, SLA_KINDS, type CaseEvent, type ChannelCalendars, type SlaPolicy } from './time';

export interface CaseFacts {
  id: number;
  channel: Channel;
  priority: Priority;
  status: CaseStatus;
  issueType: IssueType;
  resolvedAt: number | null;
  preferredChannel: Channel | null;
  /** The case's events in time order (internal notes included; they are skipped here). */
  events: Array<{ direction: Direction; kind: EventKind; channel: Channel; occurredAt: number; bodyLength: number }>;
}

export const SlaClockView = z.object({
  kind: z.enum(['firstResponse', 'nextResponse', 'resolution']),
  state: z.enum(['running', 'paused', 'met', 'breached', 'none']),
  channel: ChannelSchema.nullable(),
  startedAt: Millis.nullable(),
  dueAt: Millis.nullable(),
  breachedAt: Millis.nullable(),
  pausedBy: z.enum(['pending', 'outage']).nullable(),
});
export type SlaClockView = z.infer<typeof SlaClockView>;

export const CaseInsights = z.object({
  caseId: z.number().int().positive(),
  sla: z.array(SlaClockView),
  suggestion: ChannelSuggestion.nullable(),
});
export type CaseInsights = z.infer<typeof CaseInsights>;

const CUSTOMER_KINDS = new Set<EventKind>(['message', 'voicemail', 'call']);

/** The case as the SLA engine reads it: customer messages, agent replies and status changes. */
export function slaHistoryOf(facts: CaseFacts): CaseEvent[] {
  const history: CaseEvent[] = [];
  let lastReplyAt: number | null = null;
  for (const e of facts.events) {
    if (e.direction === 'in' && CUSTOMER_KINDS.has(e.kind)) history.push({ at: e.occurredAt, type: 'customer_message', channel: e.channel });
    if (e.direction === 'out' && (e.kind === 'message' || e.kind === 'call')) {
      history.push({ at: e.occurredAt, type: 'agent_reply', channel: e.channel });
      lastReplyAt = e.occurredAt;
    }
  }
  // The store keeps the current status, not its history: a pending case has waited on the
  // customer since the last reply; a resolved one stopped at its resolution.
  if (facts.status === 'pending' && lastReplyAt !== null) history.push({ at: lastReplyAt, type: 'status', status: 'pending' });
  if ((facts.status === 'resolved' || facts.status === 'closed') && facts.resolvedAt !== null) history.push({ at: facts.resolvedAt, type: 'status', status: 'resolved' });
  return history;
}

/** Customer/agent turns: how many times the conversation changed hands. */
export function backAndForthOf(facts: CaseFacts): number {
  let turns = 0;
  let last: Direction | null = null;
  for (const e of facts.events) {
    if (e.direction === 'internal' || e.kind === 'csat' || e.kind === 'system') continue;
    if (last !== null && e.direction !== last) turns++;
    last = e.direction;
  }
  return turns;
}

export function caseInsights(
  facts: CaseFacts,
  now: number,
  policy: SlaPolicy = DEFAULT_SLA_POLICY,
  calendars: ChannelCalendars = DEFAULT_CALENDARS,
): CaseInsights {
  const clocks = computeSlaClocks(policy, calendars, { channel: facts.channel, priority: facts.priority, events: slaHistoryOf(facts) }, now);
  const sla = clocks.ok
    ? SLA_KINDS.map((kind) => {
        const c = clocks.value[kind];
        return { kind, state: c.state, channel: c.channel, startedAt: c.startedAt, dueAt: c.dueAt, breachedAt: c.breachedAt, pausedBy: c.pausedBy };
      })
    : [];
  const lastInbound = [...facts.events].reverse().find((e) => e.direction === 'in');
  const open = facts.status !== 'resolved' && facts.status !== 'closed';
  const suggestion = open
    ? suggestChannel({
        issueType: facts.issueType,
        currentChannel: facts.channel,
        messageLength: lastInbound?.bodyLength ?? 0,
        backAndForth: backAndForthOf(facts),
        priority: facts.priority,
        preferredChannel: facts.preferredChannel,
      })
    : null;
  return { caseId: facts.id, sla, suggestion };
}
