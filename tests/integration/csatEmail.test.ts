// The email satisfaction survey end to end: a desktop on a real hub, its mailbox on a real Dovecot
// and SMTP server. Resolving the email case queues one survey email in the outbox, which the SMTP
// peer receives threaded to the customer's mail with the hub's rating links; a second resolve
// within the quiet days sends none; the customer's rating on the hub's page lands on the case (a
// `csat` timeline event and the case's score) and counts in the channel metrics.
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/config';
import { createCore, type Core } from '../../src/main/core';
import { EncryptedFileSecretStore } from '../../src/main/secrets';
import { metricsInput } from '../../src/main/store/metricsSource';
import type { EventName, MailAccountView } from '../../src/shared/contract';
import type { OfferView } from '../../src/shared/contractHub';
import type { TimelineEvent } from '../../src/shared/domain';
import { computeChannelMetrics } from '../../src/shared/metrics';
import { agentSession, startHub, type StartedHub } from '../helpers/hub';
import { connectMailPeers, type MailPeers } from '../helpers/smtpServer';
import { tempDir } from '../helpers/tempDir';

const PASSWORD = 'Survey-Mailbox-Passw0rd';
const tmp = tempDir('omni-csat-');
let peers: MailPeers;
let hub: StartedHub;
let core: Core;
const events: Array<{ name: EventName; payload: unknown }> = [];
const logs: string[] = [];

async function call<T>(method: string, input: unknown): Promise<T> {
  const result = await core.dispatch(method, input, { transport: 'direct' });
  if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

async function waitFor<T>(what: string, check: () => T | null | undefined | false | Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}.\n${logs.slice(-10).join('\n')}\n${hub.logs.slice(-10).join('\n')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  peers = await connectMailPeers({ dovecot: { users: [{ user: 'help', password: PASSWORD }, { user: 'priya', password: PASSWORD }] } });
  hub = await startHub({ config: { offerTimeoutMs: 60_000 } });
  const session = await agentSession(hub, { username: 'ana', displayName: 'Ana' });
  const dataDir = path.join(tmp.dir, 'desk');
  const config = loadConfig({ argv: ['--data-dir', dataDir, '--no-demo', '--no-auto-reply'], env: {} });
  core = createCore(config, {
    mode: 'headless',
    log: (line) => logs.push(line),
    secrets: new EncryptedFileSecretStore({ file: path.join(dataDir, 'secrets.enc') }),
    mail: { backoff: { initialMs: 50, maxMs: 400, authFailureMs: 400 }, session: { autoIdleDelayMs: 200 } },
    outbox: { pollMs: 100 },
    hub: { url: hub.url, token: session.token, embedded: false },
  });
  core.subscribe((name, payload) => events.push({ name, payload }));
  const account = await call<MailAccountView>('saveMailAccount', {
    name: 'Help desk',
    address: 'help@omni.test',
    imap: { host: '127.0.0.1', port: peers.dovecot.imapPort, tls: 'none' },
    smtp: { host: '127.0.0.1', port: peers.smtp.port, tls: 'none' },
    username: 'help',
    auth: 'password',
    secret: PASSWORD,
    archiveOnResolve: false,
  });
  await waitFor('the mailbox to connect', () => core.supervisors.get(account.id)?.connected);
  await waitFor('the desktop to reach the hub', () => core.hub.status().state === 'online');
});

afterAll(async () => {
  await core?.close();
  await hub?.close();
  await peers?.stop();
  tmp.remove();
});

const surveysTo = (address: string) => peers.smtp.received.filter((m) => m.envelope.to.includes(address) && m.raw.toString('utf8').includes('/csat/'));

/** A customer email, announced to the hub, accepted here: its case. */
async function acceptedEmailCase(subject: string, messageId: string): Promise<number> {
  await peers.dovecot.deliver(
    ['From: Priya Customer <priya@customer.example>', 'To: Help <help@omni.test>', `Subject: ${subject}`, `Message-ID: ${messageId}`, `Date: ${new Date().toUTCString()}`, 'Content-Type: text/plain; charset=utf-8', '', 'My parcel is late.', ''].join('\r\n'),
    'help',
  );
  const offer = await waitFor('the hub to offer the email', async () => (await call<{ offers: OfferView[] }>('hubOffers', {})).offers.find((o) => o.subject === subject));
  return (await call<{ caseId: number }>('acceptOffer', { offerId: offer.offerId })).caseId;
}

