// The app:// protocol serves the built workspace and nothing else: files under dist/renderer with
// their type and the CSP, a single-page fallback for routes, 404 for the rest, no way out of the root.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_SCHEME_REGISTRATION,
  createAppProtocolHandler,
  resolveAppPath,
} from '../../src/main/electron/appProtocol';
import { contentTypeFor } from '../../src/main/staticFiles';
import { contentSecurityPolicy } from '../../src/shared/csp';

describe('resolveAppPath (POSIX paths)', () => {
  const root = '/opt/omni/dist/renderer';

  it('maps the entry page and assets to files under the root', () => {
    expect(resolveAppPath(root, APP_ENTRY_URL, path.posix)).toBe('/opt/omni/dist/renderer/index.html');
    expect(resolveAppPath(root, 'app://omni/assets/index-3f2a.js', path.posix)).toBe('/opt/omni/dist/renderer/assets/index-3f2a.js');
    expect(resolveAppPath(root, 'app://omni/assets/font%20name.woff2?v=2#x', path.posix)).toBe('/opt/omni/dist/renderer/assets/font name.woff2');
  });

  it('answers routes without an extension with index.html', () => {
    expect(resolveAppPath(root, 'app://omni/', path.posix)).toBe('/opt/omni/dist/renderer/index.html');
    expect(resolveAppPath(root, 'app://omni', path.posix)).toBe('/opt/omni/dist/renderer/index.html');
    expect(resolveAppPath(root, 'app://omni/customers/42', path.posix)).toBe('/opt/omni/dist/renderer/index.html');
  });

  it('keeps dot segments inside the root, as the URL parser normalises them', () => {
    expect(resolveAppPath(root, 'app://omni/assets/../index.html', path.posix)).toBe('/opt/omni/dist/renderer/index.html');
    expect(resolveAppPath(root, 'app://omni/../../../etc/passwd.txt', path.posix)).toBe('/opt/omni/dist/renderer/etc/passwd.txt');
    expect(resolveAppPath(root, 'app://omni/%2e%2e/%2e%2e/etc/hosts.txt', path.posix)).toBe('/opt/omni/dist/renderer/etc/hosts.txt');
  });

  it.each([
    'app://omni/..%2f..%2f..%2fetc%2fpasswd',
    'app://omni/assets%2f..%2f..%2fsecret.js',
    'app://omni/%2e%2e%2fsecret.js',
    'app://omni/..%5c..%5csecret.js',
    'app://omni/a\\..\\..\\secret.js',
    'app://omni/%00.js',
    'app://omni/index.html%00.js',
    'app://omni/C:%5cWindows%5cwin.ini',
    'app://omni/c:/secret.js',
    'app://omni/.env',
    'app://omni/assets/.hidden.js',
    'app://omni/%E0%A4%A.js',
    'app://omni/CON.js',
    'app://omni/assets/nul.txt',
  ])('refuses %s', (url) => expect(resolveAppPath(root, url, path.posix)).toBeNull());

  it.each([
    'app://omni.evil/index.html',
    'app://omni@evil/index.html',
    'app://omni:1234/index.html',
    'file:///opt/omni/dist/renderer/index.html',
    'https://omni/index.html',
    'not a url',
  ])('refuses a URL that is not the app origin: %s', (url) => expect(resolveAppPath(root, url, path.posix)).toBeNull());
});

describe('resolveAppPath (Windows paths)', () => {
  const root = 'C:\\Program Files\\Omni Desk\\resources\\app.asar\\dist\\renderer';

  it('maps to files under the root', () => {
    expect(resolveAppPath(root, 'app://omni/assets/app.js', path.win32)).toBe(`${root}\\assets\\app.js`);
    expect(resolveAppPath(root, 'app://omni/queue', path.win32)).toBe(`${root}\\index.html`);
  });

  it.each(['app://omni/..%5C..%5C..%5Cwin.ini', 'app://omni/D:%5Csecret.js', 'app://omni/%5C%5Cserver%5Cshare.js', 'app://omni/index.html:stream.js'])(
    'refuses %s',
    (url) => expect(resolveAppPath(root, url, path.win32)).toBeNull(),
  );
});

describe('contentTypeFor', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['app.js', 'text/javascript; charset=utf-8'],
    ['app.CSS', 'text/css; charset=utf-8'],
    ['logo.svg', 'image/svg+xml'],
    ['ring.wav', 'audio/wav'],
    ['inter.woff2', 'font/woff2'],
    ['app.js.map', 'application/json; charset=utf-8'],
    ['blob.bin', 'application/octet-stream'],
  ])('%s is served as %s', (file, type) => expect(contentTypeFor(file)).toBe(type));
});

describe('the app:// handler', () => {
  let root: string;
  let handler: (request: Request) => Promise<Response>;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'omni-app-protocol-'));
    fs.mkdirSync(path.join(root, 'assets'));
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Omni Desk</title>');
    fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(root, '..', `${path.basename(root)}-secret.txt`), 'secret');
    handler = createAppProtocolHandler({ rootDir: root, log: () => {} });
  });
  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(path.join(root, '..', `${path.basename(root)}-secret.txt`), { force: true });
  });

  it('serves the entry page with its type and the workspace CSP', async () => {
    const response = await handler(new Request(APP_ENTRY_URL));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Omni Desk</title>');
  });

  it('serves assets as JavaScript', async () => {
    const response = await handler(new Request('app://omni/assets/app.js'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toBe('console.log(1)');
  });

  it('falls back to index.html for a route, but not for a missing file', async () => {
    const route = await handler(new Request('app://omni/customers/42'));
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('Omni Desk');
    const missing = await handler(new Request('app://omni/assets/missing.js'));
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
  });

  it('answers a directory with a 404, not a listing', async () => {
    fs.mkdirSync(path.join(root, 'dir.js'));
    expect((await handler(new Request('app://omni/dir.js'))).status).toBe(404);
  });

  it('never reads outside the root', async () => {
    const name = `${path.basename(root)}-secret.txt`;
    for (const url of [`app://omni/..%2f${name}`, `app://omni/../${name}`, `app://omni/%2e%2e/${name}`]) {
      const response = await handler(new Request(url));
      expect(response.status, url).toBe(404);
      expect(await response.text()).not.toContain('secret');
    }
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await handler(new Request(APP_ENTRY_URL, { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await handler(new Request(APP_ENTRY_URL, { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('reports an unreadable file as a 500', async () => {
    const failing = createAppProtocolHandler({
      rootDir: root,
      readFile: () => Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' })),
      log: () => {},
    });
    expect((await failing(new Request(APP_ENTRY_URL))).status).toBe(500);
  });
});

describe('the app:// scheme registration', () => {
  it('is standard, secure and fetchable, and does not bypass the CSP', () => {
    expect(APP_SCHEME_REGISTRATION.scheme).toBe('app');
    expect(APP_SCHEME_REGISTRATION.privileges).toMatchObject({ standard: true, secure: true, supportFetchAPI: true });
    expect(APP_SCHEME_REGISTRATION.privileges?.bypassCSP).not.toBe(true);
    expect(APP_SCHEME_REGISTRATION.privileges?.allowServiceWorkers).not.toBe(true);
  });
});
