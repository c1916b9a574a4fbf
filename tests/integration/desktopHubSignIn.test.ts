// Signing in to a team hub from the settings, on a real core (a SQLite file in a temp data dir, the
// built-in hub started by the switcher) and a real team hub: a refused sign-in changes nothing; an
// accepted one moves the live connection (the password in the secret store, never in SQLite) and
// offers arrive; "Use the built-in hub" goes back; a restart signs in again without asking.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/main/config';
import { createCore, type Core } from '../../src/main/core';
import { HUB_CHOICE_KEY } from '../../src/main/hub/hubChoice';
import { createHubSwitcher, type HubSwitcher } from '../../src/main/hub/hubSwitcher';
import { hubSecretRef } from '../../src/main/hub/remoteHub';
import { EncryptedFileSecretStore, type SecretStore } from '../../src/main/secrets';
import type { EventName, RequestName, RequestOutput } from '../../src/shared/contract';
import type { ErrorInfo } from '../../src/shared/errors';
import { agentSession, startHub, type StartedHub } from '../helpers/hub';
import { tempDir } from '../helpers/tempDir';
import { waitFor } from '../helpers/wait';

const PASSWORD = 'correct-horse-battery-staple-7';

interface Desk {
  core: Core;
  switcher: HubSwitcher;
  events: Array<{ name: EventName; payload: unknown }>;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A data directory, its configuration (built-in hub on a free port) and its secret store. */
function dataDir(): { config: Config; secrets: SecretStore; dir: string } {
  const tmp = tempDir('omni-hubsignin-');
  cleanups.push(() => tmp.remove());
  const dir = path.join(tmp.dir, 'data');
  const config = loadConfig({ argv: ['--data-dir', dir, '--no-demo', '--no-auto-reply', '--hub-port', '0'], env: {} });
  return { config, secrets: new EncryptedFileSecretStore({ file: path.join(dir, 'secrets.enc') }), dir };
}

async function startDesk(config: Config, secrets: SecretStore): Promise<Desk> {
  const switcher = createHubSwitcher(config.hub, { dataDir: config.dataDir, secrets });
  const core = createCore(config, { mode: 'headless', log: () => {}, secrets, mail: false, hub: switcher });
  const events: Desk['events'] = [];
  core.subscribe((name, payload) => events.push({ name, payload }));
  const desk = { core, switcher, events };
  cleanups.push(() => core.close());
  await core.hub.ready();
  return desk;
}

async function call<K extends RequestName>(desk: Desk, method: K, input: unknown): Promise<{ ok: true; value: RequestOutput<K> } | { ok: false; error: ErrorInfo }> {
  return (await desk.core.dispatch(method, input, { transport: 'direct' })) as { ok: true; value: RequestOutput<K> } | { ok: false; error: ErrorInfo };
}

async function value<K extends RequestName>(desk: Desk, method: K, input: unknown): Promise<RequestOutput<K>> {
  const result = await call(desk, method, input);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function teamHub(): Promise<StartedHub> {
  const started = await startHub({ config: { embedded: false, offerTimeoutMs: 60_000 } });
  cleanups.push(() => started.close());
  await agentSession(started, { username: 'sam', displayName: 'Sam Rivera', password: PASSWORD });
  return started;
}

const onTeamHub = (desk: Desk, url: string) =>
  waitFor('the desktop to be online on the team hub', () => {
    const s = desk.core.hub.status();
    return s.state === 'online' && !s.embedded && s.hubUrl === url && s.agent?.displayName === 'Sam Rivera';
  });

const onBuiltInHub = (desk: Desk) =>
  waitFor('the desktop to be online on the built-in hub', () => {
    const s = desk.core.hub.status();
    return s.state === 'online' && s.embedded && s.widgetDemoUrl !== null;
  });

/** Every byte SQLite wrote for the desktop (the file and its write-ahead log). */
function storeBytes(core: Core): Buffer {
  return Buffer.concat([core.dataFile, `${core.dataFile}-wal`, `${core.dataFile}-shm`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
}

let providerSeq = 0;
function customerWrites(started: StartedHub, text: string) {
  return started.hub.context.conversations.ingestInbound({
    channel: 'chat',
    providerId: `signin-msg-${++providerSeq}`,
    threadKey: `signin-thread-${providerSeq}`,
    contact: { address: `visitor-${providerSeq}`, displayName: 'Dana Whitfield', email: 'dana@example.com' },
    text,
    receivedAt: Date.now(),
  });
}

/** An HTTP server that is not a hub (a web page answering 404). */
async function notAHub(): Promise<string> {
  const server = http.createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<h1>Not found</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('signing in to a team hub from the settings', () => {
  it('a wrong password, an unreachable address or something that is not a hub is refused with a sentence and changes nothing', async () => {
    const started = await teamHub();
    const { config, secrets } = dataDir();
    const desk = await startDesk(config, secrets);
    await onBuiltInHub(desk);
    const builtIn = desk.core.hub.status().hubUrl;

    const wrong = await call(desk, 'signInToHub', { url: started.url, username: 'sam', password: 'not-the-password' });
    expect(wrong).toEqual({ ok: false, error: { code: 'hub/refused', message: 'The user name or password is wrong.', key: 'signInWrong', params: {} } });

    const unreachable = await call(desk, 'signInToHub', { url: `http://127.0.0.1:${await closedPort()}`, username: 'sam', password: PASSWORD });
    expect(unreachable.ok).toBe(false);
    if (!unreachable.ok) {
      expect(unreachable.error.code).toBe('hub/offline');
      expect(unreachable.error.message).toMatch(/could not be reached \(nothing is listening there\)/);
    }

    const webPage = await call(desk, 'signInToHub', { url: await notAHub(), username: 'sam', password: PASSWORD });
    expect(webPage.ok).toBe(false);
    if (!webPage.ok) {
      expect(webPage.error.code).toBe('config/invalid');
      expect(webPage.error.message).toMatch(/does not look like an Omni Desk hub/);
    }

    const notHttp = await call(desk, 'signInToHub', { url: 'ftp://hub.example.com', username: 'sam', password: PASSWORD });
    expect(notHttp.ok).toBe(false);
    if (!notHttp.ok) expect(notHttp.error.message).toMatch(/http:\/\/ or https:\/\//);

    // Nothing changed: the same built-in hub, no password, no settings row.
    const settings = await value(desk, 'hubSettings', {});
    expect(settings).toMatchObject({ mode: 'embedded', url: null, username: null, passwordStored: false, source: 'config', switchable: true });
    expect(settings.status).toMatchObject({ state: 'online', embedded: true, hubUrl: builtIn });
    expect(await secrets.get(hubSecretRef(started.url, 'sam'))).toBeNull();
    expect(desk.core.repo.getSetting(HUB_CHOICE_KEY)).toBeUndefined();
    expect(desk.switcher.embeddedRunning).toBe(true);
  });

  it('an accepted sign-in moves the live connection to the team hub, keeps the password out of SQLite, and the built-in hub is back on request', async () => {
    const started = await teamHub();
    const { config, secrets } = dataDir();
    const desk = await startDesk(config, secrets);
    await onBuiltInHub(desk);
    const builtIn = desk.core.hub.status().hubUrl!;

    const signedIn = await value(desk, 'signInToHub', { url: `${started.url}/`, username: ' sam ', password: PASSWORD });
    expect(signedIn).toMatchObject({ mode: 'team', url: started.url, username: 'sam', passwordStored: true, source: 'workspace' });
    await onTeamHub(desk, started.url);
    expect(desk.events.some((e) => e.name === 'hubStatusChanged' && (e.payload as { hubUrl: string | null }).hubUrl === started.url)).toBe(true);

    // The built-in hub was stopped when the desktop moved away from it.
    expect(desk.switcher.embeddedRunning).toBe(false);
    await expect(fetch(`${builtIn}/healthz`)).rejects.toThrow();

    // The password: in the secret store (encrypted), never in the desktop's SQLite file.
    expect(await secrets.get(hubSecretRef(started.url, 'sam'))).toBe(PASSWORD);
    // (The grep sees what was written: the choice row is there.)
    expect(storeBytes(desk.core).includes(`"url":"${started.url}"`)).toBe(true);
    expect(storeBytes(desk.core).includes(PASSWORD)).toBe(false);
    expect(fs.readFileSync(path.join(config.dataDir, 'secrets.enc')).includes(PASSWORD)).toBe(false);
    expect(desk.core.repo.getSetting(HUB_CHOICE_KEY)).toMatchObject({ mode: 'team', url: started.url, username: 'sam' });

    // A chat on the team hub is offered to this desktop.
    customerWrites(started, 'Where is my order?');
    const offered = await waitFor('an offer from the team hub', () => desk.events.find((e) => e.name === 'offerReceived'));
    const offerId = (offered.payload as { offer: { offerId: number; customerName: string } }).offer.offerId;
    expect((offered.payload as { offer: { customerName: string } }).offer.customerName).toBe('Dana Whitfield');
    expect((await value(desk, 'hubOffers', {})).offers.map((o) => o.offerId)).toEqual([offerId]);

    // Back to the built-in hub: started again, the team password forgotten, the team hub's offer withdrawn.
    const back = await value(desk, 'useBuiltInHub', {});
    expect(back).toMatchObject({ mode: 'embedded', url: null, username: null, passwordStored: false, source: 'workspace' });
    await onBuiltInHub(desk);
    expect(desk.switcher.embeddedRunning).toBe(true);
    // At the same address as before (a free port was asked for at start): the widget demo link stays valid.
    expect(desk.core.hub.status().hubUrl).toBe(builtIn);
    expect(await secrets.get(hubSecretRef(started.url, 'sam'))).toBeNull();
    expect(desk.events.some((e) => e.name === 'offerWithdrawn' && (e.payload as { offerId: number }).offerId === offerId)).toBe(true);
    expect((await value(desk, 'hubOffers', {})).offers).toEqual([]);
    const health = (await (await fetch(`${desk.core.hub.status().hubUrl}/healthz`)).json()) as { embedded: boolean };
    expect(health.embedded).toBe(true);
  });

  it('after a restart the desktop signs in to the team hub with the stored password, without asking', async () => {
    const started = await teamHub();
    const { config, secrets } = dataDir();
    const first = await startDesk(config, secrets);
    await value(first, 'signInToHub', { url: started.url, username: 'sam', password: PASSWORD });
    await onTeamHub(first, started.url);
    await first.core.close();

    const again = await startDesk(config, secrets);
    await onTeamHub(again, started.url);
    expect(again.switcher.embeddedRunning).toBe(false);
    const settings = await value(again, 'hubSettings', {});
    expect(settings).toMatchObject({ mode: 'team', url: started.url, username: 'sam', passwordStored: true, source: 'workspace' });

    // The stream resumes on the same local rows: a new chat is offered here.
    customerWrites(started, 'Is anyone there?');
    await waitFor('an offer after the restart', async () => (await value(again, 'hubOffers', {})).offers.length > 0);
  });
});
