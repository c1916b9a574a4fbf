import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeChannelMetrics, type CaseSummary, type ChannelMetrics, type MetricEvent, type MetricsOptions } from '../../src/shared/metrics';
import { CASE_STATUSES, CHANNELS, EVENT_KINDS, ISSUE_TYPES } from '../../src/shared/domain';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5);
const range = { from: T0, to: T0 + 7 * DAY };
// Times straddle the range on both sides, so filtering is exercised too; whole hours make ties
// on time common, which is where an order-dependent aggregation would show.
const HOUR = DAY / 24;
const at = fc.integer({ min: -24, max: 8 * 24 }).map((n) => T0 + n * HOUR);

const eventArb: fc.Arbitrary<MetricEvent> = fc.record({
  caseId: fc.option(fc.integer({ min: 1, max: 25 }), { freq: 8 }),
  customerId: fc.integer({ min: 1, max: 8 }),
  channel: fc.constantFrom(...CHANNELS),
  direction: fc.constantFrom('in', 'out', 'internal'),
  kind: fc.constantFrom(...EVENT_KINDS),
  authorType: fc.constantFrom('customer', 'agent', 'system', 'bot'),
  authorId: fc.option(fc.integer({ min: 1, max: 5 }), { freq: 4 }),
  occurredAt: at,
  metadata: fc.option(fc.record({ deflected: fc.boolean(), durationMs: fc.integer({ min: 0, max: 3_600_000 }) }), { nil: undefined }),
});

// Dense: few cases, two channels, seven hours: many events share a contact and a time.
const denseEventArb: fc.Arbitrary<MetricEvent> = fc.record({
  caseId: fc.option(fc.integer({ min: 1, max: 3 }), { freq: 10 }),
  customerId: fc.integer({ min: 1, max: 2 }),
  channel: fc.constantFrom('email', 'chat'),
  direction: fc.constantFrom('in', 'out'),
  kind: fc.constantFrom('message', 'call'),
  authorType: fc.constantFrom('customer', 'agent'),
  authorId: fc.integer({ min: 1, max: 3 }),
  occurredAt: fc.integer({ min: 0, max: 6 }).map((n) => T0 + n * HOUR),
});

const caseArb = (id: number): fc.Arbitrary<CaseSummary> =>
  fc.record({
    id: fc.constant(id),
    customerId: fc.integer({ min: 1, max: 8 }),
    issueType: fc.constantFrom(...ISSUE_TYPES),
    status: fc.constantFrom(...CASE_STATUSES),
    createdAt: at,
    resolvedAt: fc.option(at),
    firstResponseAt: fc.option(at),
    csatScore: fc.option(fc.integer({ min: 1, max: 5 })),
    escalated: fc.boolean(),
    resolutionCode: fc.option(fc.constantFrom('refund', 'replace', 'reset', 'explain')),
    channels: fc.uniqueArray(fc.constantFrom(...CHANNELS), { maxLength: 4 }),
  });

const casesArb = fc.uniqueArray(fc.integer({ min: 1, max: 25 }), { maxLength: 25 }).chain((ids) => fc.tuple(...ids.map(caseArb)));

const optionsArb: fc.Arbitrary<MetricsOptions> = fc.record({
  range: fc.constant(range),
  costs: fc.constant({ email: { perContact: 2 }, phone: { fixed: 50, perCallMinute: 0.03 }, sms: { perEvent: 0.01 } }),
  switchWindowMs: fc.integer({ min: 0, max: 3 * DAY }),
  deflectionWindowMs: fc.integer({ min: 0, max: 14 * DAY }),
  consistencyMinCases: fc.integer({ min: 1, max: 3 }),
});

const input = fc.oneof(
  fc.record({ events: fc.array(eventArb, { maxLength: 120 }), cases: casesArb, options: optionsArb }),
  fc.record({ events: fc.array(denseEventArb, { minLength: 20, maxLength: 80 }), cases: fc.tuple(caseArb(1), caseArb(2), caseArb(3)), options: optionsArb }),
);

