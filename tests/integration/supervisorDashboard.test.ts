// The supervisor dashboard on a small hand-built center in a real SQLite file: every figure the
// request returns is checked against a value worked out by hand below. Also the channel filter,
// and that an agent (or a desktop not signed in) is refused.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSupervisorService } from '../../src/main/supervisor/supervisorService';
import { openDatabase, type Db } from '../../src/main/store/database';
import { DashboardSettings, type Dashboard } from '../../src/shared/metrics';
import type { Channel } from '../../src/shared/domain';
import { tempDir } from '../helpers/tempDir';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 5); // Monday 5 January 2026, 00:00 UTC (01:00 in Berlin, CET = UTC+1)
const h = (n: number) => T0 + n * HOUR;
const WEEK = { from: T0, to: T0 + 7 * DAY };

const settings = DashboardSettings.parse({
  timeZone: 'Europe/Berlin',
  costs: { email: { perContact: 2 }, chat: { perContact: 1.5 }, phone: { fixed: 100, perCallMinute: 0.02 }, sms: { perEvent: 0.01, perContact: 0.5 } },
  consistencyMinCases: 1,
});

/*
 * The center, one week:
 *  case 100 (Ana, billing): chat in at h1, agent 10 answers 2 min later, Ana writes again at +5 min;
 *           email in at h3, agent 11 answers at h5; a system line at h6, her CSAT answer at h7.
 *           Resolved at h6 "refund", CSAT 5; started on chat, now on email.
 *  case 101 (Ben, billing): email in at h10, agent 11 answers at h14, an internal note at h15. Open.
 *  case 102 (Cy, technical): a 10 min call in at h20 (durationSec, as the demo writes it), agent 10
 *           calls back at h22 for 5 min (durationMs). Resolved at h23 "reset", CSAT 3.
 *  case 103 (Ana, technical): SMS in at h20, agent 10 answers 30 min later. Closed at h21 "replace", CSAT 4.
 *  case 104 (Dee, billing): a 3 min call before the week (outside), a voicemail at h30. Open.
 *  portal: Dee views "Reset your password" at h2 (flagged deflected; no case of hers follows),
 *          Ben views "Refund policy" at h8 (flagged, but his case 101 follows at h10),
 *          Cy views "Reset your password" at h9 (not flagged).
 *  An unthreaded SMS from Eve at h40.
 * Tiers: Ana enterprise, Ben and Dee standard, Cy and Eve premium.
 */
