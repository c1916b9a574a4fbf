import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_THREADING_CONFIG,
  ThreadingConfig,
  caseIdFromMessageId,
  caseMessageId,
  caseToken,
  continuityWindowFor,
  matchCase,
  parseCaseToken,
  ourMessageIdDomains,
  parseThreadingConfig,
  referencedCaseIds,
  stripReplyPrefixes,
  type CaseCandidate,
  type IncomingEvent,
} from '../../src/shared/cases';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T = Date.UTC(2026, 2, 10, 9, 0);
const ANA = 7;
const BEN = 8;

const open = (id: number, o: Partial<CaseCandidate> = {}): CaseCandidate => ({
  id,
  customerId: ANA,
  status: 'open',
  lastActivityAt: T,
  lastChannel: 'email',
  messageIds: [],
  ...o,
});
const email = (o: Partial<IncomingEvent> = {}): IncomingEvent => ({ customerId: ANA, channel: 'email', occurredAt: T + HOUR, subject: 'Question', ...o });

describe('our identifiers in mail', () => {
  it('writes and reads the case token, whatever reply prefixes come before it', () => {
    expect(caseToken(48350)).toBe('[#48350]');
    expect(parseCaseToken('Re: AW: Fwd: Invoice question [#48350]')).toBe(48350);
    expect(parseCaseToken('WG: [# 48350 ] Lieferung')).toBe(48350);
    expect(parseCaseToken('Invoice question #48350')).toBeNull();
    expect(parseCaseToken(null)).toBeNull();
    expect(stripReplyPrefixes('Re: AW: Fwd: Invoice question [#48350]')).toBe('Invoice question [#48350]');
  });

  it('finds the token in any subject a person might write around it', () => {
    const noToken = fc.string().filter((s) => !s.includes('[#'));
    fc.assert(
      fc.property(noToken, fc.integer({ min: 1, max: 2 ** 40 }), noToken, (before, id, after) => {
        expect(parseCaseToken(`${before}${caseToken(id)}${after}`)).toBe(id);
      }),
    );
  });

  it('carries the case id in our outgoing Message-IDs and reads it back only from our domain', () => {
    const id = caseMessageId(48350, 'k2j9x', 'omni.local');
    expect(id).toBe('<case-48350.k2j9x@omni.local>');
    expect(caseIdFromMessageId(id)).toBe(48350);
    expect(caseIdFromMessageId(id, 'omni.local')).toBe(48350);
    expect(caseIdFromMessageId(id, 'elsewhere.example')).toBeNull();
    expect(caseIdFromMessageId('<CAF=abc@mail.gmail.com>')).toBeNull();
    // Replies carry the support address's domain; the old omni.local ids keep working next to it.
    const config = ThreadingConfig.parse({ supportDomains: ['support.example'] });
    expect(caseIdFromMessageId('<case-48350.x@support.example>', ourMessageIdDomains(config))).toBe(48350);
    expect(caseIdFromMessageId(id, ourMessageIdDomains(config))).toBe(48350);
    expect(caseIdFromMessageId('<case-48350.x@elsewhere.example>', ourMessageIdDomains(config))).toBeNull();
  });

  it('names the cases an email refers to, so the caller can load them', () => {
    const incoming = email({ inReplyTo: caseMessageId(12, 'a'), references: `<x@y> ${caseMessageId(11, 'b')}`, subject: 'Re: [#13] hello' });
    expect(referencedCaseIds(incoming)).toEqual([12, 11, 13]);
  });
});

