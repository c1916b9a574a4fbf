// The mail side wired into the core against a real Dovecot: a mailbox saved through the contract
// connects, a delivered customer email reaches the queue and the timeline as events, a refused
// password is a readable status while everything else keeps answering, the HTML and its cid image
// are served, and the password is never in the SQLite file.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/config';
import { createCore, type Core } from '../../src/main/core';
import { startHeadlessServer, type HeadlessServer } from '../../src/main/headless/server';
import { EncryptedFileSecretStore } from '../../src/main/secrets';
import type { EventName } from '../../src/shared/contract';
import { startDovecot, type Dovecot } from '../helpers/dovecot';
import { tempDir } from '../helpers/tempDir';

let dovecot: Dovecot;
let core: Core;
let server: HeadlessServer;
const tmp = tempDir('omni-mailwiring-');
const events: Array<{ name: EventName; payload: unknown; at: number }> = [];
const PASSWORD = 'Sup3r-Secret-Passw0rd-xyz';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

beforeAll(async () => {
  dovecot = await startDovecot({ users: [{ user: 'help', password: PASSWORD }] });
  const config = loadConfig({ argv: ['--data-dir', path.join(tmp.dir, 'data'), '--no-demo', '--port', '0'], env: {} });
  core = createCore(config, {
    mode: 'headless',
    log: () => {},
    secrets: new EncryptedFileSecretStore({ file: path.join(tmp.dir, 'data', 'secrets.enc') }),
    mail: { backoff: { initialMs: 50, maxMs: 400, authFailureMs: 400 }, session: { autoIdleDelayMs: 200 } },
  });
  core.subscribe((name, payload) => events.push({ name, payload, at: Date.now() }));
  const rendererDir = path.join(tmp.dir, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>x</title>');
  server = await startHeadlessServer({ core, host: '127.0.0.1', port: 0, rendererDir });
});

afterAll(async () => {
  await server?.close();
  await core?.close();
  await dovecot?.stop();
  tmp.remove();
});

async function call<T>(method: string, input: unknown): Promise<T> {
  const result = await core.dispatch(method, input, { transport: 'direct' });
  if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

function account(over: Record<string, unknown> = {}) {
  return {
    name: 'Help desk',
    address: 'help@omni.test',
    imap: { host: '127.0.0.1', port: dovecot.imapPort, tls: 'none' },
    smtp: { host: '127.0.0.1', port: 2525, tls: 'none' },
    username: 'help',
    auth: 'password',
    secret: PASSWORD,
    syncDays: 30,
    ...over,
  };
}

function htmlMail(subject: string, messageId: string): string {
  return [
    'From: Priya Customer <priya@customer.example>',
    'To: Help <help@omni.test>',
    `Subject: ${subject}`,
    `Message-ID: ${messageId}`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/related; boundary="rel"',
    '',
    '--rel',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<html><body><h1>Order 4711 is late</h1><p>See the <b>photo</b>: <img src="cid:photo@customer.example" alt="photo"></p></body></html>',
    '--rel',
    'Content-Type: image/png; name="photo.png"',
    'Content-Transfer-Encoding: base64',
    'Content-ID: <photo@customer.example>',
    'Content-Disposition: inline; filename="photo.png"',
    '',
    PNG.toString('base64'),
    '--rel--',
    '',
  ].join('\r\n');
}

async function waitFor<T>(what: string, check: () => T | null | undefined | false, timeoutMs = 10_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}.\n${dovecot.logTail(20)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('mail accounts wired into the core', () => {
  let accountId = 0;

  it('saves a mailbox, connects it, and delivers a customer email into the queue within 2 s', async () => {
    const saved = await call<{ id: number; hasSecret: boolean }>('saveMailAccount', account());
    accountId = saved.id;
    expect(saved.hasSecret).toBe(true);
    expect(JSON.stringify(saved)).not.toContain(PASSWORD);
    await waitFor('the mailbox to connect', () => core.mail.getAccount(accountId)?.status === 'idle');
    const list = await call<{ accounts: Array<{ id: number; status: string; connected: boolean }> }>('mailAccounts', {});
    expect(list.accounts).toEqual([expect.objectContaining({ id: accountId, status: 'idle', connected: true })]);
    expect(JSON.stringify(list)).not.toContain(PASSWORD);
    expect(events.some((e) => e.name === 'mailAccountChanged')).toBe(true);

    const subject = `Order 4711 is late ${Date.now()}`;
    const delivered = Date.now();
    await dovecot.deliver(htmlMail(subject, `<late-${delivered}@customer.example>`), 'help');
    const appended = await waitFor('timelineAppended', () =>
      events.find((e) => e.at >= delivered && e.name === 'timelineAppended' && (e.payload as { event: { subject: string } }).event.subject === subject),
    );
    expect(appended.at - delivered).toBeLessThan(2_000);
    await waitFor('queueChanged', () => events.find((e) => e.at >= delivered && e.name === 'queueChanged'));

    const queue = await call<{ items: Array<{ subject: string; customerName: string }> }>('queueSnapshot', {});
    expect(queue.items).toEqual(expect.arrayContaining([expect.objectContaining({ subject })]));

    const eventId = (appended.payload as { event: { id: number } }).event.id;
    const content = await call<{ html: string; sender: string; remoteContentAllowed: boolean; attachments: Array<{ sha256: string; contentId: string; inline: boolean; filename: string }> }>(
      'emailContent',
      { eventId },
    );
    expect(content.html).toContain('<h1>Order 4711 is late</h1>');
    expect(content.sender).toBe('priya@customer.example');
    expect(content.remoteContentAllowed).toBe(false);
    expect(content.attachments).toEqual([expect.objectContaining({ filename: 'photo.png', contentId: 'photo@customer.example', inline: true })]);

    // The cid image at /attachments/<sha256>: inline, typed, never sniffed; unknown hashes are 404s.
    const image = await get(`${server.url}/attachments/${content.attachments[0]!.sha256}`);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.headers['x-content-type-options']).toBe('nosniff');
    expect(image.headers['content-disposition']).toMatch(/^inline; filename="photo.png"/);
    expect(image.body.equals(PNG)).toBe(true);
    expect((await get(`${server.url}/attachments/${'0'.repeat(64)}`)).status).toBe(404);
    expect((await get(`${server.url}/attachments/..%2Fomni-desk.sqlite`)).status).toBe(404);

    await call('allowRemoteContent', { sender: 'Priya@Customer.example' });
    expect((await call<{ remoteContentAllowed: boolean }>('emailContent', { eventId })).remoteContentAllowed).toBe(true);

    // Opening the email marked it \Seen on the server.
    await waitFor('\\Seen on the server', () => core.mail.locateEvent(eventId)?.flags.includes('\\Seen'));
  });

  it('lists the mails it did not import, newest first, with their reasons keyed; refuses a bad account id', async () => {
    const sent = Date.now();
    const loop = ['From: Help <help@omni.test>', 'To: Help <help@omni.test>', 'Subject: our own auto-reply', `Message-ID: <loop-${sent}@omni.test>`, '', 'Thanks for writing.', ''].join('\r\n');
    const noSender = ['To: Help <help@omni.test>', 'Subject: who sent this', `Message-ID: <nobody-${sent}@customer.example>`, '', 'No From header.', ''].join('\r\n');
    await dovecot.deliver(loop, 'help');
    await dovecot.deliver(noSender, 'help');
    type Listed = { total: number; messages: Array<{ id: number; folder: string; uid: number; messageId: string | null; fromAddress: string | null; size: number | null; receivedAt: number; reason: string; reasonText: { key: string; params: Record<string, unknown> } | null }> };
    const listed = await waitFor('both mails quarantined', () => {
      const rows = core.mail.quarantinedMessages(accountId);
      return rows.length === 2 && rows;
    });
    expect(listed).toHaveLength(2);
    const result = await call<Listed>('quarantinedMail', { accountId });
    expect(result.total).toBe(2);
    // Newest first: the mail without a sender arrived last (a later UID in the same second breaks the tie).
    expect(result.messages.map((m) => m.messageId)).toEqual([`<nobody-${sent}@customer.example>`, `<loop-${sent}@omni.test>`]);
    const [nobody, own] = result.messages;
    expect(own).toMatchObject({
      folder: 'INBOX',
      fromAddress: 'help@omni.test',
      reason: 'Sent from the support address help@omni.test itself (our own mail or a loop); not a customer message.',
      reasonText: { key: 'quarantineOwnAddress', params: { address: 'help@omni.test' } },
    });
    expect(own!.uid).toBeGreaterThan(0);
    expect(own!.size).toBeGreaterThan(50);
    expect(nobody).toMatchObject({ fromAddress: null, reason: 'The sender could not be read: the message has no From address', reasonText: { key: 'quarantineNoSender', params: {} } });
    expect(nobody!.uid).toBeGreaterThan(own!.uid);

    for (const bad of [{ accountId: 0 }, { accountId: -1 }, { accountId: 1.5 }, { accountId: '1' }, {}, { accountId, extra: true }]) {
      const refused = await core.dispatch('quarantinedMail', bad, { transport: 'direct' });
      expect(refused.ok, JSON.stringify(bad)).toBe(false);
      if (!refused.ok) expect(refused.error.code).toBe('rpc/invalid-input');
    }
    const unknown = await core.dispatch('quarantinedMail', { accountId: accountId + 1000 }, { transport: 'direct' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not-found', key: 'mailAccountMissing' } });
  });

  it('shows a refused password on the account while the rest keeps answering', async () => {
    await call('saveMailAccount', { ...account({ secret: 'wrong-password' }), id: accountId });
    const failed = await waitFor('the error status', () => core.mail.getAccount(accountId)?.status === 'error' && core.mail.getAccount(accountId));
    expect(failed.statusDetail).toMatch(/password was not accepted by 127\.0\.0\.1/);
    const list = await call<{ accounts: Array<{ status: string; statusDetail: string }> }>('mailAccounts', {});
    expect(list.accounts[0]).toEqual(expect.objectContaining({ status: 'error', statusDetail: expect.stringMatching(/password was not accepted/) }));
    expect((await call<{ items: unknown[] }>('queueSnapshot', {})).items.length).toBeGreaterThan(0);
    const changed = events.filter((e) => e.name === 'mailAccountChanged').at(-1)!.payload as { account: { status: string } };
    expect(changed.account.status).toBe('error');

    // Back to the right password: connected again.
    await call('saveMailAccount', { ...account(), id: accountId });
    await waitFor('the mailbox to reconnect', () => core.supervisors.get(accountId)?.connected);
  });

  it('rejects invalid input with the field named', async () => {
    const result = await core.dispatch('saveMailAccount', account({ address: 'not-an-address', imap: { host: 'imap.example.com', port: 99999, tls: 'tls' } }), { transport: 'direct' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('rpc/invalid-input');
      expect(result.error.message).toMatch(/address/);
      expect(result.error.message).toMatch(/imap\.port/);
    }
  });

  it('keeps the password out of the SQLite file', () => {
    // The WAL and journal files count too.
    const dataDir = path.join(tmp.dir, 'data');
    for (const name of fs.readdirSync(dataDir).filter((n) => n.startsWith('omni-desk.sqlite'))) {
      const bytes = fs.readFileSync(path.join(dataDir, name));
      expect(bytes.includes(Buffer.from(PASSWORD)), name).toBe(false);
      expect(bytes.includes(Buffer.from('wrong-password')), name).toBe(false);
    }
    const secrets = fs.readFileSync(path.join(dataDir, 'secrets.enc'));
    expect(secrets.includes(Buffer.from(PASSWORD))).toBe(false);
  });

  it('deletes a mailbox and its secret', async () => {
    expect(await call('deleteMailAccount', { id: accountId })).toEqual({ deleted: true });
    expect(core.supervisors.has(accountId)).toBe(false);
    expect((await call<{ accounts: unknown[] }>('mailAccounts', {})).accounts).toEqual([]);
  });
});

function get(url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}
