// The queue's preview of a line main or the hub wrote ("Voicemail from …") carries its catalog key,
// so the queue reads it in the agent's language; one that would show personal data loses the key
// (its params hold the raw text) and is shown masked. A real SQLite file through the core.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/config';
import { createCore, type Core } from '../../src/main/core';
import type { QueueItem } from '../../src/shared/domain';
import { say } from '../../src/shared/serverErrors';
import { saidMetadata } from '../../src/shared/storedSentence';
import { setLocale } from '../../src/renderer/src/i18n';
import { storedSentenceOf } from '../../src/renderer/src/serverErrors';
import { tempDir } from '../helpers/tempDir';

const tmp = tempDir('omni-queue-preview-');
const T0 = Date.UTC(2026, 2, 2, 9);
let core: Core;
let phones = 100;
const cases: Record<'voicemail' | 'card' | 'plain', number> = { voicemail: 0, card: 0, plain: 0 };

function caseWith(name: string, body: string, metadata: Record<string, unknown>, kind: 'voicemail' | 'message'): number {
  const customerId = core.repo.insertCustomer({
    name, company: null, title: null, tier: 'standard', vip: false, healthScore: null, language: 'en', timezone: null, preferredChannel: 'phone', createdAt: T0,
    identities: [{ kind: 'phone', value: `+1415555${String(++phones).padStart(4, '0')}`, display: name, verified: true, source: 'test', firstSeenAt: T0, lastSeenAt: T0 }],
  });
  const caseId = core.repo.insertCase({
    customerId, subject: `Call back ${name}`, status: 'open', priority: 'normal', issueType: 'other', channel: 'phone', originChannel: 'phone',
    assignedAgentId: null, createdAt: T0, updatedAt: T0, waitingSince: T0, firstResponseAt: null, slaDueAt: null, resolvedAt: null, resolutionCode: null, csatScore: null,
  });
  core.repo.insertEvent({ caseId, customerId, channel: 'phone', direction: 'in', kind, authorType: 'customer', authorId: null, authorName: name, subject: null, body, metadata, occurredAt: T0 });
  return caseId;
}

beforeAll(() => {
  const config = loadConfig({ argv: ['--data-dir', path.join(tmp.dir, 'data'), '--no-demo', '--port', '0'], env: {} });
  core = createCore(config, { mode: 'headless', log: () => {}, mail: false, now: () => T0 + 60_000 });
  const clean = say('lineVoicemailText', { from: '+14155550123', text: 'Please call me back about the router.' });
  cases.voicemail = caseWith('Ada', clean.message, { durationSec: 12, ...saidMetadata(clean) }, 'voicemail');
  // The card number sits past the 200 characters the preview keeps: only the key's params hold it.
  const card = say('lineVoicemailText', { from: '+14155550124', text: `${'I called about my order and the delivery that did not arrive. '.repeat(4)}My card is 4242 4242 4242 4242.` });
  cases.card = caseWith('Bo', card.message, { durationSec: 40, ...saidMetadata(card) }, 'voicemail');
  cases.plain = caseWith('Cy', 'Where is my parcel?', {}, 'message');
});

afterAll(() => {
  setLocale('en');
  core.close();
  tmp.remove();
});

describe('the queue preview of a written line', () => {
  it('carries its key and reads German in a German workspace; a customer\'s own words have none', async () => {
    const r = (await core.dispatch('queueSnapshot', { view: 'all' }, { transport: 'direct' })) as { ok: true; value: { items: QueueItem[] } };
    if (!r.ok) throw new Error(JSON.stringify(r));
    const byCase = new Map(r.value.items.map((i) => [i.caseId, i]));
    const voicemail = byCase.get(cases.voicemail)!;
    expect(voicemail.preview).toBe('Voicemail from +14155550123: Please call me back about the router.');
    expect(voicemail.previewText).toEqual({ key: 'lineVoicemailText', params: { from: '+14155550123', text: 'Please call me back about the router.' } });
    setLocale('de');
    expect(storedSentenceOf(voicemail.preview, voicemail.previewText)).toBe('Sprachnachricht von +14155550123: Please call me back about the router.');
    setLocale('en');
    expect(byCase.get(cases.plain)).toMatchObject({ preview: 'Where is my parcel?', previewText: null });
  });

  it('drops the key of a preview whose params would show personal data', async () => {
    const r = (await core.dispatch('queueSnapshot', { view: 'all' }, { transport: 'direct' })) as { ok: true; value: { items: QueueItem[] } };
    if (!r.ok) throw new Error(JSON.stringify(r));
    const card = r.value.items.find((i) => i.caseId === cases.card)!;
    expect(card.previewText).toBeNull();
    expect(card.preview).not.toContain('4242 4242');
    expect(JSON.stringify(card)).not.toContain('4242 4242 4242 4242');
  });
});
