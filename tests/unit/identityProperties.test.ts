import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cloneGraph,
  createIdentityGraph,
  eventsOf,
  identifiersOf,
  IdentitySettings,
  liveProfileId,
  liveProfiles,
  merge,
  normalizeIdentifier,
  observe,
  resolve,
  unmerge,
  updateProfile,
  type IdentifierKind,
  type IdentityGraph,
  type MergeEntry,
  type ObservedIdentifier,
  type ObserveResult,
} from '../../src/shared/identity';
import { CHANNELS } from '../../src/shared/domain';

const settings = IdentitySettings.parse({});
const t0 = Date.UTC(2026, 2, 2, 9);

function ident(kind: IdentifierKind, raw: string, verified: boolean, platform?: string): ObservedIdentifier {
  const r = normalizeIdentifier(kind, raw, settings, platform);
  if (!r.ok) throw new Error(r.message);
  return { ...r.identifier, verified };
}

const POOL: Array<(v: boolean) => ObservedIdentifier> = [
  (v) => ident('email', 'jane@example.com', v),
  (v) => ident('email', 'JOHN@example.com', v),
  (v) => ident('email', 'ann@acme.example', v),
  (v) => ident('phone', '+1 (415) 867-5310', v),
  (v) => ident('phone', '0044 20 7946 0958', v),
  (v) => ident('phone', '212 555 0199', v),
  (v) => ident('social', '@Jane', v, 'x'),
  (v) => ident('social', 'ann.b', v, 'instagram'),
  (v) => ident('social', '1234567890', v, 'messenger'),
  (v) => ident('account', 'u-1', v, 'portal'),
  (v) => ident('account', 'u-2', v, 'portal'),
  (v) => ident('account', 'u-3', v, 'portal'),
];

type Op =
  | { t: 'obs'; ids: Array<[number, boolean]>; name: number | null; company: number | null; lang: [string, number] | null; explicit: boolean; attr: number | null; source: number; event: boolean; dt: number }
  | { t: 'merge'; a: number; b: number }
  | { t: 'unmerge'; k: number }
  | { t: 'edit'; p: number; name: number | null };

const NAMES = ['Jane Doe', 'jane doe', 'John Roe', 'Ann Bee'];
const COMPANIES = ['Acme', 'ACME Inc.', 'Globex'];

const obsArb: fc.Arbitrary<Extract<Op, { t: 'obs' }>> = fc.record({
  t: fc.constant('obs' as const),
  ids: fc.array(fc.tuple(fc.nat({ max: POOL.length - 1 }), fc.boolean()), { minLength: 1, maxLength: 3 }),
  name: fc.option(fc.nat({ max: NAMES.length - 1 })),
  company: fc.option(fc.nat({ max: COMPANIES.length - 1 })),
  lang: fc.option(fc.tuple(fc.constantFrom('en', 'de', 'fr-CA'), fc.double({ min: 0, max: 1, noNaN: true }))),
  explicit: fc.boolean(),
  attr: fc.option(fc.nat({ max: 3 })),
  source: fc.nat({ max: CHANNELS.length - 1 }),
  event: fc.boolean(),
  dt: fc.nat({ max: 100_000 }),
});

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: obsArb },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('merge' as const), a: fc.nat(), b: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('unmerge' as const), k: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('edit' as const), p: fc.nat(), name: fc.option(fc.nat({ max: NAMES.length - 1 })) }) },
);

let laterEvent = 1_000_000;

function replay(g: IdentityGraph, op: Extract<Op, { t: 'obs' }>, at: number, eventId = laterEvent++): ObserveResult {
  const r = observe(g, {
    identifiers: op.ids.map(([i, v]) => POOL[i]!(v)),
    name: op.name === null ? null : NAMES[op.name],
    company: op.company === null ? null : COMPANIES[op.company],
    language: op.lang === null ? null : { tag: op.lang[0], confidence: op.lang[1], explicit: op.explicit },
    attributes: op.attr === null ? undefined : { [`k${op.attr % 2}`]: `v${op.attr}` },
    source: CHANNELS[op.source]!,
    at: at + op.dt,
    eventId: op.event ? eventId : undefined,
  });
  if (!r.ok) throw new Error(r.message);
  return r;
}

