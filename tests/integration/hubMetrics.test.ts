// The hub's read-only metrics API on a real hub (HTTP on loopback, a real SQLite file): the same
// dashboard figures as the desktop, from what the hub has (conversations, messages, CSAT, portal
// views), as JSON and as the weekly report CSV; a bearer token from the configuration, 401 without.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenMatches } from '../../src/hub/metrics/module';
import type { Dashboard } from '../../src/shared/metrics';
import { startHub, type StartedHub } from '../helpers/hub';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 5); // a Monday
const h = (n: number) => T0 + n * HOUR;
const TOKEN = 'metrics-token-for-the-bi-tool-0123456789';
const RANGE = `from=${T0}&to=${T0 + 7 * DAY}`;

let started: StartedHub;
let off: StartedHub;

/*
 * Two chats and an SMS:
 *  conversation 1 (chat, contact 1, billing, enterprise): in at h1, agent answers at h1 + 4 min, resolved at h2, CSAT 4.
 *  conversation 2 (chat, contact 2, technical, standard): in at h3, agent answers at h3 + 10 min, still assigned.
 *  conversation 3 (SMS, contact 3): in at h5, unanswered, waiting.
 *  portal: visitor "v-1" reads change-plan at h0 and then writes as contact 1 (conversation 1 at h1: not deflected);
 *          visitor "v-2" reads change-plan at h6 and never writes (deflected).
 */
