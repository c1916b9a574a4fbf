// The dashboard's rows kept in memory (src/main/store/metricsStore.ts) on a real SQLite file: a
// supervisor who keeps the dashboard open sees, after any write by any part of the desktop, the
// same figures a freshly started desktop computes from the file, without the whole log read again.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/store/database';
import { Repository } from '../../src/main/store/repository';
import { seedDemoCenter } from '../../src/main/demo/seed';
import { PrivacyStore } from '../../src/main/privacy/privacyStore';
import { createSupervisorService } from '../../src/main/supervisor/supervisorService';
import { KEPT_SQL } from '../../src/main/store/metricsStore';
import { DashboardSettings } from '../../src/shared/metrics';
import { tempDir } from '../helpers/tempDir';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 25, 12);
const tmp = tempDir('omni-metrics-kept-');
afterAll(() => tmp.remove());

describe('the dashboard rows kept in memory', () => {
  const db = openDatabase(path.join(tmp.dir, 'center.sqlite'));
  const repo = new Repository(db);
  seedDemoCenter(repo, { seed: 11, now: NOW, customers: 120, conversations: 600, events: 4000 });
  const settings = DashboardSettings.parse({ timeZone: 'Europe/Berlin' });
  const kept = createSupervisorService({ db, settings, role: () => 'supervisor' });
  const span = db.prepare(`SELECT MIN(occurred_at) AS first, MAX(occurred_at) AS last FROM events`).get() as { first: number; last: number };
  const all = { from: span.first, to: NOW + DAY, channels: [] };
  const lastWeek = { from: NOW - 7 * DAY, to: NOW + DAY, channels: [] };
  let copies = 0;
  /** What a desktop started now on a copy of the file computes: everything read from it. */
  const fresh = async (range: typeof all) => {
    const file = path.join(tmp.dir, `copy-${++copies}.sqlite`);
    db.exec(`VACUUM INTO '${file}'`);
    const copy = openDatabase(file);
    try {
      return await createSupervisorService({ db: copy, settings, role: () => 'supervisor' }).handlers.supervisorDashboard(range);
    } finally {
      copy.close();
    }
  };
  const logRows = () => db.prepare(`SELECT COUNT(*) FROM metrics_changes`).pluck().get() as number;

  it('reads the event log once, from the covering indexes alone', async () => {
    for (const sql of [KEPT_SQL.plain, KEPT_SQL.meta]) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(0, 1, 1) as Array<{ detail: string }>).map((p) => p.detail).join(' ');
      expect(plan).toMatch(/SEARCH events USING COVERING INDEX events_metrics/);
    }
    const first = await kept.handlers.supervisorDashboard(all);
    expect(kept.store.lastSync).toMatchObject({ full: true });
    expect(first).toEqual(await fresh(all));
    expect(first.totals.contacts).toBeGreaterThan(100);
    await kept.handlers.supervisorDashboard(all);
    expect(kept.store.lastSync).toEqual({ full: false, events: 0, cases: 0, customers: 0 });
  });

  it('applies new events and cases by id', async () => {
    const before = await kept.handlers.supervisorDashboard(lastWeek);
    const customer = (db.prepare(`SELECT id FROM customers ORDER BY id LIMIT 1`).pluck().get() as number) ?? 1;
    const caseId = repo.insertCase({ customerId: customer, subject: 'New question', status: 'open', priority: 'normal', issueType: 'billing', channel: 'sms', originChannel: 'sms', assignedAgentId: null, createdAt: NOW - DAY, updatedAt: NOW - DAY, waitingSince: NOW - DAY, firstResponseAt: null, slaDueAt: null, resolvedAt: null, resolutionCode: null, csatScore: null });
    const event = { caseId, customerId: customer, channel: 'sms' as const, authorName: 'x', subject: null, body: 'hi' };
    repo.insertEvent({ ...event, direction: 'in', kind: 'message', authorType: 'customer', authorId: null, occurredAt: NOW - DAY });
    repo.insertEvent({ ...event, direction: 'out', kind: 'message', authorType: 'agent', authorId: 1, occurredAt: NOW - DAY + 60_000 });
    repo.insertEvent({ ...event, channel: 'phone', direction: 'in', kind: 'call', authorType: 'customer', authorId: null, metadata: { durationMs: 90_000 }, occurredAt: NOW - DAY + 120_000 });
    const after = await kept.handlers.supervisorDashboard(lastWeek);
    expect(kept.store.lastSync).toMatchObject({ full: false, events: 3, cases: 1 });
    expect(after.totals.contacts).toBe(before.totals.contacts + 2);
    expect(after).toEqual(await fresh(lastWeek));
  });

  it('applies resolutions, ratings, a merge that moves events, a tier change and an erase, whoever wrote them', async () => {
    const before = await kept.handlers.supervisorDashboard(all);
    const open = db.prepare(`SELECT id FROM cases WHERE status = 'open' ORDER BY id LIMIT 3`).pluck().all() as number[];
    repo.resolveCase({ caseId: open[0]!, agent: { id: 1, name: 'Agent' }, now: NOW - 3600_000 });
    db.prepare(`UPDATE cases SET csat_score = 1 WHERE id = ?`).run(open[0]);
    // A merge moves the source's events to the target, as caseMergeSplit does.
    db.prepare(`UPDATE events SET case_id = ? WHERE case_id = ?`).run(open[2], open[1]);
    db.prepare(`UPDATE cases SET status = 'closed', resolved_at = ?, resolution_code = 'merged' WHERE id = ?`).run(NOW - 3600_000, open[1]);
    db.prepare(`UPDATE customers SET tier = 'enterprise' WHERE id IN (SELECT customer_id FROM cases WHERE id = ?)`).run(open[2]);
    const erased = db.prepare(`SELECT customer_id FROM cases WHERE status = 'resolved' ORDER BY id DESC LIMIT 1`).pluck().get() as number;
    const privacy = new PrivacyStore(db);
    db.transaction(() => privacy.eraseCustomerRows(erased))();
    expect(logRows()).toBeGreaterThan(0);

    const after = await kept.handlers.supervisorDashboard(all);
    expect(kept.store.lastSync?.full).toBe(false);
    expect(after).toEqual(await fresh(all));
    expect(after).not.toEqual(before);
    expect(await kept.handlers.supervisorDashboard(lastWeek)).toEqual(await fresh(lastWeek));
    // What was applied is forgotten: the log does not grow while the dashboard is in use.
    expect(logRows()).toBe(0);
  });

  it('applies each request what came since the one before, the log emptied in between', async () => {
    const resolvedIn = (d: Awaited<ReturnType<typeof fresh>>) => d.performance.reduce((n, p) => n + p.resolved, 0);
    let before = resolvedIn(await kept.handlers.supervisorDashboard(all));
    for (let round = 0; round < 3; round++) {
      const open = db.prepare(`SELECT id FROM cases WHERE status = 'open' ORDER BY id LIMIT 2`).pluck().all() as number[];
      expect(open).toHaveLength(2);
      for (const id of open) repo.resolveCase({ caseId: id, agent: { id: 1, name: 'Agent' }, now: NOW - 60_000 });
      const after = await kept.handlers.supervisorDashboard(all);
      expect(kept.store.lastSync).toMatchObject({ full: false, cases: 2 });
      expect(logRows()).toBe(0);
      expect(resolvedIn(after)).toBeGreaterThan(before);
      expect(after).toEqual(await fresh(all));
      before = resolvedIn(after);
    }
  });

  it('lets the desktop write while it reads the log for the first time, and misses none of it', async () => {
    const reading = createSupervisorService({ db, settings, role: () => 'supervisor', readSliceMs: 0 });
    let done = false;
    const request = reading.handlers.supervisorDashboard(all).finally(() => (done = true));
    const customer = db.prepare(`SELECT id FROM customers ORDER BY id LIMIT 1`).pluck().get() as number;
    const days = (span.last - span.first) / DAY;
    let writes = 0;
    for (let turn = 0; !done; turn++) {
      await new Promise((resolve) => setImmediate(resolve));
      if (done) break;
      writes++;
      // Somewhere in the log, read already or not yet: a new message, a moved one, an erased one, a resolution.
      const at = span.first + ((turn * 7) % Math.max(1, Math.floor(days))) * DAY + 3_600_000;
      const caseId = db.prepare(`SELECT id FROM cases WHERE customer_id = ? ORDER BY id LIMIT 1`).pluck().get(customer) as number;
      repo.insertEvent({ caseId, customerId: customer, channel: 'chat', direction: 'in', kind: 'message', authorType: 'customer', authorId: null, authorName: 'x', subject: null, body: 'again', occurredAt: at });
      db.prepare(`UPDATE events SET occurred_at = ? WHERE id = (SELECT id FROM events WHERE kind = 'message' AND direction != 'internal' ORDER BY id LIMIT 1 OFFSET ?)`).run(span.last - turn * 3_600_000, turn * 13);
      db.prepare(`DELETE FROM events WHERE id = (SELECT id FROM events WHERE kind IN ('call', 'portal_view') ORDER BY id DESC LIMIT 1 OFFSET ?)`).run(turn);
      db.prepare(`UPDATE cases SET status = 'resolved', resolved_at = ? WHERE id = (SELECT id FROM cases WHERE status = 'open' ORDER BY id LIMIT 1)`).run(span.last);
    }
    const result = await request;
    expect(writes).toBeGreaterThan(10);
    expect(reading.store.lastSync?.full).toBe(true);
    expect(result).toEqual(await fresh(all));
  });

  it('starts with an empty log in each process', async () => {
    // Two kept copies of this file live in this process now: the log keeps what the one behind has not applied.
    const held = logRows();
    db.prepare(`UPDATE cases SET csat_score = 5 WHERE id = (SELECT MIN(id) FROM cases)`).run();
    expect(logRows()).toBe(held + 1);
    const file = path.join(tmp.dir, 'restart.sqlite');
    db.exec(`VACUUM INTO '${file}'`);
    const restarted = openDatabase(file);
    expect(restarted.prepare(`SELECT COUNT(*) FROM metrics_changes`).pluck().get()).toBe(held + 1);
    createSupervisorService({ db: restarted, settings, role: () => 'supervisor' });
    expect(restarted.prepare(`SELECT COUNT(*) FROM metrics_changes`).pluck().get()).toBe(0);
    restarted.close();
    expect(await kept.handlers.supervisorDashboard(all)).toEqual(await fresh(all));
  });
});
