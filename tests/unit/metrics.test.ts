import { describe, expect, it } from 'vitest';
import { CODE_OUT, CODE_VOICEMAIL, computeChannelMetrics, METRIC_AUTHOR_TYPES, type CaseSummary, type ChannelFigures, type MetricEvent, type MetricEventColumns, type MetricsOptions } from '../../src/shared/metrics';
import { CHANNELS, type Channel } from '../../src/shared/domain';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 5); // a Monday; the range is that week
const h = (n: number) => T0 + n * HOUR;
const WEEK = { from: T0, to: T0 + 7 * DAY };

const ANA = 1;
const BEN = 2;
const CY = 3;
const DEE = 4;

function ev(caseId: number | null, customerId: number, channel: Channel, at: number, o: Partial<MetricEvent> = {}): MetricEvent {
  return { caseId, customerId, channel, direction: 'in', kind: 'message', authorType: 'customer', authorId: null, occurredAt: at, ...o };
}
const agent = (id: number, o: Partial<MetricEvent> = {}): Partial<MetricEvent> => ({ direction: 'out', authorType: 'agent', authorId: id, ...o });

function summary(id: number, customerId: number, o: Partial<CaseSummary>): CaseSummary {
  return { id, customerId, issueType: 'billing', status: 'open', createdAt: T0, resolvedAt: null, firstResponseAt: null, csatScore: null, escalated: false, resolutionCode: null, channels: [], ...o };
}

/*
 * The fixture, one week:
 *  case 100 (Ana, billing): chat at h1 (agent 10 answers 2 min later), then email at h3 (agent 11
 *           answers at h5); resolved at h6 "refund", CSAT 5.           → contacts chat + email
 *  case 101 (Ben, billing): email at h10, agent 11 answers at h14, an internal note; open, escalated.
 *  case 102 (Cy, technical): a 10 min call at h20, agent 10 calls back at h22 (5 min); resolved h23 "reset", CSAT 3.
 *  case 103 (Ana, technical): SMS at h20, agent 10 answers 30 min later; resolved h21 "replace", CSAT 4.
 *  case 104 (Dee, billing): a call before the week (outside), a voicemail at h30; open.
 *  portal: Dee views a deflected article at h2 (no later case), Ben one at h8 (his case 101 follows
 *          at h10), Cy an ordinary view at h9. One unthreaded SMS from customer 5 at h40.
 */
const events: MetricEvent[] = [
  ev(100, ANA, 'chat', h(1)),
  ev(100, ANA, 'chat', h(1) + 2 * MIN, agent(10)),
  ev(100, ANA, 'chat', h(1) + 5 * MIN),
  ev(100, ANA, 'email', h(3)),
  ev(100, ANA, 'email', h(5), agent(11)),
  ev(100, ANA, 'chat', h(6), { kind: 'system', authorType: 'system', direction: 'internal' }),
  ev(100, ANA, 'chat', h(7), { kind: 'csat', metadata: { score: 5 } }),
  ev(101, BEN, 'email', h(10)),
  ev(101, BEN, 'email', h(14), agent(11)),
  ev(101, BEN, 'email', h(15), agent(11, { direction: 'internal', kind: 'note' })),
  ev(102, CY, 'phone', h(20), { kind: 'call', metadata: { durationMs: 10 * MIN } }),
  ev(102, CY, 'phone', h(22), agent(10, { kind: 'call', metadata: { durationMs: 5 * MIN } })),
  ev(103, ANA, 'sms', h(20)),
  ev(103, ANA, 'sms', h(20) + 30 * MIN, agent(10)),
  ev(104, DEE, 'phone', T0 - HOUR, { kind: 'call', metadata: { durationMs: 3 * MIN } }),
  ev(104, DEE, 'phone', h(30), { kind: 'voicemail' }),
  ev(null, DEE, 'portal', h(2), { kind: 'portal_view', metadata: { deflected: true } }),
  ev(null, BEN, 'portal', h(8), { kind: 'portal_view', metadata: { deflected: true } }),
  ev(null, CY, 'portal', h(9), { kind: 'portal_view' }),
  ev(null, 5, 'sms', h(40)),
];

const cases: CaseSummary[] = [
  summary(100, ANA, { createdAt: h(1), status: 'resolved', resolvedAt: h(6), firstResponseAt: h(1) + 2 * MIN, csatScore: 5, resolutionCode: 'refund', channels: ['chat', 'email'] }),
  summary(101, BEN, { createdAt: h(10), firstResponseAt: h(14), escalated: true, channels: ['email'] }),
  summary(102, CY, { issueType: 'technical', createdAt: h(20), status: 'resolved', resolvedAt: h(23), firstResponseAt: h(22), csatScore: 3, resolutionCode: 'reset', channels: ['phone'] }),
  summary(103, ANA, { issueType: 'technical', createdAt: h(20), status: 'closed', resolvedAt: h(21), firstResponseAt: h(20) + 30 * MIN, csatScore: 4, resolutionCode: 'replace', channels: ['sms'] }),
  summary(104, DEE, { createdAt: T0 - HOUR, channels: ['phone'] }),
];

