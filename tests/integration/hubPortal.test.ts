// The portal in a real hub over real HTTP on loopback, with a real SQLite file and the shipped
// knowledge base (plus two test articles). The hub's clock is a variable the tests move.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { Hub } from '../../src/hub/server';
import { createPortalModule } from '../../src/hub/portal/module';
import { Portal } from '../../src/hub/portal/portal';
import { PortalConfig } from '../../src/hub/portal/config';
import { openHubDatabase } from '../../src/hub/store/database';
import { PortalDeflectionResponse } from '../../src/shared/metrics/deflection';
import type { HubLog } from '../../src/hub/services';
import { tempDir } from '../helpers/tempDir';
import { login, startHub, type StartedHub } from '../helpers/hub';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 2, 2, 9);
const PASSWORD = 'correct-horse-battery';

function recordingLog(): HubLog & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
}

function copyKb(into: string): void {
  fs.mkdirSync(into, { recursive: true });
  for (const f of fs.readdirSync('kb')) fs.copyFileSync(path.join('kb', f), path.join(into, f));
  fs.writeFileSync(
    path.join(into, 'hostile.md'),
    '---\ntitle: Hostile <b>article</b>\ntags: [test]\nupdated: 2026-01-01\n---\nHello <script>alert("kb")</script> and [click](javascript:alert(1)) zebracorn.\n',
  );
  fs.writeFileSync(path.join(into, 'broken.md'), '---\ntags: [test]\nupdated: 2026-01-01\n---\nNo title here.\n');
}

