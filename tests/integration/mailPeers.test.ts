// Proves the mail test peers with real clients: Dovecot reached over IMAP (imapflow) and LMTP,
// and the SMTP stand-in reached with nodemailer, delivering into Dovecot.
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectMailPeers, startSmtp, type MailPeers } from '../helpers/smtpServer';

function message(subject: string, to = 'support@omni.test'): string {
  return [
    'From: Dana Customer <dana@example.test>',
    `To: ${to}`,
    `Subject: ${subject}`,
    `Message-ID: <${subject.replace(/\W+/g, '-')}@example.test>`,
    'Date: Mon, 02 Mar 2026 09:00:00 +0000',
    '',
    'Hello, my order has not arrived.',
    '',
  ].join('\r\n');
}

function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms)),
  ]);
}

describe('the real mail peers used by the tests', () => {
  let peers: MailPeers;
  const clients: ImapFlow[] = [];

  async function imap(user: string, password: string): Promise<ImapFlow> {
    const client = new ImapFlow({
      host: peers.dovecot.host,
      port: peers.dovecot.imapPort,
      secure: false,
      auth: { user, pass: password },
      logger: false,
    });
    // A kicked or stopped session reports an error; the tests look at 'close' instead.
    client.on('error', () => undefined);
    clients.push(client);
    await client.connect();
    return client;
  }

  async function subjectsIn(user: string, password: string, mailbox = 'INBOX'): Promise<string[]> {
    const client = await imap(user, password);
    const lock = await client.getMailboxLock(mailbox);
    try {
      const subjects: string[] = [];
      for await (const msg of client.fetch('1:*', { envelope: true })) subjects.push(msg.envelope?.subject ?? '');
      return subjects;
    } finally {
      lock.release();
      await client.logout();
    }
  }

  function userNamed(name: string) {
    const found = peers.dovecot.users.find((u) => u.user === name);
    if (!found) throw new Error(`no test user ${name}`);
    return found;
  }

  function smtpTransport(port = peers.smtp.port) {
    return nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  }

  beforeAll(async () => {
    // Users made up front: Dovecot re-reads its passwd-file at most once a second, so addUser may wait.
    peers = await connectMailPeers({
      dovecot: {
        users: ['support', 'lmtp-reader', 'smtp-reader', 'idler', 'kicked', 'renumbered'].map((user) => ({ user, password: `${user}-pw` })),
      },
    });
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) {
      if (client.usable) await client.logout().catch(() => undefined);
      client.close();
    }
  });

  afterAll(async () => {
    await peers?.stop();
  });

  it('stores a message delivered over LMTP where IMAP fetches it', async () => {
    const { user, password } = userNamed('lmtp-reader');
    await peers.dovecot.deliver(message('Where is order 1001?', 'lmtp-reader@omni.test'), user);

    const client = await imap(user, password);
    const lock = await client.getMailboxLock('INBOX');
    try {
      const msg = await client.fetchOne('*', { envelope: true, source: true, flags: true });
      expect(msg && msg.envelope?.subject).toBe('Where is order 1001?');
      // A real delivery: Dovecot adds the trace headers.
      expect(msg && msg.source?.toString()).toMatch(/^Return-Path: <postmaster@omni\.test>/);
      expect(msg && msg.source?.toString()).toContain('Delivered-To: lmtp-reader@omni.test');
    } finally {
      lock.release();
    }
  });

  it('lets a user added while running log in and receive mail', async () => {
    const added = await peers.dovecot.addUser('late-joiner', 'late-pw');
    expect(added.address).toBe('late-joiner@omni.test');
    await peers.dovecot.deliver(message('Welcome aboard', added.address), added.address, { from: 'hr@omni.test' });
    expect(await subjectsIn(added.user, added.password)).toEqual(['Welcome aboard']);
  });

  it('delivers a message sent with nodemailer into the recipient INBOX', async () => {
    const { user, password } = userNamed('smtp-reader');
    const info = await smtpTransport().sendMail({
      from: 'agent@omni.test',
      to: 'smtp-reader@omni.test',
      subject: 'Your order is on its way',
      text: 'It shipped today.',
    });
    expect(info.accepted).toEqual(['smtp-reader@omni.test']);

    expect(await subjectsIn(user, password)).toEqual(['Your order is on its way']);
    const last = peers.smtp.received.at(-1);
    expect(last?.envelope).toEqual({ from: 'agent@omni.test', to: ['smtp-reader@omni.test'] });
    expect(last?.raw.toString()).toContain('Subject: Your order is on its way');
  });

  it('refuses unknown recipients, over-size messages and messages told to fail', async () => {
    const transport = smtpTransport();
    await expect(transport.sendMail({ from: 'a@omni.test', to: 'nobody@omni.test', text: 'x' })).rejects.toMatchObject({ responseCode: 550 });

    peers.smtp.failNext(1, 451);
    await expect(transport.sendMail({ from: 'a@omni.test', to: 'support@omni.test', subject: 'retry me', text: 'x' })).rejects.toMatchObject({
      responseCode: 451,
    });
    await transport.sendMail({ from: 'a@omni.test', to: 'support@omni.test', subject: 'retry me', text: 'x' });
    expect(peers.smtp.received.filter((m) => m.raw.toString().includes('Subject: retry me'))).toHaveLength(1);

    const small = await startSmtp({ sizeLimit: 1024, deliver: async () => undefined });
    try {
      await expect(
        smtpTransport(small.port).sendMail({ from: 'a@omni.test', to: 'support@omni.test', text: 'x'.repeat(4096) }),
      ).rejects.toMatchObject({ responseCode: 552 });
      expect(small.received).toHaveLength(0);
    } finally {
      await small.stop();
    }
  });

  it('advertises IDLE, CONDSTORE, QRESYNC, MOVE and the special-use folders', async () => {
    const { user, password } = userNamed('support');
    const client = await imap(user, password);
    for (const capability of ['IDLE', 'CONDSTORE', 'QRESYNC', 'MOVE', 'SPECIAL-USE']) {
      expect(client.capabilities.has(capability), capability).toBe(true);
    }
    const folders = await client.list();
    const specialUse = Object.fromEntries(folders.filter((f) => f.specialUse).map((f) => [f.specialUse, f.path]));
    expect(specialUse).toMatchObject({ '\\Sent': 'Sent', '\\Archive': 'Archive' });
  });

  it('tells an idling client about a new message within 2 s', async () => {
    const { user, password } = userNamed('idler');
    const client = await imap(user, password);
    await client.mailboxOpen('INBOX');
    const exists = new Promise<number>((resolve) => client.on('exists', (event: { count: number }) => resolve(event.count)));
    void client.idle();

    const started = Date.now();
    await peers.dovecot.deliver(message('New while idling', 'idler@omni.test'), user);
    expect(await within(2_000, 'EXISTS during IDLE', exists)).toBe(1);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('cuts a live IMAP session when the user is kicked', async () => {
    const { user, password } = userNamed('kicked');
    expect(await peers.dovecot.kickUser(user), 'no session to cut yet').toBe(false);
    const client = await imap(user, password);
    await client.mailboxOpen('INBOX');
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));

    expect(await peers.dovecot.kickUser(user)).toBe(true);
    await within(5_000, "the client's close event", closed);
    expect(client.usable).toBe(false);
  });

  it('shows a changed UIDVALIDITY to a fresh connection', async () => {
    const { user, password } = userNamed('renumbered');
    await peers.dovecot.deliver(message('Before renumbering', 'renumbered@omni.test'), user);
    const before = await imap(user, password);
    const status = await before.status('INBOX', { uidValidity: true });
    if (!status) throw new Error('STATUS INBOX failed');
    const first = status.uidValidity;
    await before.logout();

    const next = 4_000_000_000;
    expect(first).not.toBe(BigInt(next));
    await peers.dovecot.doveadm(['mailbox', 'update', '--uid-validity', String(next), 'INBOX', '-u', user]);

    const after = await imap(user, password);
    const mailbox = await after.mailboxOpen('INBOX');
    expect(mailbox.uidValidity).toBe(BigInt(next));
  });

  it('accepts mail again after the SMTP server is stopped and restarted on the same port', async () => {
    const { smtp } = peers;
    const port = smtp.port;
    const send = (subject: string) => smtpTransport(port).sendMail({ from: 'a@omni.test', to: 'support@omni.test', subject, text: 'x' });

    await send('before the outage');
    await smtp.stop();
    expect(smtp.listening).toBe(false);
    await expect(send('during the outage')).rejects.toMatchObject({ code: 'ESOCKET' });

    await smtp.start();
    await send('after the outage');
    expect(smtp.port).toBe(port);

    // A fresh server can take over the same port too.
    await smtp.stop();
    const replacement = await startSmtp({ port, deliver: async (raw, envelope) => peers.dovecot.deliver(raw, envelope.to[0]!) });
    try {
      await send('via the replacement');
      expect(replacement.received).toHaveLength(1);
    } finally {
      await replacement.stop();
      await smtp.start();
    }

    const subjects = await subjectsIn('support', 'support-pw');
    expect(subjects).toEqual(expect.arrayContaining(['before the outage', 'after the outage', 'via the replacement']));
    expect(subjects).not.toContain('during the outage');
  });
});