const options: MetricsOptions = {
  range: WEEK,
  costs: { email: { perContact: 2 }, chat: { perContact: 1.5 }, phone: { fixed: 100, perCallMinute: 0.02 }, sms: { perEvent: 0.01, perContact: 0.5 } },
  consistencyMinCases: 1,
};

const m = computeChannelMetrics(events, cases, options);
const channel = (c: Channel): ChannelFigures => m.channels.find((f) => f.channel === c)!;

describe('per-channel metrics on a hand-computed week', () => {
  it('counts contacts as cases with customer-facing activity on the channel, and events beside them', () => {
    const volumes = Object.fromEntries(m.channels.map((c) => [c.channel, [c.contacts, c.events]]));
    // chat: case 100 (3 messages; the system line and the CSAT answer are not contacts)
    // email: cases 100, 101 (4 messages; the internal note is not); phone: 102 (2 calls) and 104
    // (the voicemail; its earlier call is outside the week); sms: 103, plus 1 unthreaded message.
    expect(volumes).toEqual({ email: [2, 4], chat: [1, 3], phone: [2, 3], messenger: [0, 0], instagram: [0, 0], x: [0, 0], sms: [1, 3], in_app: [0, 0], portal: [0, 0] });
    expect(m.totals).toMatchObject({ contacts: 6, cases: 5, events: 13, unthreadedEvents: 1 });
  });

  it('resolution rate: contacts whose case was resolved by the end of the week', () => {
    expect([channel('chat').resolutionRate, channel('email').resolutionRate, channel('phone').resolutionRate, channel('sms').resolutionRate]).toEqual([1, 0.5, 0.5, 1]);
    expect(channel('messenger').resolutionRate).toBeNull();
    expect(m.totals.resolved).toBe(4);
    expect(m.totals.resolutionRate).toBeCloseTo(4 / 6, 12);
  });

  it('handle time: from the first agent touch on the channel to the resolution', () => {
    expect(channel('chat').avgHandleTimeMs).toBe(4 * HOUR + 58 * MIN); // h1+2min → h6
    expect(channel('email').avgHandleTimeMs).toBe(HOUR); // h5 → h6; case 101 is unresolved
    expect(channel('phone').avgHandleTimeMs).toBe(HOUR); // h22 → h23
    expect(channel('sms').avgHandleTimeMs).toBe(30 * MIN); // h20+30 → h21
    expect(m.totals.avgHandleTimeMs).toBe(((298 + 60 + 60 + 30) / 4) * MIN);
  });

  it('first response: from the first customer message on the channel to the first agent reply on it', () => {
    expect(channel('chat').avgFirstResponseMs).toBe(2 * MIN);
    expect(channel('email')).toMatchObject({ avgFirstResponseMs: 3 * HOUR, firstResponses: 2 }); // 2 h and 4 h
    expect(channel('phone')).toMatchObject({ avgFirstResponseMs: 2 * HOUR, firstResponses: 1 }); // the voicemail is unanswered
    expect(channel('sms').avgFirstResponseMs).toBe(30 * MIN);
    expect(m.totals.avgFirstResponseMs).toBe(((2 + 120 + 240 + 120 + 30) / 5) * MIN);
    expect(m.totals.avgCaseFirstResponseMs).toBe(((2 + 240 + 120 + 30) / 4) * MIN); // case 104 was created before the week
  });

  it('CSAT and escalation belong to every contact of the case', () => {
    expect([channel('chat').csatAverage, channel('email').csatAverage, channel('phone').csatAverage, channel('sms').csatAverage]).toEqual([5, 5, 3, 4]);
    expect(channel('email')).toMatchObject({ csatResponses: 1, escalated: 1, escalationRate: 0.5 });
    expect(m.totals).toMatchObject({ csatAverage: 17 / 4, csatResponses: 4, escalated: 1 });
  });

  it('cost per contact from the configured costs', () => {
    expect(channel('email')).toMatchObject({ cost: 4, costPerContact: 2 });
    expect(channel('chat')).toMatchObject({ cost: 1.5, costPerContact: 1.5 });
    expect(channel('phone').callMinutes).toBe(15);
    expect(channel('phone').cost).toBeCloseTo(100 + 15 * 0.02, 10);
    expect(channel('phone').costPerContact).toBeCloseTo(100.3 / 2, 10);
    expect(channel('sms').cost).toBeCloseTo(3 * 0.01 + 0.5, 10);
    expect(channel('instagram')).toMatchObject({ cost: 0, costPerContact: null });
    expect(m.totals.cost).toBeCloseTo(4 + 1.5 + 100.3 + 0.53, 10);
    expect(m.totals.costPerContact).toBeCloseTo(106.33 / 6, 10);
  });

  it('per agent by channel', () => {
    const rows = m.byAgent.map((r) => [r.agentId, r.channel, r.contacts, r.resolved, r.avgHandleTimeMs, r.avgFirstResponseMs, r.csatAverage, r.escalated]);
    expect(rows).toEqual([
      [10, 'chat', 1, 1, 298 * MIN, 2 * MIN, 5, 0],
      [10, 'phone', 1, 1, HOUR, 2 * HOUR, 3, 0],
      [10, 'sms', 1, 1, 30 * MIN, 30 * MIN, 4, 0],
      [11, 'email', 2, 1, HOUR, 3 * HOUR, 5, 1],
    ]);
  });
});