describe('threading an incoming event', () => {
  it('a reply with In-Reply-To joins the case', () => {
    const cases = [open(1, { messageIds: ['<first@customer.example>'] }), open(2)];
    const m = matchCase(email({ inReplyTo: '<first@customer.example>', subject: 'Re: Question' }), cases, DEFAULT_THREADING_CONFIG, T + HOUR);
    expect(m).toEqual({ action: 'join', caseId: 1, reason: 'reply to message <first@customer.example>' });
  });

  it('a reply to one of our own outgoing Message-IDs joins the case it names', () => {
    const m = matchCase(email({ references: ['<old@customer.example>', caseMessageId(48350, 'k2j9x')] }), [open(48350)], DEFAULT_THREADING_CONFIG, T + HOUR);
    expect(m).toMatchObject({ action: 'join', caseId: 48350, reason: 'reply to message <case-48350.k2j9x@omni.local>' });
  });

  it('reads References newest first, so the latest known ancestor decides', () => {
    const cases = [open(1, { messageIds: ['<a@x>'] }), open(2, { messageIds: ['<b@x>'] })];
    expect(matchCase(email({ references: '<a@x> <b@x>' }), cases, DEFAULT_THREADING_CONFIG, T + HOUR)).toMatchObject({ caseId: 2 });
  });

  it('the [#48350] token joins even when References were dropped', () => {
    const other = open(2, { lastActivityAt: T + 30 * 60_000 }); // more recent: continuity alone would pick it
    const m = matchCase(email({ subject: 'AW: Re: Invoice question [#48350]' }), [open(48350, { lastActivityAt: T - 5 * DAY }), other], DEFAULT_THREADING_CONFIG, T + HOUR);
    expect(m).toEqual({ action: 'join', caseId: 48350, reason: 'case token [#48350] in subject' });
  });

  it("a token naming another customer's case does not attach the message to it", () => {
    const bens = open(48350, { customerId: BEN });
    expect(matchCase(email({ subject: 'Re: [#48350]' }), [bens], DEFAULT_THREADING_CONFIG, T + HOUR)).toMatchObject({ action: 'new' });
    const lenient = ThreadingConfig.parse({ crossCustomerTokens: true });
    expect(matchCase(email({ subject: 'Re: [#48350]' }), [bens], lenient, T + HOUR)).toMatchObject({ action: 'join', caseId: 48350 });
  });

  it('a colleague in Cc replying to a recorded Message-ID joins the case', () => {
    const bens = open(5, { customerId: BEN, messageIds: ['<unguessable-1@customer.example>'] });
    expect(matchCase(email({ inReplyTo: '<unguessable-1@customer.example>' }), [bens], DEFAULT_THREADING_CONFIG, T + HOUR)).toMatchObject({ action: 'join', caseId: 5 });
  });

  it("a chat 3 hours after an email joins the email's case within a 24 h window", () => {
    const m = matchCase({ customerId: ANA, channel: 'chat', occurredAt: T + 3 * HOUR }, [open(1, { lastChannel: 'email' })], DEFAULT_THREADING_CONFIG, T + 3 * HOUR);
    expect(m).toEqual({ action: 'join', caseId: 1, reason: 'continues email from 3 h ago on chat' });
  });

  it('outside the window it opens a new case', () => {
    const m = matchCase({ customerId: ANA, channel: 'chat', occurredAt: T + 25 * HOUR }, [open(1, { lastChannel: 'email' })], DEFAULT_THREADING_CONFIG, T + 25 * HOUR);
    expect(m.action).toBe('new');
    expect(m.reason).toMatch(/continuity window/);
  });

  it('a call 70 hours after an email still joins it: email to phone has a 72 h window', () => {
    const cases = [open(1, { lastChannel: 'email' })];
    expect(matchCase({ customerId: ANA, channel: 'phone', occurredAt: T + 70 * HOUR }, cases, DEFAULT_THREADING_CONFIG, T + 70 * HOUR)).toMatchObject({ action: 'join', caseId: 1 });
    expect(matchCase({ customerId: ANA, channel: 'phone', occurredAt: T + 73 * HOUR }, cases, DEFAULT_THREADING_CONFIG, T + 73 * HOUR)).toMatchObject({ action: 'new' });
    expect(matchCase({ customerId: ANA, channel: 'chat', occurredAt: T + 70 * HOUR }, cases, DEFAULT_THREADING_CONFIG, T + 70 * HOUR)).toMatchObject({ action: 'new' });
  });

  it('a chat after an Instagram DM joins it through the social → chat rule', () => {
    expect(continuityWindowFor('instagram', 'chat', DEFAULT_THREADING_CONFIG.continuityWindows)).toBe(24 * HOUR);
    const m = matchCase({ customerId: ANA, channel: 'chat', occurredAt: T + 2 * HOUR }, [open(3, { lastChannel: 'instagram' })], DEFAULT_THREADING_CONFIG, T + 2 * HOUR);
    expect(m).toEqual({ action: 'join', caseId: 3, reason: 'continues instagram from 2 h ago on chat' });
  });

  it("joins the customer's most recently active case, and never another customer's", () => {
    const cases = [open(1, { lastActivityAt: T - 2 * HOUR }), open(2, { lastActivityAt: T }), open(3, { customerId: BEN, lastActivityAt: T + 30 * 60_000 })];
    expect(matchCase({ customerId: ANA, channel: 'chat', occurredAt: T + HOUR }, cases, DEFAULT_THREADING_CONFIG, T + HOUR)).toMatchObject({ caseId: 2 });
  });

  it('continuity joins pending cases but never resolved ones', () => {
    const pending = matchCase({ customerId: ANA, channel: 'sms', occurredAt: T + HOUR }, [open(1, { status: 'pending' })], DEFAULT_THREADING_CONFIG, T + HOUR);
    expect(pending).toMatchObject({ action: 'join', caseId: 1 });
    const resolved = matchCase({ customerId: ANA, channel: 'sms', occurredAt: T + HOUR }, [open(1, { status: 'resolved', resolvedAt: T })], DEFAULT_THREADING_CONFIG, T + HOUR);
    expect(resolved).toEqual({ action: 'new', reason: 'no open case of this customer' });
  });

  it('the windows are configuration: a 1 h chat → email window turns a 3 h gap into a new case', () => {
    const config = ThreadingConfig.parse({ continuityWindows: [{ from: 'chat', to: 'email', windowMs: HOUR }, { from: 'any', to: 'any', windowMs: DAY }] });
    const m = matchCase(email({ occurredAt: T + 3 * HOUR }), [open(1, { lastChannel: 'chat' })], config, T + 3 * HOUR);
    expect(m.action).toBe('new');
  });

  it('a reply to a resolved case reopens it within the reopen window', () => {
    const resolved = open(48350, { status: 'resolved', resolvedAt: T, lastActivityAt: T });
    const m = matchCase(email({ subject: 'Re: Invoice [#48350]', occurredAt: T + 2 * DAY }), [resolved], DEFAULT_THREADING_CONFIG, T + 2 * DAY);
    expect(m).toEqual({ action: 'reopen', caseId: 48350, reason: 'case token [#48350] in subject; case 48350 was resolved 2 d ago' });
  });

  it('a reply to a case closed long ago opens a new case linked to the old one', () => {
    const closed = open(48350, { status: 'closed', resolvedAt: T - 40 * DAY, lastActivityAt: T - 40 * DAY });
    const m = matchCase(email({ subject: 'Re: Invoice [#48350]' }), [closed], DEFAULT_THREADING_CONFIG, T + HOUR);
    expect(m.action).toBe('new');
    expect(m).toMatchObject({ linkTo: 48350 });
    expect(m.reason).toMatch(/beyond the 30 d reopen window/);
  });

  it('a reply to a merged case joins the case it was merged into', () => {
    const source = open(12, { status: 'closed', mergedInto: 10, messageIds: ['<m1@customer.example>'] });
    const m = matchCase(email({ inReplyTo: '<m1@customer.example>' }), [source, open(10)], DEFAULT_THREADING_CONFIG, T + HOUR);
    expect(m).toEqual({ action: 'join', caseId: 10, reason: 'reply to message <m1@customer.example> (case 12 was merged into case 10)' });
  });

  it('measures from now when the sender’s clock runs ahead', () => {
    const resolved = open(1, { status: 'resolved', resolvedAt: T });
    // Date header says 60 days later; it actually arrived a day after the resolution.
    const m = matchCase(email({ subject: 'Re: [#1]', occurredAt: T + 60 * DAY }), [resolved], DEFAULT_THREADING_CONFIG, T + DAY);
    expect(m.action).toBe('reopen');
  });

  it('rejects an invalid configuration with a sentence naming the setting', () => {
    const r = parseThreadingConfig({ reopenWindowMs: -1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/^The threading setting reopenWindowMs is invalid/);
    expect(parseThreadingConfig(undefined)).toEqual({ ok: true, config: DEFAULT_THREADING_CONFIG });
  });
});