describe('the satisfaction survey of an email case', () => {
  const messageId = `<parcel-${Date.now()}@customer.example>`;
  let caseId = 0;
  let link = '';

  it('resolving the case sends one survey email, threaded to the customer mail, with five rating links to the hub', async () => {
    caseId = await acceptedEmailCase('Parcel 4711 is late', messageId);
    await call('resolveCase', { caseId });
    const survey = await waitFor('the survey email at the SMTP server', () => surveysTo('priya@customer.example')[0]);
    const mail = await simpleParser(survey.raw);
    expect(mail.inReplyTo).toBe(messageId);
    expect(mail.subject).toContain('Parcel 4711 is late');
    expect(mail.headers.get('auto-submitted')).toBe('auto-replied');
    const links = [...(mail.text ?? '').matchAll(/(http:\/\/\S+\/csat\/\S+)\?score=(\d)/g)];
    expect(links.map((m) => Number(m[2]))).toEqual([1, 2, 3, 4, 5]);
    link = links[0]![1]!;
    expect(link.startsWith(`${hub.url}/csat/`)).toBe(true);
    // Mail clients that show the HTML part get clickable links too.
    expect(mail.html).toContain(`<a href="${link}?score=5">`);
    expect(mail.text).toContain('Thank you for contacting us about "Parcel 4711 is late". How did we do?');

    // On the case's timeline, as an outgoing email of the survey, delivered.
    const rows = () => core.outbox.db.prepare(`SELECT idempotency_key AS key, status FROM outbox WHERE case_id = ? AND idempotency_key LIKE 'csat:%'`).all(caseId) as Array<{ key: string; status: string }>;
    await waitFor('the survey marked delivered', () => rows()[0]?.status === 'delivered');
    expect(rows()).toEqual([{ key: expect.stringMatching(new RegExp(`^csat:${caseId}:\\d+$`)), status: 'delivered' }]);
    expect(core.outbox.db.prepare(`SELECT channel, direction, author_name AS author FROM events WHERE case_id = ? AND json_extract(metadata, '$.csatSurvey') = 1`).all(caseId)).toEqual([
      { channel: 'email', direction: 'out', author: 'Satisfaction survey' },
    ]);
  });

  it('a second resolve within the quiet days sends no second survey', async () => {
    await call('reopenCase', { caseId });
    await call('resolveCase', { caseId });
    await waitFor('the hub to decline a second survey', () => logs.find((l) => l.includes(`No satisfaction survey for case #${caseId}`)));
    expect(logs.find((l) => l.includes(`case #${caseId}`))).toContain('was asked for a rating within the last 7 days');
    await new Promise((r) => setTimeout(r, 300));
    expect(surveysTo('priya@customer.example')).toHaveLength(1);
  });

  it('the customer\'s rating on the hub\'s page lands on the case and counts in the email channel\'s metrics', async () => {
    const opened = await fetch(`${link}?score=5`);
    expect(opened.status).toBe(200);
    const posted = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'rating=5&comment=Sorted+in+a+day' });
    expect(posted.status).toBe(200);

    const appended = await waitFor('the rating on the timeline', () =>
      events.map((e) => (e.name === 'timelineAppended' ? (e.payload as { event: TimelineEvent }).event : null)).find((e) => e?.kind === 'csat' && e.caseId === caseId),
    );
    expect(appended).toMatchObject({ channel: 'email', direction: 'in', body: 'Rated 5 out of 5: “Sorted in a day”' });
    // The line's catalog key: a German agent reads "Mit 5 von 5 bewertet: „Sorted in a day“".
    expect(appended.metadata.said).toEqual({ key: 'lineRatedComment', params: { score: 5, comment: 'Sorted in a day' } });
    expect(core.outbox.db.prepare(`SELECT csat_score FROM cases WHERE id = ?`).get(caseId)).toEqual({ csat_score: 5 });

    const range = { from: Date.now() - 3_600_000, to: Date.now() + 60_000 };
    const { events: metricEvents, cases } = metricsInput(core.outbox.db, range);
    const metrics = computeChannelMetrics(metricEvents, cases, { range });
    expect(metrics.channels.find((c) => c.channel === 'email')).toMatchObject({ csatResponses: 1, csatAverage: 5 });
    expect(metrics.totals).toMatchObject({ csatResponses: 1, csatAverage: 5 });
  });
});