describe('the self-service portal in the hub', () => {
  let tmp: ReturnType<typeof tempDir>;
  let started: StartedHub;
  let hub: Hub;
  let base: string;
  let clock = T0;
  let supervisorToken = '';
  let agentToken = '';

  beforeAll(async () => {
    tmp = tempDir('omni-portal-kb-');
    copyKb(tmp.dir);
    started = await startHub({
      config: { sessionTtlMs: 30 * 24 * HOUR, portal: { articlesDir: tmp.dir, contactUrl: '/widget/demo' } },
      now: () => clock,
      modules: [createPortalModule],
    });
    hub = started.hub;
    base = started.url;
    hub.createAgent({ username: 'sam', displayName: 'Sam Supervisor', role: 'supervisor', password: PASSWORD });
    hub.createAgent({ username: 'ada', displayName: 'Ada Agent', role: 'agent', password: PASSWORD });
    supervisorToken = (await login(base, 'sam', PASSWORD)).token;
    agentToken = (await login(base, 'ada', PASSWORD)).token;
  });

  afterAll(async () => {
    await started?.close();
    tmp?.remove();
  });

  const views = (visitor: string) => hub.context.db.prepare('SELECT slug, viewed_at AS at FROM portal_views WHERE visitor_id = ? ORDER BY id').all(visitor) as Array<{ slug: string; at: number }>;
  const deflection = async (query = '') => {
    const res = await fetch(`${base}/portal/api/deflection${query}`, { headers: { authorization: `Bearer ${supervisorToken}` } });
    expect(res.status).toBe(200);
    return PortalDeflectionResponse.parse(await res.json());
  };
  const chatFrom = (visitorId: string, at: number, n: number) =>
    hub.context.conversations.ingestInbound({
      channel: 'chat',
      providerId: `widget-msg-${visitorId}-${n}`,
      threadKey: `widget-conv-${visitorId}`,
      contact: { address: visitorId, displayName: 'Website visitor' },
      text: 'I still need help with my refund',
      receivedAt: at,
      metadata: { visitorId },
    });

  it('reports a broken article file by name at start and serves the others', async () => {
    expect(started.logs.some((l) => l.startsWith('warn: portal: ') && l.includes('broken.md') && l.includes('title'))).toBe(true);
    expect((await fetch(`${base}/portal/articles/broken`)).status).toBe(404);
    expect((await fetch(`${base}/portal/articles/refunds`)).status).toBe(200);
  });

  it('finds articles by the start of a word, best title match first, with the match in the snippet', async () => {
    const res = await fetch(`${base}/portal/api/search?q=pass`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await res.json()) as { articles: Array<{ slug: string; title: string; snippet: string; url: string; highlights: Array<{ text: string; match: boolean }> }> };
    expect(body.articles[0]).toMatchObject({ slug: 'reset-password', title: 'Resetting your password', url: `${base}/portal/articles/reset-password` });
    expect(body.articles[0]!.snippet.toLowerCase()).toContain('password');
    expect(body.articles[0]!.highlights.filter((h) => h.match).map((h) => h.text.toLowerCase())).toContain('password');

    const sentence = (await (await fetch(`${base}/portal/api/search?q=${encodeURIComponent('how do I get a refund for my order')}`)).json()) as { articles: Array<{ slug: string }> };
    expect(sentence.articles[0]!.slug).toBe('refunds');
    expect(sentence.articles.length).toBeLessThanOrEqual(5);

    const many = (await (await fetch(`${base}/portal/api/search?q=a`)).json()) as { articles: unknown[] };
    expect(many.articles.length).toBe(5);
    const none = (await (await fetch(`${base}/portal/api/search?q=xylophonequartz`)).json()) as { articles: unknown[] };
    expect(none.articles).toEqual([]);
  });

  it('shows search results as a page with the matched words marked', async () => {
    const res = await fetch(`${base}/portal/search?q=invoic`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/results? for “invoic”/);
    expect(html).toContain('href="/portal/articles/download-invoices"');
    expect(html).toMatch(/<mark>invoices?<\/mark>/i);
    const empty = await (await fetch(`${base}/portal/search?q=${encodeURIComponent('<i>qwxzv</i>')}`)).text();
    expect(empty).toContain('No articles match “&lt;i&gt;qwxzv&lt;/i&gt;”');
    expect(empty).not.toContain('<i>');
  });

  it('remembers which articles the widget suggested to a visitor', async () => {
    await fetch(`${base}/portal/api/search?q=refund&visitor=vis-suggest`);
    await fetch(`${base}/portal/api/search?q=refunds&visitor=vis-suggest`);
    const rows = hub.context.db.prepare(`SELECT slug, impressions FROM portal_suggestions WHERE visitor_id = 'vis-suggest' AND slug = 'refunds'`).all();
    expect(rows).toEqual([{ slug: 'refunds', impressions: 2 }]);
  });

  it('counts an article view for the visitor the widget names and keeps the visitor in a cookie', async () => {
    const res = await fetch(`${base}/portal/articles/two-factor-authentication?visitor=vis-cookie`);
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^omni_visitor=vis-cookie; /);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/HttpOnly/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
    expect(csp).toContain("style-src 'self'");
    const html = await res.text();
    expect(html).toContain('<h1 id="article-title">Setting up two-factor authentication (2FA)</h1>');
    expect(html).toContain('<main id="main"');
    expect(views('vis-cookie')).toEqual([{ slug: 'two-factor-authentication', at: T0 }]);

    // A reload with the cookie is the same view; after half an hour it is a new one.
    const again = await fetch(`${base}/portal/articles/two-factor-authentication`, { headers: { cookie: 'omni_visitor=vis-cookie' } });
    expect(again.headers.get('set-cookie')).toBeNull();
    expect(views('vis-cookie')).toHaveLength(1);
    clock = T0 + 31 * MIN;
    await fetch(`${base}/portal/articles/two-factor-authentication`, { headers: { cookie: 'omni_visitor=vis-cookie' } });
    expect(views('vis-cookie')).toHaveLength(2);
    clock = T0;
  });

  it('gives a first-time reader a visitor cookie of their own', async () => {
    const res = await fetch(`${base}/portal/articles/shipping-times`);
    const id = /^omni_visitor=([^;]+);/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(views(id!)).toEqual([{ slug: 'shipping-times', at: T0 }]);
  });

  it('shows raw HTML of an article file as text and drops javascript: links', async () => {
    const html = await (await fetch(`${base}/portal/articles/hostile`)).text();
    expect(html).toContain('Hostile &lt;b&gt;article&lt;/b&gt;');
    expect(html).toMatch(/&lt;script&gt;alert\(.kb.\)&lt;\/script&gt;/);
    expect(html).not.toMatch(/<script|href="javascript:/i);
  });

  it('serves its stylesheet as a file and answers an unknown article with a 404 page', async () => {
    const css = await fetch(`${base}/portal/assets/portal.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const missing = await fetch(`${base}/portal/articles/no-such-article`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('text/html');
    expect(await missing.text()).toContain('Page not found');
    expect(views('nobody')).toEqual([]);
  });

  it('lists popular articles on the home page, most viewed first', async () => {
    const html = await (await fetch(`${base}/portal`)).text();
    expect(html).toContain('How can we help?');
    expect(html).toMatch(/<form class="hero-search" role="search" action="\/portal\/search"/);
    expect(html).toContain('<label class="visually-hidden" for="q">');
    const popular = html.slice(html.indexOf('id="popular-title"'), html.indexOf('id="topics-title"'));
    expect(popular.indexOf('two-factor-authentication')).toBeGreaterThan(-1);
    expect(popular.indexOf('two-factor-authentication')).toBeLessThan(popular.indexOf('/portal/articles/refunds"') === -1 ? Infinity : popular.indexOf('/portal/articles/refunds"'));
  });

  it('counts a view as not deflected when the visitor starts a chat within the window, and as deflected when nobody wrote', async () => {
    clock = T0 + 2 * HOUR;
    await fetch(`${base}/portal/articles/refunds?visitor=vis-writes`);
    await fetch(`${base}/portal/articles/cancel-subscription?visitor=vis-reads`);
    const from = `?from=${T0 + 2 * HOUR}&to=${T0 + 3 * HOUR}`;

    let report = await deflection(from);
    expect(report).toMatchObject({ views: 2, pending: 2, deflected: 0, notDeflected: 0, rate: null });

    clock = T0 + 4 * HOUR;
    expect(chatFrom('vis-writes', clock, 1).duplicate).toBe(false);
    report = await deflection(from);
    expect(report).toMatchObject({ views: 2, pending: 1, notDeflected: 1, deflected: 0 });

    // The window (24 h by default) passes for the silent reader.
    clock = T0 + 2 * HOUR + 24 * HOUR + 1;
    report = await deflection(from);
    expect(report).toMatchObject({ views: 2, pending: 0, notDeflected: 1, deflected: 1, rate: 0.5, windowMs: 24 * HOUR });
    expect(report.topArticles).toEqual([
      expect.objectContaining({ slug: 'cancel-subscription', title: 'Cancelling your subscription', deflected: 1, rate: 1, url: `${base}/portal/articles/cancel-subscription` }),
    ]);

    // A chat a visitor started before reading does not count against the article.
    clock = T0 + 30 * HOUR;
    chatFrom('vis-late', clock, 1);
    clock += MIN;
    await fetch(`${base}/portal/articles/refunds?visitor=vis-late`);
    clock += 25 * HOUR;
    const late = await deflection(`?from=${T0 + 30 * HOUR}&to=${T0 + 31 * HOUR}`);
    expect(late).toMatchObject({ views: 1, deflected: 1, notDeflected: 0 });
    clock = T0;
  });

  it('lets only supervisors and admins read the deflection report', async () => {
    const anonymous = await fetch(`${base}/portal/api/deflection`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await anonymous.json()).toMatchObject({ code: 'portal/unauthorized' });

    const stale = await fetch(`${base}/portal/api/deflection`, { headers: { authorization: 'Bearer not-a-session' } });
    expect(stale.status).toBe(401);

    const agent = await fetch(`${base}/portal/api/deflection`, { headers: { authorization: `Bearer ${agentToken}` } });
    expect(agent.status).toBe(403);
    expect(await agent.json()).toEqual({ code: 'portal/forbidden', message: 'Only supervisors and admins can read the deflection report.' });

    const report = await deflection('?from=2026-03-01&to=2026-03-04');
    expect(report.from).toBe(Date.UTC(2026, 2, 1));
    const backwards = await fetch(`${base}/portal/api/deflection?from=2026-03-04&to=2026-03-01`, { headers: { authorization: `Bearer ${supervisorToken}` } });
    expect(backwards.status).toBe(400);
    expect(await backwards.json()).toMatchObject({ code: 'portal/invalid-range' });
  });

  it('records whether an article helped, from the widget and from the page', async () => {
    const api = await fetch(`${base}/portal/api/helpful`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ slug: 'refunds', visitor: 'vis-fb', helpful: true }) });
    expect(api.status).toBe(200);
    expect(await api.json()).toEqual({ recorded: true });

    const form = await fetch(`${base}/portal/articles/refunds/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'omni_visitor=vis-fb' },
      body: 'helpful=no',
      redirect: 'manual',
    });
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe('/portal/articles/refunds?feedback=thanks');
    expect(hub.context.db.prepare(`SELECT helpful FROM portal_feedback WHERE visitor_id = 'vis-fb' AND slug = 'refunds'`).pluck().all()).toEqual([0]);
    const thanks = await (await fetch(`${base}/portal/articles/refunds?feedback=thanks`, { headers: { cookie: 'omni_visitor=vis-fb' } })).text();
    expect(thanks).toContain('Thanks for your feedback!');
  });

  it('answers bad input with a code and a sentence, and stores nothing', async () => {
    const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
      fetch(`${base}/portal/api/helpful`, { method: 'POST', headers, body });
    const feedbackRows = () => hub.context.db.prepare('SELECT count(*) FROM portal_feedback').pluck().get();
    const before = feedbackRows();

    const malformed = await post('{"slug": "refunds", ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ code: 'portal/malformed-json', message: 'The request body is not valid JSON.' });

    const invalid = await post(JSON.stringify({ slug: 'refunds', visitor: 'bad visitor id', helpful: 'yes' }));
    expect(invalid.status).toBe(400);
    const invalidBody = (await invalid.json()) as { code: string; message: string };
    expect(invalidBody.code).toBe('portal/invalid-request');
    expect(invalidBody.message).toMatch(/visitor/);
    expect(invalidBody.message).toMatch(/helpful/);

    const unknown = await post(JSON.stringify({ slug: 'no-such-article', visitor: 'v1', helpful: true }));
    expect(unknown.status).toBe(404);

    const huge = await post(' '.repeat(64 * 1024));
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ code: 'portal/body-too-large' });

    // Without a declared length the body is cut off at the limit as it streams in.
    const chunk = new TextEncoder().encode(' '.repeat(4096));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 32) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const streamed = await fetch(`${base}/portal/api/helpful`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);

    const wrongMethod = await fetch(`${base}/portal/api/helpful`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');

    const longQuery = await fetch(`${base}/portal/api/search?q=${'a'.repeat(201)}`);
    expect(longQuery.status).toBe(400);
    expect(await longQuery.json()).toMatchObject({ code: 'portal/query-too-long' });
    const longPage = await fetch(`${base}/portal/search?q=${'a'.repeat(201)}`);
    expect(longPage.status).toBe(400);
    expect(await longPage.text()).toContain('at most 200 characters');

    const badVisitor = await fetch(`${base}/portal/api/search?q=refund&visitor=${encodeURIComponent('<x>')}`);
    expect(badVisitor.status).toBe(400);

    const preflight = await fetch(`${base}/portal/api/helpful`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('Content-Type');

    const noApi = await fetch(`${base}/portal/api/nothing`);
    expect(noApi.status).toBe(404);
    expect(await noApi.json()).toMatchObject({ code: 'portal/not-found' });

    expect(feedbackRows()).toBe(before);
  });
});

