import { describe, expect, it } from 'vitest';
import {
  HEAVY_CUSTOMER_NAME,
  JANE_CASE_SUBJECT,
  JANE_SMITH_EMAIL,
  firstResponseDueAt,
  generateDemoCenter,
  scenarioYear,
  type DemoCenter,
  type GenerateOptions,
} from '../../src/main/demo/generator';
import type { NewEvent } from '../../src/main/store/repository';
import type { Channel } from '../../src/shared/domain';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 0, 15, 15, 30);
const DEFAULT: GenerateOptions = { seed: 20260115, now: NOW, customers: 2000, conversations: 10_000, events: 60_000 };
const SMALL: GenerateOptions = { seed: 7, now: NOW, customers: 300, conversations: 1500, events: 9000, heavyCustomerEvents: 400 };

function serialize(center: DemoCenter): string {
  return JSON.stringify({ ...center, events: [...center.events()] });
}

let defaultCenter: { center: DemoCenter; events: NewEvent[] } | undefined;
/** The default center, generated once for the tests that only read it. */
function standard(): { center: DemoCenter; events: NewEvent[] } {
  if (!defaultCenter) {
    const center = generateDemoCenter(DEFAULT);
    defaultCenter = { center, events: [...center.events()] };
  }
  return defaultCenter;
}

function janeOf(center: DemoCenter) {
  const matches = center.customers.filter((c) => c.name === 'Jane Smith');
  expect(matches).toHaveLength(1);
  return matches[0]!;
}

const within = (value: number, target: number, tolerance: number) => Math.abs(value - target) <= tolerance * target;

// Generating a center takes a second or two; more on a busy machine.
const SLOW = { timeout: 30_000 };