/** Builds a graph from random operations; returns it with its clock. */
function build(ops: Op[]): { g: IdentityGraph; at: number } {
  const g = createIdentityGraph();
  let at = t0;
  let eventId = 1;
  for (const op of ops) {
    at += 1000;
    if (op.t === 'obs') {
      replay(g, op, at, eventId++);
    } else if (op.t === 'merge') {
      const live = liveProfiles(g);
      if (live.length < 2) continue;
      const a = live[op.a % live.length]!;
      const b = live[op.b % live.length]!;
      if (a !== b) merge(g, { survivorId: a, mergedId: b, actor: 'agent:1', at, reason: 'random' });
    } else if (op.t === 'unmerge') {
      const open = g.audit.filter((e): e is MergeEntry => e.kind === 'merge' && !g.unmergedBy.has(e.id));
      if (open.length > 0) unmerge(g, { mergeId: open[op.k % open.length]!.id, actor: 'agent:1', at }); // may refuse (order): fine
    } else {
      const live = liveProfiles(g);
      if (live.length > 0) updateProfile(g, { profileId: live[op.p % live.length]!, name: op.name === null ? null : NAMES[op.name], at });
    }
  }
  return { g, at };
}

/** The customer data: everything except the audit log and the agents' kept-apart decisions. */
function customers(g: IdentityGraph) {
  const { audit: _audit, unmergedBy: _unmergedBy, keptApart: _keptApart, ...rest } = g;
  return rest;
}

const run = { numRuns: 300 };

