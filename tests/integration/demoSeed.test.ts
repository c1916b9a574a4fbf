import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { openDatabase, type Db } from '../../src/main/store/database';
import { Repository } from '../../src/main/store/repository';
import { JANE_CASE_SUBJECT, JANE_SMITH_EMAIL, seedDemoCenter, type SeedStats } from '../../src/main/demo/seed';
import { tempDir } from '../helpers/tempDir';

const NOW = Date.UTC(2026, 0, 15, 15, 30);
const OPTIONS = { seed: 20260115, now: NOW, customers: 600, conversations: 3000, events: 18_000, heavyCustomerEvents: 600 };

describe('seeding the demo center into a real store', () => {
  const tmp = tempDir('omni-demo-seed-');
  let db: Db;
  let repo: Repository;
  let stats: SeedStats;
  const progress: Array<[number, number]> = [];

  beforeAll(() => {
    db = openDatabase(path.join(tmp.dir, 'omni-desk.sqlite'));
    repo = new Repository(db);
    stats = seedDemoCenter(repo, { ...OPTIONS, onProgress: (done, total) => progress.push([done, total]) });
  });

  afterAll(() => {
    db?.close();
    tmp.remove();
  });

  it('stores every generated row and reports its progress up to the total', () => {
    expect(repo.counts()).toEqual({ customers: stats.customers, cases: stats.cases, events: stats.events, agents: stats.agents });
    expect(stats.customers).toBe(OPTIONS.customers + 1); // and Globex Logistics
    expect(stats.cases).toBeGreaterThanOrEqual(OPTIONS.conversations);
    expect(stats.events).toBe(OPTIONS.events + OPTIONS.heavyCustomerEvents);
    expect(progress.length).toBeGreaterThan(1);
    const [done, total] = progress.at(-1)!;
    expect(done).toBe(total);
    expect(total).toBe(stats.agents + stats.customers + stats.notes + stats.cases + stats.events);
    for (let i = 1; i < progress.length; i++) expect(progress[i]![0]).toBeGreaterThan(progress[i - 1]![0]);
  });

  it('gives events ids in the order they happened', () => {
    let previous = 0;
    let backwards = 0;
    for (let id = 1; id <= stats.events; id++) {
      const at = repo.eventById(id).occurredAt;
      if (at < previous) backwards++;
      previous = at;
    }
    expect(backwards).toBe(0);
    expect(previous).toBeLessThanOrEqual(NOW);
  });

  it('makes the local agent Alex Morgan agent 1', () => {
    expect(repo.agentById(1)).toMatchObject({ name: 'Alex Morgan', email: 'alex.morgan@support.example', role: 'admin', tier: 2, seniority: 'senior' });
    expect(repo.firstAgentWithRole('admin')).toBe(1);
  });

  it('finds Jane Smith’s messages when searching for "timeouts"', () => {
    const { hits } = repo.search('timeouts', 25);
    const hers = hits.filter((h) => h.customerId === stats.janeCustomerId);
    expect(hers.length).toBeGreaterThanOrEqual(3);
    expect(hers.every((h) => h.customerName === 'Jane Smith' && h.caseId === stats.janeCaseId)).toBe(true);
    expect(new Set(hers.map((h) => h.channel))).toEqual(new Set(['email', 'chat']));
  });

  it('shows Jane’s email thread and then her chat on one timeline, in order', () => {
    const { events } = repo.timelineForCustomer(stats.janeCustomerId, undefined, 50);
    const thread = events.filter((e) => e.caseId === stats.janeCaseId);
    expect(thread.map((e) => `${e.channel} ${e.direction} ${new Date(e.occurredAt).toISOString()}`)).toEqual([
      'email in 2026-01-10T14:12:00.000Z',
      'email out 2026-01-10T16:40:00.000Z',
      'email out 2026-01-11T15:05:00.000Z',
      'email in 2026-01-13T13:20:00.000Z',
      'chat in 2026-01-15T15:02:00.000Z',
      'chat in 2026-01-15T15:03:00.000Z',
    ]);
    expect(thread[0]!.subject).toBe(JANE_CASE_SUBJECT);
    expect(thread[4]!.body).toContain('I emailed about this on Jan 10.');
    // Her older cases come before, and nothing of hers after.
    expect(events.length).toBeGreaterThan(thread.length);
    expect(events.at(-1)!.id).toBe(thread.at(-1)!.id);
    for (let i = 1; i < events.length; i++) expect(events[i]!.occurredAt).toBeGreaterThanOrEqual(events[i - 1]!.occurredAt);
  });

  it('puts Jane’s case in the active queue as urgent, unassigned, on chat', () => {
    const queue = repo.activeQueue();
    const item = queue.find((i) => i.caseId === stats.janeCaseId);
    expect(item).toMatchObject({
      customerName: 'Jane Smith',
      company: 'Acme Corp',
      tier: 'enterprise',
      vip: true,
      subject: JANE_CASE_SUBJECT,
      channel: 'chat',
      priority: 'urgent',
      status: 'open',
      issueType: 'technical',
      assignedAgentId: null,
      waitingSince: Date.UTC(2026, 0, 15, 15, 2),
      slaDueAt: Date.UTC(2026, 0, 15, 15, 3),
    });
    expect(item!.preview).toMatch(/tier 2/);
    expect(queue.length / stats.cases).toBeGreaterThan(0.025);
    expect(queue.length / stats.cases).toBeLessThan(0.05);
    expect(queue.some((i) => i.assignedAgentId === 1)).toBe(true);
  });

  it('gives Jane a full profile: identities, older cases and the key-account note', () => {
    const profile = repo.customerProfile(stats.janeCustomerId, NOW);
    expect(profile).toMatchObject({ name: 'Jane Smith', title: 'VP Operations', company: 'Acme Corp', tier: 'enterprise', vip: true });
    expect(profile.identities).toContainEqual(expect.objectContaining({ kind: 'email', value: JANE_SMITH_EMAIL, verified: true }));
    expect(profile.identities.map((i) => i.kind).sort()).toEqual(['account', 'email', 'phone']);
    expect(profile.openCases.map((c) => c.id)).toEqual([stats.janeCaseId]);
    expect(profile.notes.map((n) => n.body)).toContain('Key account; escalate API incidents to tier 2.');
    expect(profile.channelsUsed.map((c) => c.channel).sort()).toEqual(['chat', 'email', 'phone']);
  });

  it('gives the heavy enterprise customer all their events across pages', () => {
    const heavy = stats.heavyCustomerId!;
    let page = repo.timelineForCustomer(heavy, undefined, 250);
    let n = page.events.length;
    const channels = new Set(page.events.map((e) => e.channel));
    while (page.older) {
      page = repo.timelineForCustomer(heavy, page.older, 250);
      n += page.events.length;
      for (const e of page.events) channels.add(e.channel);
    }
    expect(n).toBe(OPTIONS.heavyCustomerEvents);
    expect(channels.size).toBeGreaterThanOrEqual(5);
  });
});
