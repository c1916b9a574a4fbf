import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CHANNELS, ISSUE_TYPES, PRIORITIES, TIERS, type Channel } from '../../src/shared/domain';
import {
  PRESENCES,
  RoutingConfig,
  RoutingDecision,
  SENIORITIES,
  normalizeLanguage,
  prepareAgents,
  route,
  type RoutingAgent,
  type RoutingContext,
  type RoutingConversation,
} from '../../src/shared/routing';

const now = Date.UTC(2026, 0, 15, 15, 0);
const LANGS = ['en', 'de', 'fr', 'de-AT', 'es'];
const SOME_CHANNELS: Channel[] = ['chat', 'email', 'phone', 'sms'];

const level = fc.integer({ min: 1, max: 5 });
const agentBody = fc.record({
  presence: fc.constantFrom(...PRESENCES),
  seniority: fc.constantFrom(...SENIORITIES),
  languages: fc.subarray(LANGS),
  skills: fc.record({ technical: level, billing: level, other: level }, { requiredKeys: [] }),
  channels: fc.record(
    Object.fromEntries(SOME_CHANNELS.map((c) => [c, fc.record({ proficiency: level, capacity: fc.nat(4) })])) as Record<Channel, fc.Arbitrary<{ proficiency: number; capacity: number }>>,
    { requiredKeys: [] },
  ),
  // Loads may exceed capacity (capacity lowered while busy): those agents must still get nothing.
  load: fc.record(Object.fromEntries(SOME_CHANNELS.map((c) => [c, fc.nat(5)])) as Record<Channel, fc.Arbitrary<number>>, { requiredKeys: [] }),
});
const agents = fc
  .uniqueArray(fc.integer({ min: 1, max: 200 }), { maxLength: 40 })
  .chain((ids) => fc.tuple(...ids.map((id) => agentBody.map((b): RoutingAgent => ({ id, ...b })))));

const conversation: fc.Arbitrary<RoutingConversation> = fc.record({
  id: fc.integer({ min: 1, max: 10_000 }),
  channel: fc.constantFrom(...SOME_CHANNELS),
  issueType: fc.constantFrom(...ISSUE_TYPES),
  priority: fc.constantFrom(...PRIORITIES),
  language: fc.option(fc.constantFrom(...LANGS), { nil: null }),
  tier: fc.constantFrom(...TIERS),
  vip: fc.boolean(),
  preferredChannel: fc.option(fc.constantFrom(...CHANNELS), { nil: null }),
  lastAgentId: fc.option(fc.integer({ min: 1, max: 200 }), { nil: null }),
  lastContactAt: fc.option(fc.integer({ min: now - 30 * 86_400_000, max: now }), { nil: null }),
  messageLength: fc.nat(3000),
  backAndForth: fc.nat(12),
});

const context: fc.Arbitrary<RoutingContext> = fc.record({
  queueDepth: fc.record({ chat: fc.nat(40), email: fc.nat(40) }),
  outages: fc.subarray(SOME_CHANNELS),
  config: fc
    .record({
      maxOffers: fc.integer({ min: 1, max: 8 }),
      minSkill: fc.record({ technical: level }, { requiredKeys: [] }),
      minSeniority: fc.record({ enterprise: fc.constantFrom(...SENIORITIES) }, { requiredKeys: [] }),
      overflow: fc.constant({ chat: { threshold: 20, to: 'email' } }),
    })
    .map((c) => RoutingConfig.parse(c)),
});

/** The hard rules, written out independently of the router. */
function eligible(a: RoutingAgent, c: RoutingConversation, ctx: RoutingContext, channel: Channel): boolean {
  const on = a.channels[channel];
  if (a.presence !== 'available' || on === undefined || on.capacity === 0) return false;
  if ((a.load[channel] ?? 0) >= on.capacity) return false;
  if (c.language !== null && !a.languages.some((l) => normalizeLanguage(l) === normalizeLanguage(c.language!))) return false;
  if (c.vip && a.seniority !== 'senior') return false;
  const tierMin = ctx.config.minSeniority[c.tier];
  if (tierMin !== undefined && SENIORITIES.indexOf(a.seniority) < SENIORITIES.indexOf(tierMin)) return false;
  const minSkill = ctx.config.minSkill[c.issueType];
  if (minSkill !== undefined && (a.skills[c.issueType] ?? 0) < minSkill) return false;
  return true;
}

describe('routing properties', () => {
  it('never offers to an agent who is not available, over capacity on the routed channel, or failing a hard rule', () => {
    fc.assert(
      fc.property(agents, conversation, context, (as, c, ctx) => {
        const d = route(c, as, ctx, now);
        const byId = new Map(as.map((a) => [a.id, a]));
        for (const o of d.offers) {
          const a = byId.get(o.agentId)!;
          expect(a.presence).toBe('available');
          const on = a.channels[d.channel]!;
          expect(a.load[d.channel] ?? 0).toBeLessThan(on.capacity);
          expect(eligible(a, c, ctx, d.channel)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('offers the best eligible agents: all of them when they fit in maxOffers, else maxOffers of them', () => {
    fc.assert(
      fc.property(agents, conversation, context, (as, c, ctx) => {
        const d = route(c, as, ctx, now);
        // A conversation whose channel and every backup are down waits on its own channel.
        const down = (ctx.outages as readonly Channel[]).includes(d.channel);
        const count = down ? 0 : as.filter((a) => eligible(a, c, ctx, d.channel)).length;
        expect(d.offers.length).toBe(Math.min(count, ctx.config.maxOffers));
        expect(d.outcome === 'queued').toBe(d.offers.length === 0);
      }),
      { numRuns: 300 },
    );
  });

  it('offers are sorted by score, ties by agent id, with no agent twice', () => {
    fc.assert(
      fc.property(agents, conversation, context, (as, c, ctx) => {
        const offers = route(c, as, ctx, now).offers;
        for (let i = 1; i < offers.length; i++) {
          const [p, q] = [offers[i - 1]!, offers[i]!];
          expect(p.score > q.score || (p.score === q.score && p.agentId < q.agentId)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the same input gives the same decision, whatever the agents’ order or preparation', () => {
    fc.assert(
      fc.property(agents, conversation, context, (as, c, ctx) => {
        const d = route(c, as, ctx, now);
        expect(route(c, as, ctx, now)).toEqual(d);
        expect(route(c, [...as].reverse(), ctx, now)).toEqual(d);
        expect(route(c, prepareAgents(as), ctx, now)).toEqual(d);
      }),
      { numRuns: 200 },
    );
  });

  it('never routes onto a channel that is down, and every decision matches its schema', () => {
    fc.assert(
      fc.property(agents, conversation, context, (as, c, ctx) => {
        const d = route(c, as, ctx, now);
        expect(RoutingDecision.safeParse(d).success).toBe(true);
        if (d.outcome === 'offer') expect(ctx.outages).not.toContain(d.channel);
        if (d.suggestion !== null) expect(ctx.outages).not.toContain(d.suggestion.channel);
      }),
      { numRuns: 300 },
    );
  });

  it('a VIP is only ever offered to senior agents', () => {
    fc.assert(
      fc.property(agents, conversation, context, (as, c, ctx) => {
        const d = route({ ...c, vip: true }, as, ctx, now);
        for (const o of d.offers) expect(as.find((a) => a.id === o.agentId)!.seniority).toBe('senior');
      }),
      { numRuns: 200 },
    );
  });
});