describe('cross-channel metrics on the same week', () => {
  it('channel switch rate: cases touching more than one channel, over all cases', () => {
    expect(m.crossChannel).toMatchObject({ cases: 5, switchedCases: 1, channelSwitchRate: 0.2 });
  });

  it('context preserved: a switch that stayed on the case vs one that opened a new case', () => {
    // Ana: chat → email on case 100 (preserved), then email → SMS 15 h later on a new case 103 (lost).
    expect(m.crossChannel).toMatchObject({ switches: 2, contextPreserved: 1, contextPreservedRate: 0.5 });
    const tight = computeChannelMetrics(events, cases, { ...options, switchWindowMs: 12 * HOUR });
    expect(tight.crossChannel).toMatchObject({ switches: 1, contextPreserved: 1, contextPreservedRate: 1 });
  });

  it('average channels per resolved issue', () => {
    // resolved this week: 100 (chat, email), 102 (phone), 103 (sms)
    expect(m.crossChannel).toMatchObject({ resolvedIssues: 3 });
    expect(m.crossChannel.avgChannelsPerResolvedIssue).toBeCloseTo(4 / 3, 12);
  });

  it('self-service deflection: deflected portal views not followed by a case within 7 days, over all views', () => {
    expect(m.selfService).toEqual({ portalViews: 3, deflectedViews: 2, deflected: 1, deflectionRate: 1 / 3, articles: [] });
    // With a 1 h window, Ben's case (2 h after his view) no longer cancels the deflection.
    expect(computeChannelMetrics(events, cases, { ...options, deflectionWindowMs: HOUR }).selfService.deflected).toBe(2);
  });

  it('consistency: the same issue type resolved differently on different channels is flagged', () => {
    // billing: refund on email (case 100's last agent reply was the email). technical: reset on phone, replace on SMS.
    expect(m.consistency.inconsistent).toEqual(['technical']);
    expect(m.consistency.issues).toEqual([
      { issueType: 'billing', consistent: true, byChannel: [{ channel: 'email', resolved: 1, dominantCode: 'refund', dominantShare: 1, codes: { refund: 1 } }] },
      {
        issueType: 'technical',
        consistent: false,
        byChannel: [
          { channel: 'phone', resolved: 1, dominantCode: 'reset', dominantShare: 1, codes: { reset: 1 } },
          { channel: 'sms', resolved: 1, dominantCode: 'replace', dominantShare: 1, codes: { replace: 1 } },
        ],
      },
    ]);
    // Below the minimum number of cases per channel, nothing is flagged.
    expect(computeChannelMetrics(events, cases, { ...options, consistencyMinCases: 5 }).consistency.inconsistent).toEqual([]);
  });

  it('underperforming channels: more contacts than the median and a low resolution rate', () => {
    // contacts: chat 1, email 2, phone 2, sms 1 → median 1.5; email and phone resolve 50 %.
    expect(m.underperforming).toEqual([
      { channel: 'email', contacts: 2, medianContacts: 1.5, resolutionRate: 0.5 },
      { channel: 'phone', contacts: 2, medianContacts: 1.5, resolutionRate: 0.5 },
    ]);
    expect(computeChannelMetrics(events, cases, { ...options, underperformingResolutionRate: 0.5 }).underperforming).toEqual([]);
  });
});