function rates(m: ChannelMetrics): Array<number | null> {
  const figures = [...m.channels, ...m.byAgent, m.totals];
  return [
    ...figures.flatMap((f) => [f.resolutionRate, f.escalationRate]),
    m.crossChannel.channelSwitchRate,
    m.crossChannel.contextPreservedRate,
    m.selfService.deflectionRate,
    ...m.consistency.issues.flatMap((i) => i.byChannel.map((c) => c.dominantShare)),
  ];
}

describe('metric properties', () => {
  it('per-channel volumes sum to the total, and so do events', () => {
    fc.assert(
      fc.property(input, ({ events, cases, options }) => {
        const m = computeChannelMetrics(events, cases, options);
        expect(m.channels.reduce((s, c) => s + c.contacts, 0)).toBe(m.totals.contacts);
        expect(m.channels.reduce((s, c) => s + c.events, 0)).toBe(m.totals.events);
        expect(m.totals.cases).toBeLessThanOrEqual(m.totals.contacts);
        // An agent's contacts on a channel are some of that channel's contacts.
        for (const a of m.byAgent) expect(a.contacts).toBeLessThanOrEqual(m.channels.find((c) => c.channel === a.channel)!.contacts);
      }),
    );
  });

  it('every rate lies within [0, 1], and CSAT within [1, 5]', () => {
    fc.assert(
      fc.property(input, ({ events, cases, options }) => {
        const m = computeChannelMetrics(events, cases, options);
        for (const r of rates(m)) if (r !== null) expect(r >= 0 && r <= 1, `rate ${r}`).toBe(true);
        for (const f of [...m.channels, ...m.byAgent, m.totals]) if (f.csatAverage !== null) expect(f.csatAverage >= 1 && f.csatAverage <= 5).toBe(true);
        if (m.crossChannel.avgChannelsPerResolvedIssue !== null) expect(m.crossChannel.avgChannelsPerResolvedIssue).toBeGreaterThanOrEqual(1);
      }),
    );
  });

  it('metrics are invariant under shuffling the events and the cases', () => {
    const shuffled = input.chain(({ events, cases, options }) =>
      fc.record({
        events: fc.constant(events),
        cases: fc.constant(cases),
        options: fc.constant(options),
        eventsShuffled: fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
        casesShuffled: fc.shuffledSubarray([...cases], { minLength: cases.length, maxLength: cases.length }),
      }),
    );
    fc.assert(
      fc.property(shuffled, ({ events, cases, options, eventsShuffled, casesShuffled }) => {
        expect(computeChannelMetrics(eventsShuffled, casesShuffled, options)).toEqual(computeChannelMetrics(events, cases, options));
      }),
    );
  });

  it('events outside the range change nothing', () => {
    fc.assert(
      fc.property(input, fc.array(eventArb, { maxLength: 30 }), ({ events, cases, options }, extra) => {
        const outside = extra.map((e) => ({ ...e, occurredAt: e.occurredAt < T0 + 3 * DAY ? range.from - 1 - (e.occurredAt % DAY) : range.to + (e.occurredAt % DAY) }));
        expect(computeChannelMetrics([...events, ...outside], cases, options)).toEqual(computeChannelMetrics(events, cases, options));
      }),
    );
  });
});

describe('case ids', () => {
  it('far apart (beyond 2^32, so the hash index is used) give the same figures as dense ones', () => {
    // A monotone map keeps every order that ties are broken by; ids never appear in the output.
    const spread = (id: number) => id * 1_000_000_007 + 2 ** 33;
    fc.assert(
      fc.property(input, ({ events, cases, options }) => {
        const far = computeChannelMetrics(
          events.map((e) => ({ ...e, caseId: e.caseId === null ? null : spread(e.caseId) })),
          cases.map((c) => ({ ...c, id: spread(c.id) })),
          options,
        );
        expect(far).toEqual(computeChannelMetrics(events, cases, options));
      }),
    );
  });
});