describe('the demo center generator', SLOW, () => {
  it('gives byte-identical centers for the same options, and another center for another seed', () => {
    const a = serialize(generateDemoCenter(SMALL));
    const b = serialize(generateDemoCenter(SMALL));
    expect(b).toBe(a);
    expect(serialize(generateDemoCenter({ ...SMALL, seed: 8 }))).not.toBe(a);

    const center = generateDemoCenter(SMALL);
    expect(JSON.stringify([...center.events()])).toBe(JSON.stringify([...center.events()]));
  });

  it('builds the requested sizes within 2%', () => {
    const { center, events } = standard();
    expect(center.customers).toHaveLength(2000);
    expect(center.cases).toHaveLength(10_000);
    expect(center.eventCount).toBe(events.length);
    expect(within(events.length, 60_000, 0.02)).toBe(true);
    expect(center.agents).toHaveLength(40);

    const bigger = generateDemoCenter({ seed: 3, now: NOW, customers: 4000, conversations: 30_000, events: 150_000 });
    let n = 0;
    for (const _ of bigger.events()) n++;
    expect(bigger.customers).toHaveLength(4000);
    expect(within(bigger.cases.length, 30_000, 0.02)).toBe(true);
    expect(within(n, 150_000, 0.02)).toBe(true);
    expect(bigger.agents).toHaveLength(80);
  });

  it('streams events oldest first, all in the 13 months up to now', () => {
    const { events } = standard();
    let backwards = 0;
    for (let i = 1; i < events.length; i++) if (events[i]!.occurredAt < events[i - 1]!.occurredAt) backwards++;
    expect(backwards).toBe(0);
    expect(events.at(-1)!.occurredAt).toBeLessThanOrEqual(NOW);
    expect(events[0]!.occurredAt).toBeGreaterThan(NOW - 400 * DAY);
    expect(events.every((e) => Number.isInteger(e.occurredAt))).toBe(true);
  });

  it('puts no timestamp after now anywhere', () => {
    const { center } = standard();
    const stamps: number[] = [];
    for (const a of center.agents) stamps.push(a.createdAt);
    for (const c of center.customers) {
      stamps.push(c.createdAt);
      for (const i of c.identities) stamps.push(i.firstSeenAt, i.lastSeenAt);
    }
    for (const n of center.customerNotes) stamps.push(n.createdAt);
    for (const c of center.cases) {
      for (const t of [c.createdAt, c.updatedAt, c.waitingSince, c.firstResponseAt, c.resolvedAt]) if (t !== null) stamps.push(t);
      expect(c.createdAt).toBeLessThanOrEqual(c.updatedAt);
    }
    expect(stamps.every((t) => Number.isInteger(t) && t >= 0 && t <= NOW)).toBe(true);
  });

  it('mixes channels roughly like a real center', () => {
    const { events } = standard();
    const count = new Map<Channel, number>();
    for (const e of events) count.set(e.channel, (count.get(e.channel) ?? 0) + 1);
    const share = (...channels: Channel[]) => channels.reduce((sum, ch) => sum + (count.get(ch) ?? 0), 0) / events.length;
    expect(share('email')).toBeCloseTo(0.35, 1);
    expect(share('chat')).toBeCloseTo(0.22, 1);
    expect(share('phone')).toBeCloseTo(0.15, 1);
    expect(share('messenger', 'instagram', 'x')).toBeCloseTo(0.1, 1);
    expect(share('sms')).toBeCloseTo(0.08, 1);
    expect(share('in_app')).toBeCloseTo(0.06, 1);
    expect(share('portal')).toBeCloseTo(0.04, 2);
    for (const ch of ['messenger', 'instagram', 'x'] as const) expect(share(ch)).toBeGreaterThan(0.01);
  });

  it('writes each kind of event with the metadata it needs', () => {
    const { center, events } = standard();
    const portal = events.filter((e) => e.channel === 'portal');
    expect(portal.every((e) => e.kind === 'portal_view' && e.direction === 'in' && e.caseId === null)).toBe(true);
    expect(portal.every((e) => typeof e.metadata?.article === 'string' && typeof e.metadata.deflected === 'boolean')).toBe(true);
    expect(portal.some((e) => e.metadata?.deflected === true)).toBe(true);

    const calls = events.filter((e) => e.kind === 'call');
    expect(calls.length).toBeGreaterThan(1000);
    expect(calls.every((e) => e.channel === 'phone' && Number.isInteger(e.metadata?.durationSec) && typeof e.metadata?.outcome === 'string')).toBe(true);
    expect(events.some((e) => e.kind === 'voicemail' && e.channel === 'phone')).toBe(true);

    const notes = events.filter((e) => e.kind === 'note');
    expect(notes.length).toBeGreaterThan(1000);
    expect(notes.every((e) => e.direction === 'internal' && e.authorType === 'agent' && e.authorId !== null)).toBe(true);

    const caseById = new Map(center.cases.map((c) => [c.id!, c]));
    const csat = events.filter((e) => e.kind === 'csat');
    expect(csat.length).toBeGreaterThan(500);
    for (const e of csat) {
      const kase = caseById.get(e.caseId!)!;
      expect(['resolved', 'closed']).toContain(kase.status);
      expect(kase.csatScore).toBe(e.metadata?.score);
    }
    // Email replies carry subjects and message ids; other channels carry neither.
    expect(events.filter((e) => e.channel === 'email' && e.kind === 'message').every((e) => e.subject && e.externalId)).toBe(true);
    expect(events.filter((e) => e.channel === 'chat').every((e) => e.subject === null)).toBe(true);
    const ids = events.filter((e) => e.externalId).map((e) => `${e.channel} ${e.externalId}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives bodies rare, medium and very common words for search', () => {
    const { center, events } = standard();
    const words = new Map<string, number>();
    for (const e of events) for (const w of new Set(`${e.subject ?? ''} ${e.body}`.toLowerCase().split(/[^\p{L}\p{N}]+/u))) if (w) words.set(w, (words.get(w) ?? 0) + 1);
    const counts = [...words.values()];
    expect(counts.filter((n) => n <= 5).length).toBeGreaterThan(3000); // order numbers, request ids…
    expect(counts.filter((n) => n >= 100 && n < 2000).length).toBeGreaterThan(100); // products, error codes…
    expect(counts.filter((n) => n > 10_000).length).toBeGreaterThan(5); // "the", "thanks"…
    // "timeouts" belongs to Jane's case, so searching it finds her by relevance.
    const timeouts = events.filter((e) => /\btimeouts\b/i.test(`${e.subject ?? ''} ${e.body}`));
    expect(timeouts.length).toBe(5);
    expect(timeouts.every((e) => e.caseId === center.scenario.janeCaseId)).toBe(true);
  });

  it('keeps most cases finished, a few open and waiting, a few pending', () => {
    const { center, events } = standard();
    const lastEvent = new Map<number, NewEvent>();
    const inbound = new Map<string, NewEvent>();
    for (const e of events) {
      if (e.caseId === null) continue;
      lastEvent.set(e.caseId, e);
      if (e.direction === 'in') inbound.set(`${e.caseId}@${e.occurredAt}`, e);
    }
    const by = (status: string) => center.cases.filter((c) => c.status === status);
    const open = by('open');
    expect(open.length / center.cases.length).toBeGreaterThanOrEqual(0.03);
    expect(open.length / center.cases.length).toBeLessThanOrEqual(0.04);
    expect(by('pending').length / center.cases.length).toBeGreaterThan(0.01);
    expect(by('pending').length / center.cases.length).toBeLessThan(0.03);
    expect(by('resolved').length + by('closed').length).toBeGreaterThan(0.9 * center.cases.length);

    for (const c of open) {
      const last = lastEvent.get(c.id!)!;
      expect(last.direction).toBe('in');
      expect(['message', 'voicemail']).toContain(last.kind);
      expect(c.waitingSince).not.toBeNull();
      expect(c.waitingSince!).toBeLessThanOrEqual(last.occurredAt);
      if (c.id !== center.scenario.janeCaseId) expect(NOW - last.occurredAt).toBeLessThanOrEqual(2 * DAY);
      // The clock runs on the channel the waiting message came in on.
      const waiting = inbound.get(`${c.id}@${c.waitingSince}`)!;
      expect(c.slaDueAt).toBe(firstResponseDueAt(waiting.channel, c.priority, c.waitingSince!));
      expect(c.resolvedAt).toBeNull();
    }
    const mine = open.filter((c) => c.assignedAgentId === 1).length;
    const unassigned = open.filter((c) => c.assignedAgentId === null).length;
    expect(mine).toBeGreaterThan(0);
    expect(unassigned).toBeGreaterThan(open.length / 2);

    for (const c of [...by('resolved'), ...by('closed')]) {
      expect(c.resolvedAt).not.toBeNull();
      expect(c.resolutionCode).toBeTruthy();
      expect(c.assignedAgentId).not.toBeNull();
    }
    expect(by('closed').filter((c) => c.firstResponseAt !== null).length).toBeGreaterThan(0.95 * by('closed').length);
    for (const c of by('pending')) expect(lastEvent.get(c.id!)!.direction).toBe('out');

    const priorities = (p: string) => center.cases.filter((c) => c.priority === p).length / center.cases.length;
    expect(priorities('normal')).toBeGreaterThan(0.5);
    expect(priorities('urgent')).toBeLessThan(0.1);
    expect(priorities('urgent')).toBeGreaterThan(0);
    expect(priorities('low')).toBeGreaterThan(0.05);
  });

  it('gives cases ids in the order of their first event and events the ids of existing cases', () => {
    const { center, events } = standard();
    center.cases.forEach((c, i) => {
      expect(c.id).toBe(i + 1);
      if (i > 0) expect(c.createdAt).toBeGreaterThanOrEqual(center.cases[i - 1]!.createdAt);
    });
    const firstSeen = new Map<number, number>();
    for (const e of events) if (e.caseId !== null && !firstSeen.has(e.caseId)) firstSeen.set(e.caseId, e.occurredAt);
    expect(firstSeen.size).toBe(center.cases.length);
    for (const c of center.cases) expect(firstSeen.get(c.id!)).toBe(c.createdAt);
    expect(events.every((e) => e.customerId >= 1 && e.customerId <= center.customers.length)).toBe(true);
  });

  it('makes customers with fictional, unique identities', () => {
    const { center } = standard();
    const keys = new Set<string>();
    let phones = 0;
    let social = 0;
    let emails = 0;
    for (const c of center.customers) {
      for (const i of c.identities) {
        const key = `${i.kind}:${i.platform ?? ''}:${i.value}`;
        expect(keys.has(key)).toBe(false);
        keys.add(key);
        if (i.kind === 'email') {
          emails++;
          expect(i.value).toMatch(/^[a-z0-9._]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.example$/);
        }
        if (i.kind === 'phone') {
          phones++;
          expect(i.value).toMatch(/^(\+1\d{3}55501\d{2}|\+442079460\d{3})$/);
        }
        if (i.kind === 'social') {
          social++;
          expect(['messenger', 'instagram', 'x']).toContain(i.platform);
          if (i.platform === 'x') expect(i.value).toMatch(/^[a-z0-9_]{1,15}$/);
          if (i.platform === 'instagram') expect(i.value).toMatch(/^[a-z0-9._]{1,30}$/);
          if (i.platform === 'messenger') expect(i.value).toMatch(/^\d+$/);
        }
      }
      if (c.company) expect(c.identities.some((i) => i.kind === 'account')).toBe(true);
      expect(c.healthScore).toBeGreaterThanOrEqual(0);
      expect(c.healthScore).toBeLessThanOrEqual(100);
      expect(c.timezone).toMatch(/^[A-Z][a-z]+\/[A-Za-z_/]+$/);
    }
    const n = center.customers.length;
    expect(emails / n).toBeGreaterThan(0.95);
    expect(phones / n).toBeGreaterThan(0.5);
    expect(phones / n).toBeLessThan(0.7);
    expect(social / n).toBeGreaterThan(0.15);
    expect(social / n).toBeLessThan(0.25);
    const tier = (t: string) => center.customers.filter((c) => c.tier === t).length / n;
    expect(tier('standard')).toBeCloseTo(0.75, 1);
    expect(tier('premium')).toBeCloseTo(0.2, 1);
    expect(tier('enterprise')).toBeCloseTo(0.05, 1);
    expect(center.customers.filter((c) => c.language === 'en').length / n).toBeGreaterThan(0.7);
    expect(new Set(center.customers.map((c) => c.language)).size).toBeGreaterThanOrEqual(5);
    expect(center.customers.some((c) => c.vip && c.tier === 'standard')).toBe(false);
    expect(center.customerNotes.length).toBeGreaterThan(50);
  });

  it('staffs the center with agents led by Alex Morgan', () => {
    const { center } = standard();
    const [alex] = center.agents;
    expect(alex).toMatchObject({ id: 1, name: 'Alex Morgan', email: 'alex.morgan@support.example', role: 'admin', seniority: 'senior', tier: 2 });
    expect(center.agents.filter((a) => a.role === 'supervisor').length).toBeGreaterThanOrEqual(2);
    expect(new Set(center.agents.map((a) => a.email)).size).toBe(center.agents.length);
    for (const a of center.agents) {
      expect(a.email.endsWith('@support.example')).toBe(true);
      expect(Object.keys(a.skills).sort()).toEqual(['account', 'billing', 'feedback', 'other', 'shipping', 'technical']);
      expect(Object.values(a.skills).every((v) => v >= 1 && v <= 5)).toBe(true);
      expect(Object.values(a.channels).every((v) => v! >= 1 && v! <= 5)).toBe(true);
      expect(a.languages).toContain('en');
    }
    expect(new Set(center.agents.map((a) => a.tier))).toEqual(new Set([1, 2, 3]));
    expect(generateDemoCenter({ ...SMALL, customers: 100 }).agents).toHaveLength(12);
  });
});

describe('the Jane Smith scenario', SLOW, () => {
  it('is in every center exactly as the demo script tells it', () => {
    const { center, events } = standard();
    const jane = janeOf(center);
    expect(jane).toMatchObject({ title: 'VP Operations', company: 'Acme Corp', tier: 'enterprise', vip: true });
    expect(jane.identities).toContainEqual(expect.objectContaining({ kind: 'email', value: JANE_SMITH_EMAIL, verified: true }));
    expect(jane.identities.some((i) => i.kind === 'phone')).toBe(true);
    expect(jane.identities.some((i) => i.kind === 'account')).toBe(true);
    expect(JANE_SMITH_EMAIL).toBe('jane.smith@acme.example');

    const kase = center.cases.find((c) => c.subject === JANE_CASE_SUBJECT)!;
    expect(kase.id).toBe(center.scenario.janeCaseId);
    const chatAt = Date.UTC(2026, 0, 15, 15, 2);
    expect(kase).toMatchObject({
      customerId: jane.id,
      status: 'open',
      priority: 'urgent',
      issueType: 'technical',
      channel: 'chat',
      originChannel: 'email',
      assignedAgentId: null,
      createdAt: Date.UTC(2026, 0, 10, 14, 12),
      waitingSince: chatAt,
      slaDueAt: chatAt + 1 * MIN,
      resolvedAt: null,
    });

    const thread = events.filter((e) => e.caseId === kase.id);
    expect(thread.map((e) => [e.channel, e.direction, new Date(e.occurredAt).toISOString()])).toEqual([
      ['email', 'in', '2026-01-10T14:12:00.000Z'],
      ['email', 'out', '2026-01-10T16:40:00.000Z'],
      ['email', 'out', '2026-01-11T15:05:00.000Z'],
      ['email', 'in', '2026-01-13T13:20:00.000Z'],
      ['chat', 'in', '2026-01-15T15:02:00.000Z'],
      ['chat', 'in', '2026-01-15T15:03:00.000Z'],
    ]);
    expect(thread[0]).toMatchObject({ subject: JANE_CASE_SUBJECT, authorName: 'Jane Smith', kind: 'message' });
    expect(thread[0]!.body).toMatch(/504/);
    expect(thread[0]!.body).toMatch(/req_[0-9a-f]+/);
    expect(thread[2]!.body).toMatch(/logs/);
    expect(thread[3]!.body).toMatch(/still seeing timeouts, attached logs/);
    expect(thread[4]!.body).toBe('This is urgent — our checkout is failing for EU customers because of the API timeouts. I emailed about this on Jan 10.');

    // Her history: older cases, all finished, and a note on her profile.
    const others = center.cases.filter((c) => c.customerId === jane.id && c.id !== kase.id);
    expect(others.length).toBeGreaterThanOrEqual(2);
    expect(others.every((c) => c.status === 'closed' && c.createdAt < kase.createdAt)).toBe(true);
    expect(new Set(others.map((c) => c.originChannel))).toEqual(new Set(['email', 'phone']));
    expect(center.customerNotes).toContainEqual(expect.objectContaining({ customerId: jane.id, body: 'Key account; escalate API incidents to tier 2.' }));
    // Nothing of Jane's happens after the chat, so the chat is the latest thing on her timeline.
    const hers = events.filter((e) => e.customerId === jane.id);
    expect(hers.at(-1)!.occurredAt).toBe(Date.UTC(2026, 0, 15, 15, 3));
  });

  it('moves to the previous year when now is before Jan 15 15:03 UTC', () => {
    expect(scenarioYear(Date.UTC(2026, 0, 15, 15, 3))).toBe(2026);
    expect(scenarioYear(Date.UTC(2026, 6, 1))).toBe(2026);
    expect(scenarioYear(Date.UTC(2026, 0, 15, 15, 0))).toBe(2025);
    expect(scenarioYear(Date.UTC(2026, 0, 3))).toBe(2025);

    const now = Date.UTC(2026, 0, 15, 14, 0);
    const center = generateDemoCenter({ ...SMALL, now });
    const kase = center.cases.find((c) => c.id === center.scenario.janeCaseId)!;
    expect(kase.waitingSince).toBe(Date.UTC(2025, 0, 15, 15, 2));
    expect(kase.createdAt).toBe(Date.UTC(2025, 0, 10, 14, 12));
    let last = 0;
    for (const e of center.events()) last = Math.max(last, e.occurredAt);
    expect(last).toBeLessThanOrEqual(now);
  });
});

describe('special centers', SLOW, () => {
  it('gives the heavy enterprise customer the requested events across many cases and channels', () => {
    const center = generateDemoCenter({ ...SMALL, heavyCustomerEvents: 5000 });
    const heavyId = center.scenario.heavyCustomerId!;
    expect(center.customers[heavyId - 1]).toMatchObject({ name: HEAVY_CUSTOMER_NAME, tier: 'enterprise' });
    const hers = [...center.events()].filter((e) => e.customerId === heavyId);
    expect(hers).toHaveLength(5000);
    expect(new Set(hers.map((e) => e.channel)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(hers.map((e) => e.caseId)).size).toBeGreaterThan(200);
    // The rest of the center keeps its own sizes.
    expect(center.customers).toHaveLength(SMALL.customers + 1);
    expect(center.eventCount - 5000).toBe(SMALL.events);
  });

  it('still builds a tiny center with the scenario in it', () => {
    const center = generateDemoCenter({ seed: 1, now: NOW, customers: 10, conversations: 10, events: 10 });
    expect(center.customers).toHaveLength(10);
    expect(center.cases.some((c) => c.subject === JANE_CASE_SUBJECT)).toBe(true);
    expect([...center.events()].length).toBe(center.eventCount);
    expect(center.agents).toHaveLength(12);
  });

  it('takes first-response deadlines from the SLA engine, in business hours where the channel has them', () => {
    // Chat is 24/7: two minutes for a normal chat whatever the hour.
    const saturdayNight = Date.UTC(2026, 2, 7, 3, 0);
    expect(firstResponseDueAt('chat', 'normal', saturdayNight)).toBe(saturdayNight + 2 * MIN);
    // Email keeps Mon–Fri 09:00–18:00 New York hours: a normal email on Friday 17:00 EST is due Monday.
    const fridayFive = Date.UTC(2026, 1, 6, 22, 0);
    expect(firstResponseDueAt('email', 'normal', fridayFive)).toBe(Date.UTC(2026, 1, 9, 17, 0));
  });
});
