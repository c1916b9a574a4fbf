// Two desktops of one team watch the same support mailbox (a real Dovecot) and share a real hub:
// a new customer email is announced by both, the hub keeps one conversation for its Message-ID and
// offers it to exactly one agent.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/config';
import { createCore, type Core } from '../../src/main/core';
import { EncryptedFileSecretStore } from '../../src/main/secrets';
import { startDovecot, type Dovecot } from '../helpers/dovecot';
import { agentSession, startHub, type StartedHub } from '../helpers/hub';
import { tempDir } from '../helpers/tempDir';

const PASSWORD = 'Team-Mailbox-Passw0rd';
const tmp = tempDir('omni-announce-');
let dovecot: Dovecot;
let hub: StartedHub;
const desks: Core[] = [];

async function call<T>(core: Core, method: string, input: unknown): Promise<T> {
  const result = await core.dispatch(method, input, { transport: 'direct' });
  if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

async function waitFor<T>(what: string, check: () => T | null | undefined | false, timeoutMs = 15_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}.\n${hub.logs.slice(-10).join('\n')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  dovecot = await startDovecot({ users: [{ user: 'team', password: PASSWORD }] });
  hub = await startHub({ config: { offerTimeoutMs: 60_000 } });
  for (const name of ['ana', 'ben']) {
    const session = await agentSession(hub, { username: name, displayName: name });
    const dataDir = path.join(tmp.dir, name);
    const config = loadConfig({ argv: ['--data-dir', dataDir, '--no-demo', '--no-auto-reply'], env: {} });
    const core = createCore(config, {
      mode: 'headless',
      log: () => {},
      secrets: new EncryptedFileSecretStore({ file: path.join(dataDir, 'secrets.enc') }),
      mail: { backoff: { initialMs: 50, maxMs: 400, authFailureMs: 400 }, session: { autoIdleDelayMs: 200 } },
      hub: { url: hub.url, token: session.token, embedded: false },
    });
    desks.push(core);
    await call(core, 'saveMailAccount', {
      name: 'Team inbox',
      address: 'team@omni.test',
      imap: { host: '127.0.0.1', port: dovecot.imapPort, tls: 'none' },
      smtp: { host: '127.0.0.1', port: 2525, tls: 'none' },
      username: 'team',
      auth: 'password',
      secret: PASSWORD,
      syncDays: 30,
    });
  }
  for (const core of desks) await waitFor('the mailbox to connect', () => core.mail.accounts()[0]?.status === 'idle');
  for (const core of desks) await waitFor('the desktop to reach the hub', () => core.hub.status().state === 'online');
});

afterAll(async () => {
  for (const core of desks) await core.close();
  await hub?.close();
  await dovecot?.stop();
  tmp.remove();
});

describe('a new customer email on a shared mailbox', () => {
  it('is announced by both desktops and offered by the hub to exactly one agent', async () => {
    const messageId = `<late-parcel-${Date.now()}@customer.example>`;
    await dovecot.deliver(
      [
        'From: Priya Customer <priya@customer.example>',
        'To: Team <team@omni.test>',
        'Subject: My parcel is late',
        `Message-ID: ${messageId}`,
        `Date: ${new Date().toUTCString()}`,
        '',
        'It was due on Monday.',
        '',
      ].join('\r\n'),
      'team',
    );
    // Both desktops store it locally (each keeps working offline) ...
    for (const core of desks) await waitFor('the email in the local queue', () => core.repo.activeQueue().some((i) => i.subject === 'My parcel is late'));
    // ... and the hub keeps one conversation for the Message-ID, offered once.
    const db = hub.hub.context.db;
    const conversations = await waitFor('the announced conversation', () => {
      const rows = db.prepare('SELECT id FROM conversations WHERE email_message_id = ?').all(messageId) as Array<{ id: number }>;
      return rows.length > 0 ? rows : null;
    });
    await waitFor('the offer', () => (db.prepare('SELECT count(*) AS n FROM offers WHERE conversation_id = ?').get(conversations[0]!.id) as { n: number }).n > 0);
    // Give the second announcement time to arrive, then count.
    await new Promise((r) => setTimeout(r, 500));
    expect(db.prepare('SELECT count(*) AS n FROM conversations WHERE email_message_id = ?').get(messageId)).toEqual({ n: 1 });
    const offers = db.prepare('SELECT count(*) AS n FROM offers WHERE conversation_id = ?').get(conversations[0]!.id) as { n: number };
    expect(offers.n).toBe(1);
  });
});
