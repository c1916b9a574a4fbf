// The desktop contract on a real core and SQLite file: links parsed by main and resolved to the
// customer whose conversation they open, the layout remembered across a restart, and the update
// requests in the headless mode — off with the reason, or with OMNI_TEST_UPDATER=1 the real updater
// and state machine over the test feed, never restarting during a call.
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/config';
import { createCore, type Core } from '../../src/main/core';
import { HEADLESS_UPDATES_OFF } from '../../src/main/desktop/desktopService';
import { headlessDesktop } from '../../src/main/headless/desktopHook';
import type { EventName } from '../../src/shared/contract';
import { tempDir } from '../helpers/tempDir';

const tmp = tempDir('omni-desktop-');
const T0 = Date.UTC(2025, 4, 5, 9);
let core: Core | null = null;
const stops: Array<() => void> = [];

type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
const call = async <T>(method: string, input: unknown) => (await core!.dispatch(method, input, { transport: 'direct' })) as Result<T>;
async function ok<T>(method: string, input: unknown): Promise<T> {
  const r = await call<T>(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
  return r.value;
}

function open(dir: string, desktop?: Parameters<typeof createCore>[1]['desktop']): Core {
  const config = loadConfig({ argv: ['--data-dir', path.join(tmp.dir, dir), '--no-demo', '--port', '0'], env: {} });
  core = createCore(config, { mode: 'headless', log: () => {}, mail: false, now: () => T0, ...(desktop ? { desktop } : {}) });
  return core;
}

afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  await core?.close();
  core = null;
});
afterAll(() => tmp.remove());

describe('the language for the app\'s next start', () => {
  it('is kept by the desktop app\'s shell, and not used in the headless mode (a browser follows its own)', async () => {
    const kept: string[] = [];
    open('language-app', { rememberLanguage: (language) => kept.push(language) });
    expect(await ok('rememberLanguage', { language: 'de' })).toEqual({ remembered: true });
    expect(kept).toEqual(['de']);
    expect(await call('rememberLanguage', { language: 'Deutsch!' })).toMatchObject({ ok: false, error: { code: 'rpc/invalid-input' } });
    await core!.close();
    open('language-headless', headlessDesktop({}, () => {}).hook);
    expect(await ok('rememberLanguage', { language: 'de' })).toEqual({ remembered: false });
  });
});

describe('links', () => {
  it('a case link resolves to its customer; an unknown case, a bad link and a mailto: without a customer say why', async () => {
    const c = open('links');
    const customerId = c.repo.insertCustomer({
      name: 'Rae Lind', company: null, title: null, tier: 'standard', vip: false, healthScore: null, language: 'en', timezone: null, preferredChannel: 'email', createdAt: T0,
      identities: [{ kind: 'email', value: 'Rae.Lind@example.com', display: 'Rae', verified: true, source: 'test', firstSeenAt: T0, lastSeenAt: T0 }],
    });
    const caseId = c.repo.insertCase({
      customerId, subject: 'Invoice', status: 'open', priority: 'normal', issueType: 'billing', channel: 'email', originChannel: 'email',
      assignedAgentId: null, createdAt: T0, updatedAt: T0, waitingSince: T0, firstResponseAt: null, slaDueAt: null, resolvedAt: null, resolutionCode: null, csatScore: null,
    });
    expect(await ok('openLink', { url: `omni://case/${caseId}` })).toEqual({ link: { kind: 'case', caseId }, customerId });
    expect(await ok('openLink', { url: 'mailto:rae.lind@example.com?subject=Hello' })).toMatchObject({ link: { kind: 'email', to: ['rae.lind@example.com'], subject: 'Hello' }, customerId });
    expect(await ok('openLink', { url: 'mailto:nobody@example.com' })).toMatchObject({ customerId: null });
    expect(await ok('openLink', { url: 'tel:+1 415 555 0142' })).toMatchObject({ link: { kind: 'call', number: '+14155550142' }, customerId: null });
    expect(await call('openLink', { url: 'omni://case/999' })).toEqual({ ok: false, error: { code: 'not-found', message: 'The link names case #999, which is not on this desktop.', key: 'linkCaseNotHere', params: { caseId: 999 } } });
    const bad = await call('openLink', { url: 'javascript:alert(1)' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'link/unsupported' } });
    expect(await ok('resolveLink', { link: { kind: 'case', caseId } })).toEqual({ customerId });
  });
});

describe('the layout', () => {
  it('zoom and pane widths are remembered across a restart; out-of-range values are refused with nothing saved', async () => {
    open('layout');
    expect(await ok('desktopLayout', {})).toEqual({ zoom: 1, queueWidth: null, profileWidth: null });
    await ok('saveDesktopLayout', { zoom: 1.2, queueWidth: 400 });
    const refused = await call('saveDesktopLayout', { zoom: 9 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'rpc/invalid-input' } });
    await core!.close();
    open('layout');
    expect(await ok('desktopLayout', {})).toEqual({ zoom: 1.2, queueWidth: 400, profileWidth: null });
    expect(await ok('saveDesktopLayout', { queueWidth: null, profileWidth: 300 })).toEqual({ zoom: 1.2, queueWidth: null, profileWidth: 300 });
  });
});

describe('updates in the headless mode', () => {
  it('are off, with the reason; restarting is refused with it', async () => {
    open('noupdates');
    expect(await ok('updateState', {})).toEqual({ phase: 'disabled', version: null, percent: null, banner: null, detail: HEADLESS_UPDATES_OFF.message });
    expect(await call('restartToUpdate', {})).toEqual({ ok: false, error: { code: 'not-found', message: HEADLESS_UPDATES_OFF.message, key: 'updatesHeadless', params: {} } });
  });

  it('with the test feed, the real state machine downloads, offers a restart, defers it during a call and installs after', async () => {
    const desktop = headlessDesktop({ OMNI_TEST_UPDATER: '1', OMNI_TEST_UPDATER_VERSION: '3.1.4' }, () => {});
    stops.push(desktop.stop);
    const c = open('testfeed', desktop.hook);
    const seen: Array<{ name: EventName; payload: unknown }> = [];
    c.subscribe((name, payload) => seen.push({ name, payload }));
    desktop.start((name, payload) => c.emit(name, payload));
    await expect.poll(async () => (await ok<{ phase: string }>('updateState', {})).phase).toBe('downloaded');
    expect(seen.filter((e) => e.name === 'updateStateChanged').map((e) => (e.payload as { phase: string }).phase)).toEqual(['checking', 'available', 'downloading', 'downloaded']);
    expect(await ok('updateState', {})).toMatchObject({ version: '3.1.4', banner: { text: 'Omni Desk 3.1.4 is ready.', action: 'restart' } });

    expect(await ok('setCallActive', { active: true })).toMatchObject({ banner: { action: null, text: expect.stringContaining('after your call') } });
    expect(await ok('restartToUpdate', {})).toMatchObject({ phase: 'downloaded', banner: { text: 'Omni Desk 3.1.4 will be installed when your call ends.' } });
    expect(await ok('setCallActive', { active: false })).toMatchObject({ phase: 'installing' });
  });
});