function seed(hub: StartedHub): void {
  const db = hub.hub.context.db;
  const agent = hub.hub.createAgent({ username: 'mia', displayName: 'Mia Ortiz', password: 'mia-password-0123456789' });
  const contact = db.prepare(`INSERT INTO contacts (id, channel, address, created_at) VALUES (?, ?, ?, 0)`);
  contact.run(1, 'chat', 'visitor-1');
  contact.run(2, 'chat', 'visitor-2');
  contact.run(3, 'sms', '+15550100');
  const conv = db.prepare(
    `INSERT INTO conversations (id, channel, contact_id, thread_key, status, issue_type, tier, assigned_agent_id, created_at, updated_at, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  conv.run(1, 'chat', 1, 't1', 'resolved', 'billing', 'enterprise', agent.id, h(1), h(2), h(2));
  conv.run(2, 'chat', 2, 't2', 'assigned', 'technical', 'standard', agent.id, h(3), h(3), null);
  conv.run(3, 'sms', 3, 't3', 'waiting', 'other', 'standard', null, h(5), h(5), null);
  const msg = db.prepare(`INSERT INTO messages (conversation_id, channel, direction, author_type, author_agent_id, author_name, text, created_at) VALUES (?, ?, ?, ?, ?, 'x', 'x', ?)`);
  msg.run(1, 'chat', 'in', 'customer', null, h(1));
  msg.run(1, 'chat', 'out', 'agent', agent.id, h(1) + 4 * MIN);
  msg.run(2, 'chat', 'in', 'customer', null, h(3));
  msg.run(2, 'chat', 'out', 'agent', agent.id, h(3) + 10 * MIN);
  msg.run(3, 'sms', 'in', 'customer', null, h(5));
  db.prepare(`INSERT INTO csat (conversation_id, rating, agent_id, created_at) VALUES (1, 4, ?, ?)`).run(agent.id, h(2));
  db.prepare(`INSERT INTO portal_contacts (message_id, visitor_id, conversation_id, contacted_at) VALUES (1, 'v-1', 1, ?)`).run(h(1));
  const view = db.prepare(`INSERT INTO portal_views (visitor_id, slug, viewed_at) VALUES (?, 'change-plan', ?)`);
  view.run('v-1', h(0));
  view.run('v-2', h(6));
}

beforeAll(async () => {
  started = await startHub({ config: { metrics: { token: TOKEN, dashboard: { costs: { chat: { perContact: 3 }, sms: { perContact: 1 } } } } } });
  seed(started);
  off = await startHub();
});
afterAll(async () => {
  await started?.close();
  await off?.close();
});

const get = (hub: StartedHub, path: string, token: string | null = TOKEN) => fetch(`${hub.url}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

describe('the hub metrics API', () => {
  it('serves the dashboard of a range as JSON, figured from the hub’s conversations', async () => {
    const res = await get(started, `/metrics/dashboard.json?${RANGE}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const d = (await res.json()) as Dashboard;
    expect(d.volume).toEqual([
      { key: 'chat', label: 'Chat', contacts: 2, share: 2 / 4 },
      { key: 'sms', label: 'SMS', contacts: 1, share: 1 / 4 },
      { key: 'deflected', label: 'Portal (deflected)', contacts: 1, share: 1 / 4 },
    ]);
    const chat = d.performance.find((p) => p.channel === 'chat')!;
    // Handle time: first agent touch (h1 + 4 min) to resolution (h2) = 56 min; first responses 4 and 10 min.
    expect(chat).toMatchObject({ contacts: 2, resolved: 1, resolutionRate: 0.5, avgHandleTimeMs: 56 * MIN, avgFirstResponseMs: 7 * MIN, csatAverage: 4, cost: 6, costPerContact: 3 });
    expect(d.performance.find((p) => p.channel === 'sms')).toMatchObject({ contacts: 1, resolved: 0, avgFirstResponseMs: null, cost: 1 });
    expect(d.deflection).toEqual({ portalViews: 2, deflected: 1, deflectionRate: 0.5, topArticles: [{ article: 'change-plan', title: 'Upgrading or downgrading your plan', views: 2, deflected: 1 }] });
    expect(d.agents).toEqual([expect.objectContaining({ name: 'Mia Ortiz', channel: 'chat', contacts: 2, resolved: 1 })]);
    expect(d.segments.find((s) => s.segment === 'enterprise')).toMatchObject({ contacts: 1, preferredChannel: 'chat' });
    expect(d.timeZone).toBe('UTC');
  });

  it('filters by channel and serves the weekly report as CSV', async () => {
    const json = (await (await get(started, `/metrics/dashboard.json?${RANGE}&channels=sms`)).json()) as Dashboard;
    expect(json.volume.map((v) => v.key)).toEqual(['sms']);
    const res = await get(started, `/metrics/report.csv?${RANGE}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="weekly-report-2026-01-05-to-2026-01-11.csv"');
    const lines = (await res.text()).split('\r\n');
    expect(lines.slice(0, 2)).toEqual(['Weekly channel report', 'Period,2026-01-05,2026-01-11']);
    const v = lines.indexOf('Volume distribution');
    expect(lines.slice(v + 1, v + 6)).toEqual(['Channel,Contacts,Share', 'Chat,2,0.5', 'SMS,1,0.25', 'Portal (deflected),1,0.25', 'Total,4,1']);
    expect(lines).toContain('Chat,2,6,3');
    expect(lines).toContain('Deflected contacts,1');
  });

  it('answers 401 without the token or with a wrong one, and says when the API is off', async () => {
    const none = await get(started, `/metrics/dashboard.json?${RANGE}`, null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="omni-hub-metrics"');
    expect(await none.json()).toEqual({ code: 'metrics/unauthorized', message: 'Send the metrics token as "Authorization: Bearer <token>".' });
    const wrong = await get(started, `/metrics/report.csv?${RANGE}`, `${TOKEN}x`);
    expect(wrong.status).toBe(401);
    // A supervisor's session token is not the metrics token either.
    const login = await fetch(`${started.url}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'mia', password: 'mia-password-0123456789' }) });
    const { token } = (await login.json()) as { token: string };
    expect((await get(started, `/metrics/dashboard.json?${RANGE}`, token)).status).toBe(401);
    const disabled = await get(off, `/metrics/dashboard.json`, TOKEN);
    expect(disabled.status).toBe(404);
    expect(((await disabled.json()) as { code: string }).code).toBe('metrics/off');
  });

  it('refuses bad ranges, unknown channels and writes with a sentence', async () => {
    const backwards = await get(started, `/metrics/dashboard.json?from=${T0}&to=${T0 - 1}`);
    expect(backwards.status).toBe(400);
    expect(((await backwards.json()) as { message: string }).message).toBe('The range must end after it starts (to after from).');
    const channel = await get(started, `/metrics/dashboard.json?channels=fax`);
    expect(channel.status).toBe(400);
    expect(((await channel.json()) as { message: string }).message).toMatch(/^"fax" is not a channel/);
    const post = await fetch(`${started.url}/metrics/dashboard.json`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(post.status).toBe(405);
  });

  it('compares tokens whatever their length', () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches('short', TOKEN)).toBe(false);
    expect(tokenMatches(`${TOKEN}-longer`, TOKEN)).toBe(false);
  });
});