describe('identity graph properties', () => {
  it('merge then unmerge is the identity, for random graphs and any survivor', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), fc.nat(), fc.nat(), (ops, i, j) => {
        const { g, at } = build(ops);
        const live = liveProfiles(g);
        fc.pre(live.length >= 2);
        const survivorId = live[i % live.length]!;
        const others = live.filter((p) => p !== survivorId);
        const mergedId = others[j % others.length]!;
        const before = cloneGraph(g);
        const m = merge(g, { survivorId, mergedId, actor: 'agent:1', at: at + 1, reason: 'property' });
        if (!m.ok) throw new Error(m.message);
        const u = unmerge(g, { mergeId: m.entry.id, actor: 'agent:2', at: at + 2 });
        if (!u.ok) throw new Error(u.message);
        expect(customers(g)).toEqual(customers(before));
        expect(g.audit.slice(0, -2)).toEqual(before.audit);
        expect(g.audit.slice(-2).map((e) => e.kind)).toEqual(['merge', 'unmerge']);
      }),
      run,
    );
  });

  it('after later traffic, an unmerge still gives each side every identifier and event it had before the merge', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 30 }), fc.nat(), fc.nat(), fc.array(opArb, { maxLength: 15 }), (ops, i, j, later) => {
        const { g, at } = build(ops);
        const live = liveProfiles(g);
        fc.pre(live.length >= 2);
        const s = live[i % live.length]!;
        const rest = live.filter((p) => p !== s);
        const m = rest[j % rest.length]!;
        const keysOf = (p: number) => identifiersOf(g, p).map((x) => x.key);
        const before = { sKeys: keysOf(s), mKeys: keysOf(m), sEvents: eventsOf(g, s), mEvents: eventsOf(g, m) };
        const merged = merge(g, { survivorId: s, mergedId: m, actor: 'agent:1', at, reason: 'property' });
        if (!merged.ok) throw new Error(merged.message);
        for (const op of later) if (op.t === 'obs') replay(g, op, at);
        const u = unmerge(g, { mergeId: merged.entry.id, actor: 'agent:2', at: at + 200_000 });
        if (!u.ok) {
          expect(u.code).toBe('identity/unmerge-order'); // later traffic merged the survivor into an older profile
          return;
        }
        expect(keysOf(s)).toEqual(expect.arrayContaining(before.sKeys));
        expect(keysOf(m)).toEqual(expect.arrayContaining(before.mKeys));
        expect(eventsOf(g, s)).toEqual(expect.arrayContaining(before.sEvents));
        expect(eventsOf(g, m)).toEqual(expect.arrayContaining(before.mEvents));
        expect(eventsOf(g, m).slice(0, before.mEvents.length)).toEqual(before.mEvents);
      }),
      run,
    );
  });

  it('a chain of merges undone newest first gives back the graph', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 30 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 6 }), (ops, picks) => {
        const { g, at } = build(ops);
        const before = cloneGraph(g);
        const done: number[] = [];
        for (const [i, j] of picks) {
          const live = liveProfiles(g);
          if (live.length < 2) break;
          const s = live[i % live.length]!;
          const rest = live.filter((p) => p !== s);
          const m = merge(g, { survivorId: s, mergedId: rest[j % rest.length]!, actor: 'agent:1', at, reason: 'chain' });
          if (m.ok) done.push(m.entry.id);
        }
        for (const id of done.reverse()) {
          const u = unmerge(g, { mergeId: id, actor: 'agent:2', at });
          if (!u.ok) throw new Error(u.message);
        }
        expect(customers(g)).toEqual(customers(before));
      }),
      run,
    );
  });

  it('a verified sighting merges only profiles that held one of its identifiers verified; those that only claimed one are suggested', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 30 }), fc.array(obsArb, { minLength: 1, maxLength: 15 }), (ops, later) => {
        const { g, at } = build(ops);
        for (const op of later) {
          const verifiedKeys = new Set(op.ids.filter(([, v]) => v).map(([i]) => POOL[i]!(true).key));
          const before = new Map(
            liveProfiles(g).map((p) => {
              const mine = identifiersOf(g, p).filter((x) => verifiedKeys.has(x.key));
              return [p, { holds: mine.some((x) => x.verified), claims: mine.length > 0 }] as const;
            }),
          );
          const r = replay(g, op, at);
          for (const m of r.merges) {
            expect(before.get(m.survivorId)?.holds).toBe(true);
            expect(before.get(m.mergedId)?.holds).toBe(true);
          }
          // A live profile that claimed one of them without holding any verified is still on its own.
          for (const [p, b] of before) if (b.claims && !b.holds && p !== r.profileId) expect(liveProfileId(g, p)).toBe(p);
          for (const s of r.suggestions) {
            if (s.reason !== 'unverified-claim') continue;
            expect(s.ownerId).toBe(r.profileId);
            const claimant = s.profileIds.find((p) => p !== s.ownerId)!;
            expect(before.get(claimant)).toEqual({ holds: false, claims: true });
            expect(verifiedKeys.has(s.identifier)).toBe(true);
          }
        }
      }),
      run,
    );
  });

  it('every known identifier and event belongs to exactly one live profile', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 50 }), (ops) => {
        const { g } = build(ops);
        const live = new Set(liveProfiles(g));
        for (const key of g.identifiers.keys()) expect(live.has(resolve(g, key)!)).toBe(true);
        const events = [...live].flatMap((p) => eventsOf(g, p));
        expect(events.sort()).toEqual([...g.events.id].sort());
      }),
      run,
    );
  });

  it('observation order of verified identifiers of one person does not change which identifiers end up together', () => {
    // People own disjoint identifiers; each observation carries some of one person's, verified.
    const people = fc
      .shuffledSubarray(POOL.map((_, i) => i), { minLength: 1 })
      .chain((ids) => fc.array(fc.nat({ max: 3 }), { minLength: ids.length, maxLength: ids.length }).map((owners) => ids.map((i, n) => [owners[n]!, i] as const)))
      .map((owned) => [0, 1, 2, 3].map((o) => owned.filter(([w]) => w === o).map(([, i]) => i)).filter((p) => p.length > 0));
    const scenario = people.chain((ps) =>
      fc.record({
        ps: fc.constant(ps),
        observations: fc.array(
          fc.nat({ max: ps.length - 1 }).chain((who) => fc.subarray(ps[who]!, { minLength: 1 })),
          { minLength: 1, maxLength: 12 },
        ),
      }),
    );
    fc.assert(
      fc.property(scenario, fc.infiniteStream(fc.nat()), ({ observations }, randomness) => {
        // Expected: identifiers seen together in one observation are one customer (union-find).
        const parent = new Map<number, number>();
        const find = (i: number): number => (parent.get(i) === undefined || parent.get(i) === i ? i : find(parent.get(i)!));
        for (const o of observations) for (const i of o) parent.set(find(i), find(o[0]!));
        const grouping = (resolveOf: (i: number) => number | null) => {
          const seen = [...new Set(observations.flat())].sort((a, b) => a - b);
          return seen.map((i) => seen.filter((k) => resolveOf(k) === resolveOf(i)));
        };
        const expected = grouping(find);
        const rng = randomness[Symbol.iterator]();
        const shuffled = <T>(xs: T[]) => xs.map((x) => [rng.next().value as number, x] as const).sort((a, b) => a[0] - b[0]).map(([, x]) => x);
        for (let round = 0; round < 3; round++) {
          const g = createIdentityGraph();
          let at = t0;
          for (const o of shuffled(observations)) {
            const r = observe(g, { identifiers: shuffled(o).map((i) => POOL[i]!(true)), source: 'portal', at: (at += 1000) });
            if (!r.ok) throw new Error(r.message);
          }
          expect(grouping((i) => resolve(g, POOL[i]!(true).key))).toEqual(expected);
        }
      }),
      run,
    );
  });
});