function seed(db: Db): void {
  const agent = db.prepare(`INSERT INTO agents (id, name, email, role, tier, seniority, created_at) VALUES (?, ?, ?, ?, 2, 'mid', 0)`);
  agent.run(10, 'Ann Lee', 'ann@x.test', 'agent');
  agent.run(11, 'Bo Chen', 'bo@x.test', 'agent');
  const customer = db.prepare(`INSERT INTO customers (id, name, tier, created_at) VALUES (?, ?, ?, 0)`);
  customer.run(1, 'Ana', 'enterprise');
  customer.run(2, 'Ben', 'standard');
  customer.run(3, 'Cy', 'premium');
  customer.run(4, 'Dee', 'standard');
  customer.run(5, 'Eve', 'premium');
  const kase = db.prepare(
    `INSERT INTO cases (id, customer_id, subject, status, priority, issue_type, channel, origin_channel, created_at, updated_at, first_response_at, resolved_at, resolution_code, csat_score)
     VALUES (?, ?, 's', ?, 'normal', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  kase.run(100, 1, 'resolved', 'billing', 'email', 'chat', h(1), h(7), h(1) + 2 * MIN, h(6), 'refund', 5);
  kase.run(101, 2, 'open', 'billing', 'email', 'email', h(10), h(15), h(14), null, null, null);
  kase.run(102, 3, 'resolved', 'technical', 'phone', 'phone', h(20), h(23), h(22), h(23), 'reset', 3);
  kase.run(103, 1, 'closed', 'technical', 'sms', 'sms', h(20), h(21), h(20) + 30 * MIN, h(21), 'replace', 4);
  kase.run(104, 4, 'open', 'billing', 'phone', 'phone', T0 - HOUR, h(30), null, null, null, null);
  const ev = db.prepare(
    `INSERT INTO events (case_id, customer_id, channel, direction, kind, author_type, author_id, author_name, body, metadata, occurred_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'x', '', ?, ?, ?)`,
  );
  const add = (caseId: number | null, customerId: number, channel: Channel, direction: string, kind: string, authorType: string, authorId: number | null, at: number, metadata: object = {}) =>
    ev.run(caseId, customerId, channel, direction, kind, authorType, authorId, JSON.stringify(metadata), at, at);
  add(100, 1, 'chat', 'in', 'message', 'customer', null, h(1));
  add(100, 1, 'chat', 'out', 'message', 'agent', 10, h(1) + 2 * MIN);
  add(100, 1, 'chat', 'in', 'message', 'customer', null, h(1) + 5 * MIN);
  add(100, 1, 'email', 'in', 'message', 'customer', null, h(3));
  add(100, 1, 'email', 'out', 'message', 'agent', 11, h(5));
  add(100, 1, 'email', 'internal', 'system', 'system', null, h(6));
  add(100, 1, 'email', 'in', 'csat', 'customer', null, h(7), { score: 5 });
  add(101, 2, 'email', 'in', 'message', 'customer', null, h(10));
  add(101, 2, 'email', 'out', 'message', 'agent', 11, h(14));
  add(101, 2, 'email', 'internal', 'note', 'agent', 11, h(15));
  add(102, 3, 'phone', 'in', 'call', 'customer', null, h(20), { durationSec: 600 });
  add(102, 3, 'phone', 'out', 'call', 'agent', 10, h(22), { durationMs: 5 * MIN });
  add(103, 1, 'sms', 'in', 'message', 'customer', null, h(20));
  add(103, 1, 'sms', 'out', 'message', 'agent', 10, h(20) + 30 * MIN);
  add(104, 4, 'phone', 'in', 'call', 'customer', null, T0 - HOUR, { durationSec: 180 });
  add(104, 4, 'phone', 'in', 'voicemail', 'customer', null, h(30));
  add(null, 4, 'portal', 'in', 'portal_view', 'customer', null, h(2), { article: 'Reset your password', deflected: true });
  add(null, 2, 'portal', 'in', 'portal_view', 'customer', null, h(8), { article: 'Refund policy', deflected: true });
  add(null, 3, 'portal', 'in', 'portal_view', 'customer', null, h(9), { article: 'Reset your password', deflected: false });
  add(null, 5, 'sms', 'in', 'message', 'customer', null, h(40));
}

/** Erlang C by its textbook sum (independent of the recursion under test): P(wait) for N agents and A Erlangs. */
function erlangCBySum(a: number, n: number): number {
  let sum = 0;
  let term = 1; // a^k / k!
  for (let k = 0; k < n; k++) {
    sum += term;
    term = (term * a) / (k + 1);
  }
  const top = (term * n) / (n - a); // a^n / n! · n / (n − a)
  return top / (sum + top);
}
const slBySum = (a: number, n: number, aht: number, t: number) => 1 - erlangCBySum(a, n) * Math.exp((-(n - a) * t) / aht);

describe('the supervisor dashboard on a hand-built week in a real SQLite file', () => {
  const tmp = tempDir('omni-dashboard-');
  let db: Db;
  let d: Dashboard;
  let role: 'agent' | 'supervisor' | 'admin' | null = 'supervisor';
  let service: ReturnType<typeof createSupervisorService>;

  beforeAll(async () => {
    db = openDatabase(path.join(tmp.dir, 'center.sqlite'));
    seed(db);
    service = createSupervisorService({ db, settings, role: () => role });
    d = await service.handlers.supervisorDashboard({ ...WEEK, channels: [] });
  });
  afterAll(() => {
    db.close();
    tmp.remove();
  });

  const perf = (c: Channel) => d.performance.find((p) => p.channel === c)!;

  it('shows the volume by channel with the portal deflected contacts beside them, as shares of 7', () => {
    // Contacts (a case with customer-facing activity on a channel): email 100+101, chat 100, phone
    // 102+104 (the voicemail; the earlier call is outside), SMS 103 (Eve's unthreaded SMS is no contact).
    expect(d.volume).toEqual([
      { key: 'email', label: 'Email', contacts: 2, share: 2 / 7 },
      { key: 'chat', label: 'Chat', contacts: 1, share: 1 / 7 },
      { key: 'phone', label: 'Phone', contacts: 2, share: 2 / 7 },
      { key: 'sms', label: 'SMS', contacts: 1, share: 1 / 7 },
      { key: 'deflected', label: 'Portal (deflected)', contacts: 1, share: 1 / 7 },
    ]);
    expect(d.totals).toMatchObject({ contacts: 6, cases: 5, events: 13, deflected: 1, resolved: 4 });
    expect(d.totals.resolutionRate).toBeCloseTo(4 / 6, 12);
  });

  it('fills the channel performance table: handle time, first response, resolution rate, CSAT', () => {
    // Handle time = first agent touch on the channel → resolution: chat 5 h − 2 min, email h5→h6, phone h22→h23, SMS 30 min.
    expect(perf('chat')).toMatchObject({ contacts: 1, resolved: 1, resolutionRate: 1, avgHandleTimeMs: 298 * MIN, avgFirstResponseMs: 2 * MIN, csatAverage: 5, csatResponses: 1 });
    // Email: only case 100 is resolved (60 min); first responses 2 h (100) and 4 h (101).
    expect(perf('email')).toMatchObject({ contacts: 2, resolved: 1, resolutionRate: 0.5, avgHandleTimeMs: 60 * MIN, avgFirstResponseMs: 180 * MIN, csatAverage: 5, csatResponses: 1 });
    // Phone: the call at h20 is answered by the callback at h22; Dee's voicemail has no answer.
    expect(perf('phone')).toMatchObject({ contacts: 2, resolved: 1, resolutionRate: 0.5, avgHandleTimeMs: 60 * MIN, avgFirstResponseMs: 120 * MIN, csatAverage: 3, csatResponses: 1 });
    expect(perf('sms')).toMatchObject({ contacts: 1, resolved: 1, resolutionRate: 1, avgHandleTimeMs: 30 * MIN, avgFirstResponseMs: 30 * MIN, csatAverage: 4, csatResponses: 1 });
    expect(d.performance.map((p) => p.channel)).toEqual(['email', 'chat', 'phone', 'sms']);
    expect(d.totals.avgHandleTimeMs).toBe(((298 + 60 + 60 + 30) / 4) * MIN);
    expect(d.totals.avgFirstResponseMs).toBeCloseTo(((2 + 120 + 240 + 120 + 30) / 5) * MIN, 6);
    expect(d.totals.csatAverage).toBe((5 + 5 + 3 + 4) / 4);
  });

  it('computes the cross-channel figures', () => {
    // Case 100 touched chat and email: 1 of 5 cases. Ana went chat → email (same case: context kept)
    // → SMS 15 h later (a new case: not kept). Resolved in the week: 100 (2 channels), 102, 103 (1 each).
    expect(d.crossChannel).toEqual({
      cases: 5,
      switchedCases: 1,
      channelSwitchRate: 0.2,
      switches: 2,
      contextPreserved: 1,
      contextPreservedRate: 0.5,
      resolvedIssues: 3,
      avgChannelsPerResolvedIssue: 4 / 3,
    });
  });

  it('prices every contact from the configured costs', () => {
    expect(perf('email')).toMatchObject({ cost: 4, costPerContact: 2 });
    expect(perf('chat')).toMatchObject({ cost: 1.5, costPerContact: 1.5 });
    // 100 fixed + 15 call minutes × 0.02 (the call before the week is not counted).
    expect(perf('phone').cost).toBeCloseTo(100.3, 10);
    expect(perf('phone').costPerContact).toBeCloseTo(50.15, 10);
    // 0.5 per contact + 0.01 × 3 SMS events (Eve's unthreaded one included).
    expect(perf('sms').cost).toBeCloseTo(0.53, 10);
    expect(d.totals.cost).toBeCloseTo(106.33, 10);
    expect(d.totals.costPerContact).toBeCloseTo(106.33 / 6, 10);
  });

  it('counts deflection and lists the articles that deflected', () => {
    // Dee's flagged view counts; Ben's is undone by his case two hours later; Cy's was not flagged.
    expect(d.deflection).toEqual({
      portalViews: 3,
      deflected: 1,
      deflectionRate: 1 / 3,
      topArticles: [{ article: 'Reset your password', title: 'Reset your password', views: 2, deflected: 1 }],
    });
  });

  it('gives agent metrics by channel', () => {
    expect(d.agents).toEqual([
      { agentId: 10, name: 'Ann Lee', channel: 'chat', contacts: 1, resolved: 1, resolutionRate: 1, avgHandleTimeMs: 298 * MIN, avgFirstResponseMs: 2 * MIN, csatAverage: 5 },
      { agentId: 10, name: 'Ann Lee', channel: 'phone', contacts: 1, resolved: 1, resolutionRate: 1, avgHandleTimeMs: 60 * MIN, avgFirstResponseMs: 120 * MIN, csatAverage: 3 },
      { agentId: 10, name: 'Ann Lee', channel: 'sms', contacts: 1, resolved: 1, resolutionRate: 1, avgHandleTimeMs: 30 * MIN, avgFirstResponseMs: 30 * MIN, csatAverage: 4 },
      { agentId: 11, name: 'Bo Chen', channel: 'email', contacts: 2, resolved: 1, resolutionRate: 0.5, avgHandleTimeMs: 60 * MIN, avgFirstResponseMs: 180 * MIN, csatAverage: 5 },
    ]);
  });

  it('maps demand to the hour of the week in the center time zone', () => {
    const slots = (c: Channel) => d.demand.find((r) => r.channel === c)!.counts.flatMap((n, slot) => (n > 0 ? [[slot, n]] : []));
    // Berlin is UTC+1 in January: h1 is Monday 02:00, h3 04:00, h10 11:00, h20 21:00, h30 Tuesday 07:00 (24 + 7).
    expect(slots('chat')).toEqual([[2, 1]]);
    expect(slots('email')).toEqual([[4, 1], [11, 1]]);
    expect(slots('phone')).toEqual([[21, 1], [31, 1]]);
    expect(slots('sms')).toEqual([[21, 1]]);
    expect(d.demand.map((r) => r.channel)).toEqual(['email', 'chat', 'phone', 'sms']);
  });

  it('reads the heatmap in the viewer’s time zone when the request names one', async () => {
    const utc = await service.handlers.supervisorDashboard({ ...WEEK, channels: ['chat'], timeZone: 'UTC' });
    expect(utc.timeZone).toBe('UTC');
    // h1 is Monday 01:00 in UTC (02:00 in Berlin above).
    expect(utc.demand[0]!.counts.flatMap((n, slot) => (n > 0 ? [[slot, n]] : []))).toEqual([[1, 1]]);
  });

  it('suggests phone and chat staffing from Erlang C at the configured service level', () => {
    const phone = d.staffing.find((s) => s.channel === 'phone')!;
    // Talk time (10 + 5) / 2 min = 450 s, plus 30 s wrap-up. One call an hour (each hour of the week occurs once).
    expect(phone).toMatchObject({ ahtSeconds: 480, ahtSource: 'measured', answerWithinSeconds: 20, targetShare: 0.8, concurrency: 1 });
    expect(phone.arrivalsPerHour[21]).toBe(1);
    expect(phone.arrivalsPerHour[31]).toBe(1);
    expect(phone.arrivalsPerHour.reduce((a, b) => a + b, 0)).toBe(2);
    // A = 480/3600 Erlangs; one agent: P(wait) = A, SL = 1 − A·e^(−(1 − A)·20/480) ≈ 0.871 ≥ 0.8.
    const a = 480 / 3600;
    expect(phone.agents[21]).toBe(1);
    expect(phone.peak).toMatchObject({ hourOfWeek: 21, arrivalsPerHour: 1, agents: 1 });
    expect(phone.peak!.serviceLevel).toBeCloseTo(1 - a * Math.exp((-(1 - a) * 20) / 480), 12);

    const chat = d.staffing.find((s) => s.channel === 'chat')!;
    // The chat handle time measured above (298 min); one chat at Monday 02:00; two chats per agent.
    expect(chat).toMatchObject({ ahtSeconds: 298 * 60, ahtSource: 'measured', answerWithinSeconds: 60, concurrency: 2 });
    const traffic = (298 * 60) / 3600;
    let n = Math.floor(traffic) + 1;
    while (slBySum(traffic, n, 298 * 60, 60) < 0.8) n++;
    expect(slBySum(traffic, n - 1, 298 * 60, 60)).toBeLessThan(0.8);
    expect(chat.agents[2]).toBe(Math.ceil(n / 2));
    expect(chat.agents.filter((x) => x > 0)).toHaveLength(1);
  });

  it('flags underperforming channels, finds each segment’s preferred channel, and checks consistency', () => {
    // Median contacts of the active channels (2, 1, 2, 1) is 1.5: email and phone are above it and resolve 50 % < 60 %.
    expect(d.underperforming).toEqual([
      { channel: 'email', contacts: 2, medianContacts: 1.5, resolutionRate: 0.5 },
      { channel: 'phone', contacts: 2, medianContacts: 1.5, resolutionRate: 0.5 },
    ]);
    expect(d.segments).toEqual([
      { segment: 'standard', contacts: 2, preferredChannel: 'email', preferredShare: 0.5, byChannel: [{ channel: 'email', contacts: 1 }, { channel: 'phone', contacts: 1 }] },
      { segment: 'premium', contacts: 1, preferredChannel: 'phone', preferredShare: 1, byChannel: [{ channel: 'phone', contacts: 1 }] },
      { segment: 'enterprise', contacts: 3, preferredChannel: 'email', preferredShare: 1 / 3, byChannel: [{ channel: 'email', contacts: 1 }, { channel: 'chat', contacts: 1 }, { channel: 'sms', contacts: 1 }] },
    ]);
    // Technical issues: "reset" on the phone, "replace" by SMS. Billing: only "refund" by email (its last agent reply).
    expect(d.consistency).toEqual({
      inconsistent: ['technical'],
      issues: [
        { issueType: 'billing', consistent: true, byChannel: [{ channel: 'email', resolved: 1, dominantCode: 'refund', dominantShare: 1 }] },
        {
          issueType: 'technical',
          consistent: false,
          byChannel: [
            { channel: 'phone', resolved: 1, dominantCode: 'reset', dominantShare: 1 },
            { channel: 'sms', resolved: 1, dominantCode: 'replace', dominantShare: 1 },
          ],
        },
      ],
    });
  });

  it('the channel filter keeps only the chosen channels, cross-channel figures included', async () => {
    const f = await service.handlers.supervisorDashboard({ ...WEEK, channels: ['chat', 'email'] });
    expect(f.channels).toEqual(['email', 'chat']);
    expect(f.volume.map((v) => [v.key, v.contacts, v.share])).toEqual([
      ['email', 2, 2 / 3],
      ['chat', 1, 1 / 3],
    ]);
    expect(f.deflection.portalViews).toBe(0);
    // Ana's chat → email is the only switch left (the SMS is filtered out); cases 100 and 101 remain.
    expect(f.crossChannel).toMatchObject({ cases: 2, switchedCases: 1, switches: 1, contextPreserved: 1 });
    expect(f.staffing.map((s) => s.channel)).toEqual(['chat']);
  });

  it('refuses an agent, and a desktop not signed in, with a clear sentence', async () => {
    for (const who of ['agent', null] as const) {
      role = who;
      await expect(service.handlers.supervisorDashboard({ ...WEEK, channels: [] })).rejects.toMatchObject({ code: 'rpc/forbidden' });
    }
    role = 'agent';
    await expect(service.handlers.supervisorDashboard({ ...WEEK, channels: [] })).rejects.toThrowError(/Only supervisors and admins/);
    role = 'admin';
    expect((await service.handlers.supervisorDashboard({ ...WEEK, channels: [] })).totals.contacts).toBe(6);
    role = 'supervisor';
  });
});
