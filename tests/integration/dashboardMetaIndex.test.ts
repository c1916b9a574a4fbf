// The dashboard's read of calls and portal views on a real SQLite file: answered by the partial
// covering index of schema 19 (no table row per event), and a restricted channel's sealed metadata
// (not JSON) neither refuses the insert nor breaks the dashboard.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/store/database';
import { KEPT_SQL } from '../../src/main/store/metricsStore';
import { createSupervisorService } from '../../src/main/supervisor/supervisorService';
import { DashboardSettings } from '../../src/shared/metrics';
import { tempDir } from '../helpers/tempDir';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 5);
const tmp = tempDir('omni-dashboard-meta-');
afterAll(() => tmp.remove());

describe('calls and portal views for the dashboard', () => {
  const db = openDatabase(path.join(tmp.dir, 'center.sqlite'));
  db.prepare(`INSERT INTO customers (id, name, tier, created_at) VALUES (1, 'Ana', 'standard', 0), (2, 'Ben', 'standard', 0)`).run();
  const kase = db.prepare(
    `INSERT INTO cases (id, customer_id, subject, status, priority, issue_type, channel, origin_channel, created_at, updated_at)
     VALUES (?, ?, 's', 'open', 'normal', 'billing', 'phone', 'phone', ?, ?)`,
  );
  kase.run(1, 1, T0 + HOUR, T0 + HOUR);
  kase.run(2, 2, T0 + 2 * HOUR, T0 + 2 * HOUR);
  const ev = db.prepare(
    `INSERT INTO events (case_id, customer_id, channel, direction, kind, author_type, author_id, author_name, body, metadata, occurred_at, created_at)
     VALUES (?, ?, ?, 'in', ?, 'customer', NULL, 'x', '', ?, ?, ?)`,
  );
  const add = (caseId: number | null, customerId: number, channel: string, kind: string, metadata: string, at: number) => ev.run(caseId, customerId, channel, kind, metadata, at, at);

  it('reads them from the index alone', () => {
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${KEPT_SQL.meta}`).all(0, 1, 1) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toContain('COVERING INDEX events_metrics_meta');
  });

  it('keeps a sealed call (not JSON) insertable, counted as an event with no known duration', async () => {
    add(1, 1, 'phone', 'call', JSON.stringify({ durationSec: 120 }), T0 + HOUR);
    expect(() => add(2, 2, 'phone', 'call', 'sealed:v1:bm90IGpzb24=', T0 + 2 * HOUR)).not.toThrow();
    add(null, 2, 'portal', 'portal_view', JSON.stringify({ article: 'Refund policy', deflected: true }), T0 + 3 * HOUR);
    add(null, 1, 'portal', 'portal_view', 'sealed:v1:eA==', T0 + 4 * HOUR);
    const service = createSupervisorService({ db, settings: DashboardSettings.parse({}), role: () => 'supervisor' });
    const d = await service.handlers.supervisorDashboard({ from: T0, to: T0 + 24 * HOUR, channels: [] });
    const phone = d.performance.find((p) => p.channel === 'phone')!;
    expect(phone.contacts).toBe(2);
    expect(d.totals.events).toBe(2);
    // Only the readable call has talk time: Erlang C's measured handle time is its 120 s plus the 30 s wrap-up.
    expect(d.staffing.find((s) => s.channel === 'phone')!.ahtSeconds).toBe(150);
    expect(d.deflection.portalViews).toBe(2);
    expect(d.deflection.topArticles).toEqual([{ article: 'Refund policy', title: 'Refund policy', views: 1, deflected: 1 }]);
    db.close();
  });
});