describe('the knowledge-base index', () => {
  it('is rebuilt at start only when the article files changed', () => {
    const tmp = tempDir('omni-portal-index-');
    try {
      const kb = path.join(tmp.dir, 'kb');
      fs.mkdirSync(kb);
      const write = (name: string, title: string, body: string) => fs.writeFileSync(path.join(kb, name), `---\ntitle: ${title}\nupdated: 2026-01-01\n---\n${body}\n`);
      write('parcels.md', 'Lost parcels', 'What to do about a parcel that never arrived.');
      write('vouchers.md', 'Gift vouchers', 'Redeem a voucher at checkout.');
      const start = () => {
        const db = openHubDatabase(path.join(tmp.dir, 'hub.sqlite'));
        const portal = new Portal({ db, config: PortalConfig.parse({ articlesDir: kb }), now: () => T0, log: recordingLog(), publicUrl: () => 'http://127.0.0.1:1' });
        return { db, portal, report: portal.sync() };
      };

      let s = start();
      expect(s.report).toMatchObject({ changed: true, articles: 2, problems: [] });
      expect(s.portal.search('parc', 5).map((h) => h.slug)).toEqual(['parcels']);
      s.db.close();

      s = start();
      expect(s.report).toMatchObject({ changed: false, articles: 2 });
      s.db.close();

      write('vouchers.md', 'Gift vouchers', 'Redeem a voucher at checkout, or combine it with your loyalty points.');
      fs.rmSync(path.join(kb, 'parcels.md'));
      s = start();
      expect(s.report).toMatchObject({ changed: true, articles: 1 });
      expect(s.portal.search('loyal', 5).map((h) => h.slug)).toEqual(['vouchers']);
      expect(s.portal.search('parcel', 5)).toEqual([]);
      expect(s.portal.article('parcels')).toBeNull();

      // An article kept in the hub survives syncs, and a file cannot take its slug.
      s.portal.store.saveArticle({ slug: 'store-only', title: 'Opening hours', summary: null, tags: [], bodyMarkdown: 'We answer 9–5.', bodyHtml: '<p>We answer 9–5.</p>', bodyText: 'We answer 9–5.', updatedAt: T0 }, T0);
      write('store-only.md', 'Impostor', 'A file with the slug of a stored article.');
      s.db.close();
      s = start();
      expect(s.report.problems).toEqual([expect.objectContaining({ file: 'store-only.md', code: 'portal/duplicate-slug' })]);
      expect(s.portal.article('store-only')).toMatchObject({ title: 'Opening hours', source: 'store' });
      expect(s.portal.search('hours', 5).map((h) => h.slug)).toEqual(['store-only']);
      s.db.close();
    } finally {
      tmp.remove();
    }
  });
});

describe('the portal among the product modules', () => {
  it('serves the shipped knowledge base from kb/ when nothing else is configured', async () => {
    const started = await startHub();
    try {
      const res = await fetch(`${started.url}/portal/api/search?q=refund`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { articles: Array<{ slug: string }> };
      expect(body.articles[0]?.slug).toBe('refunds');
      expect((await fetch(`${started.url}/portal`)).status).toBe(200);
    } finally {
      await started.close();
    }
  });
});