describe('edges of the definitions', () => {
  it('an outbound contact the customer never answered has no first response', () => {
    const r = computeChannelMetrics([ev(1, ANA, 'email', h(1), agent(10))], [summary(1, ANA, {})], { range: WEEK });
    expect(r.channels[0]).toMatchObject({ channel: 'email', contacts: 1, firstResponses: 0, avgFirstResponseMs: null });
  });

  it('a proactive message before the customer wrote is not the first response', () => {
    const r = computeChannelMetrics([ev(1, ANA, 'chat', h(1), agent(10)), ev(1, ANA, 'chat', h(2)), ev(1, ANA, 'chat', h(2) + 90_000, agent(11))], [], { range: WEEK });
    expect(r.byAgent.map((a) => [a.agentId, a.firstResponses, a.avgFirstResponseMs])).toEqual([
      [10, 0, null],
      [11, 1, 90_000],
    ]);
  });

  it('the range is half-open: an event at its end belongs to the next week', () => {
    const r = computeChannelMetrics([ev(1, ANA, 'chat', WEEK.to), ev(2, ANA, 'chat', WEEK.from)], [], { range: WEEK });
    expect(r.totals.contacts).toBe(1);
  });

  it('a case resolved after the range counts as unresolved for that range', () => {
    const r = computeChannelMetrics([ev(1, ANA, 'chat', h(1))], [summary(1, ANA, { status: 'resolved', resolvedAt: WEEK.to + HOUR })], { range: WEEK });
    expect(r.totals.resolutionRate).toBe(0);
  });

  it('a customer with very many contacts has their switches counted like anyone else', () => {
    // 60 one-contact cases, alternating email and chat every 2 hours, given out of order: 59 switches, none kept the case.
    const many = Array.from({ length: 60 }, (_, i) => ev(1000 + ((i * 37) % 60), ANA, ((i * 37) % 60) % 2 === 0 ? 'email' : 'chat', h(2 * ((i * 37) % 60))));
    const r = computeChannelMetrics(many, [], { range: WEEK });
    expect(r.crossChannel).toMatchObject({ switches: 59, contextPreserved: 0 });
  });

  it('an empty week has zero volumes and no rates', () => {
    const r = computeChannelMetrics([], [], { range: WEEK });
    expect(r.totals).toMatchObject({ contacts: 0, cases: 0, resolutionRate: null, costPerContact: null });
    expect(r.crossChannel.channelSwitchRate).toBeNull();
    expect(r.underperforming).toEqual([]);
  });
});

describe('messages and voicemails handed over as columns (a store\'s large read)', () => {
  /** The fixture's customer-facing messages and voicemails as columns; everything else stays an event. */
  function split(list: readonly MetricEvent[]): { rest: MetricEvent[]; columns: MetricEventColumns } {
    const moved = list.filter((e) => (e.kind === 'message' || e.kind === 'voicemail') && e.direction !== 'internal');
    const n = moved.length;
    const columns: MetricEventColumns = { size: n, caseId: new Float64Array(n), customerId: new Float64Array(n), code: new Uint8Array(n), authorId: new Float64Array(n), occurredAt: new Float64Array(n) };
    moved.forEach((e, i) => {
      columns.caseId[i] = e.caseId ?? -1;
      columns.customerId[i] = e.customerId;
      columns.code[i] = CHANNELS.indexOf(e.channel) | (e.direction === 'out' ? CODE_OUT : 0) | (e.kind === 'voicemail' ? CODE_VOICEMAIL : 0) | (METRIC_AUTHOR_TYPES.indexOf(e.authorType as (typeof METRIC_AUTHOR_TYPES)[number]) << 6);
      columns.authorId[i] = e.authorId ?? -1;
      columns.occurredAt[i] = e.occurredAt;
    });
    return { rest: list.filter((e) => !moved.includes(e)), columns };
  }

  it('gives every figure the event objects give, with and without a channel filter', () => {
    const { rest, columns } = split(events);
    expect(columns.size).toBe(11);
    expect(rest.length).toBe(events.length - 11);
    const asColumns = computeChannelMetrics(rest, cases, { ...options, columns });
    expect(asColumns).toEqual(m);
    expect(asColumns.channels.find((c) => c.channel === 'chat')!.contacts).toBe(1);
    const filtered = { ...options, channels: ['email', 'sms'] as Channel[] };
    expect(computeChannelMetrics(rest, cases, { ...filtered, columns })).toEqual(computeChannelMetrics(events, cases, filtered));
  });

  it('leaves out rows of a channel this version does not know instead of misfiling them', () => {
    const { rest, columns } = split(events);
    columns.code[0] = 15; // Ana's first chat message, from a newer writer's channel
    const withUnknown = computeChannelMetrics(rest, cases, { ...options, columns });
    const without = computeChannelMetrics(events.filter((e) => e !== events[0]), cases, options);
    expect(withUnknown).toEqual(without);
    expect(withUnknown.channels.find((c) => c.channel === 'chat')!.events).toBe(2);
  });
});
