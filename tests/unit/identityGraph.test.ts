import { describe, expect, it } from 'vitest';
import {
  cloneGraph,
  createIdentityGraph,
  eventsOf,
  identifiersOf,
  IdentitySettings,
  languageOf,
  liveProfiles,
  merge,
  normalizeIdentifier,
  observe,
  ownerOfEvent,
  profileOf,
  resolve,
  suggestionsOf,
  unmerge,
  updateProfile,
  type IdentifierKind,
  type IdentityGraph,
  type Observation,
  type ObservedIdentifier,
} from '../../src/shared/identity';

const settings = IdentitySettings.parse({ foldPlus: true });
const t0 = Date.UTC(2026, 2, 2, 9);
const min = (n: number) => t0 + n * 60_000;

function ident(kind: IdentifierKind, raw: string, verified: boolean, platform?: string): ObservedIdentifier {
  const r = normalizeIdentifier(kind, raw, settings, platform);
  if (!r.ok) throw new Error(r.message);
  return { ...r.identifier, verified };
}
const email = (raw: string, verified = false) => ident('email', raw, verified);
const phone = (raw: string, verified = false) => ident('phone', raw, verified);
const account = (raw: string, verified = false) => ident('account', raw, verified, 'widget');
const x = (raw: string, verified = false) => ident('social', raw, verified, 'x');

function see(g: IdentityGraph, o: Observation) {
  const r = observe(g, o);
  if (!r.ok) throw new Error(r.message);
  return r;
}

/** Everything that describes customers; the audit log and the kept-apart decisions are history on top. */
function customers(g: IdentityGraph) {
  const { audit: _audit, unmergedBy: _unmergedBy, keptApart: _keptApart, ...rest } = g;
  return rest;
}

describe('resolving an identifier to a customer', () => {
  it('an email in different case resolves to the same customer', () => {
    const g = createIdentityGraph();
    const first = see(g, { identifiers: [email('Jane.Doe@Example.com')], source: 'email', at: min(0) });
    const again = see(g, { identifiers: [email('"Jane" <jane.doe@EXAMPLE.COM>')], source: 'email', at: min(5) });
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.profileId).toBe(first.profileId);
    expect(resolve(g, 'email::jane.doe@example.com')).toBe(first.profileId);
  });

  it('a plus address folds into the same customer when the setting is on', () => {
    const g = createIdentityGraph();
    const a = see(g, { identifiers: [email('jane@example.com')], source: 'email', at: min(0) });
    expect(see(g, { identifiers: [email('Jane+orders@example.com')], source: 'email', at: min(1) }).profileId).toBe(a.profileId);
  });

  it('a phone number in three formats is one customer', () => {
    const g = createIdentityGraph();
    const call = see(g, { identifiers: [phone('+1 (415) 867-5310', true)], source: 'phone', at: min(0) });
    expect(see(g, { identifiers: [phone('415/867 5310', true)], source: 'sms', at: min(1) }).profileId).toBe(call.profileId);
    expect(see(g, { identifiers: [phone('tel:+14158675310')], source: 'chat', at: min(2) }).profileId).toBe(call.profileId);
    const uk = see(g, { identifiers: [phone('+44 20 7946 0958', true)], source: 'phone', at: min(3) });
    expect(see(g, { identifiers: [phone('0044 20 7946 0958', true)], source: 'sms', at: min(4) }).profileId).toBe(uk.profileId);
  });

  it('an unknown identifier starts a new profile', () => {
    const g = createIdentityGraph();
    const a = see(g, { identifiers: [x('@jane')], source: 'x', at: min(0) });
    const b = see(g, { identifiers: [x('@john')], source: 'x', at: min(0) });
    expect(b.created).toBe(true);
    expect(b.profileId).not.toBe(a.profileId);
    expect(resolve(g, 'social:x:nobody')).toBeNull();
  });

  it('an observation without identifiers is refused with a sentence', () => {
    const r = observe(createIdentityGraph(), { identifiers: [], source: 'chat', at: min(0) });
    expect(r).toMatchObject({ ok: false, code: 'identity/no-identifiers' });
  });

  it('records where and when each identifier was seen, and whether it was verified', () => {
    const g = createIdentityGraph();
    const p = see(g, { identifiers: [email('jane@example.com')], source: 'email', at: min(0) }).profileId;
    see(g, { identifiers: [email('jane@example.com')], source: 'email', at: min(10) });
    see(g, { identifiers: [email('JANE@example.com', true)], source: 'portal', at: min(20) });
    const [view] = identifiersOf(g, p);
    expect(view).toEqual({
      key: 'email::jane@example.com',
      kind: 'email',
      platform: '',
      value: 'jane@example.com',
      display: 'jane@example.com',
      verified: true,
      verifiedAt: min(20),
      firstSeen: min(0),
      lastSeen: min(20),
      sightings: [
        { source: 'email', firstSeen: min(0), lastSeen: min(10), count: 2, verified: false },
        { source: 'portal', firstSeen: min(20), lastSeen: min(20), count: 1, verified: true },
      ],
    });
  });

  it('attaches the event an observation came with, once', () => {
    const g = createIdentityGraph();
    const a = see(g, { identifiers: [email('jane@example.com')], source: 'email', at: min(0), eventId: 101 });
    const b = see(g, { identifiers: [x('@someone_else')], source: 'x', at: min(1), eventId: 101 });
    expect(b.duplicateEvent).toBe(true);
    expect(ownerOfEvent(g, 101)).toBe(a.profileId);
    expect(eventsOf(g, b.profileId)).toEqual([]);
  });
});

describe('merging on verified evidence', () => {
  it('a chat visitor who typed a phone number is only suggested for merging when the real owner texts from it', () => {
    const g = createIdentityGraph();
    // The email customer wrote from her address with her number in the signature (unverified).
    const customer = see(g, { identifiers: [email('jane@example.com', true), phone('(415) 867-5310')], name: 'Jane Doe', source: 'email', at: min(0), eventId: 'e1' });
    // A chat visitor typed the same number into the pre-chat form: unverified, so no merge.
    const visitor = see(g, { identifiers: [account('cookie-7f3a', true), phone('415/867 5310')], source: 'chat', at: min(30), eventId: 'c1' });
    expect(visitor.created).toBe(true);
    expect(visitor.merges).toEqual([]);
    expect(liveProfiles(g)).toHaveLength(2);
    // The carrier vouches for the SMS sender. Nobody held the number verified: the oldest claimer
    // gets the message and the verified number; the visitor only claimed it, so is only suggested.
    const sms = see(g, { identifiers: [phone('+1 415 867 5310', true)], source: 'sms', at: min(60), eventId: 's1' });
    expect(sms.profileId).toBe(customer.profileId);
    expect(sms.created).toBe(false);
    expect(sms.merges).toEqual([]);
    expect(sms.suggestions).toEqual([
      {
        id: 1,
        profileIds: [customer.profileId, visitor.profileId],
        reason: 'unverified-claim',
        identifier: 'phone::+14158675310',
        ownerId: customer.profileId,
        detail: `Profile ${visitor.profileId} claimed phone +1 415 867 5310 unverified; the verified owner is profile ${customer.profileId} (seen on SMS).`,
        at: min(60),
      },
    ]);
    expect(suggestionsOf(g, visitor.profileId)).toEqual(sms.suggestions);
    expect(liveProfiles(g)).toEqual([customer.profileId, visitor.profileId]);
    expect(g.audit).toEqual([]);
    expect(resolve(g, 'phone::+14158675310')).toBe(customer.profileId);
    expect(resolve(g, 'account:widget:cookie-7f3a')).toBe(visitor.profileId);
    expect(eventsOf(g, customer.profileId)).toEqual(['e1', 's1']);
    expect(eventsOf(g, visitor.profileId)).toEqual(['c1']);
    expect(identifiersOf(g, customer.profileId).find((i) => i.kind === 'phone')).toMatchObject({ verified: true, verifiedAt: min(60) });
    expect(identifiersOf(g, visitor.profileId).find((i) => i.kind === 'phone')).toMatchObject({ verified: false, verifiedAt: null });
    // The next text neither merges nor suggests again.
    const again = see(g, { identifiers: [phone('+14158675310', true)], source: 'sms', at: min(61), eventId: 's2' });
    expect(again).toMatchObject({ profileId: customer.profileId, merges: [], suggestions: [] });
    expect(suggestionsOf(g)).toEqual(sms.suggestions);
  });

  it('a profile that claimed a number the owner already holds verified is suggested, not merged, while verified holders still merge', () => {
    const g = createIdentityGraph();
    const owner = see(g, { identifiers: [phone('+14158675310', true)], source: 'phone', at: min(0) }); // caller id
    const visitor = see(g, { identifiers: [account('cookie-1', true), phone('+14158675310')], source: 'chat', at: min(1) });
    const jane = see(g, { identifiers: [email('jane@example.com', true)], source: 'email', at: min(2) });
    // One portal login proves both the address and the number: the two verified holders merge.
    const login = see(g, { identifiers: [email('jane@example.com', true), phone('+14158675310', true)], source: 'portal', at: min(3) });
    expect(login.profileId).toBe(owner.profileId);
    expect(login.merges.map((m) => [m.survivorId, m.mergedId])).toEqual([[owner.profileId, jane.profileId]]);
    expect(login.suggestions).toMatchObject([{ reason: 'unverified-claim', profileIds: [owner.profileId, visitor.profileId], ownerId: owner.profileId }]);
    expect(liveProfiles(g)).toEqual([owner.profileId, visitor.profileId]);
  });

  it('merging an unverified-claim suggestion by hand works, and unmerging it restores both profiles exactly', () => {
    const g = createIdentityGraph();
    const customer = see(g, { identifiers: [email('jane@example.com', true), phone('+14158675310', true)], name: 'Jane Doe', source: 'email', at: min(0), eventId: 'e1' });
    const visitor = see(g, { identifiers: [account('cookie-7f3a', true), phone('415 867 5310')], attributes: { page: '/pricing' }, source: 'chat', at: min(1), eventId: 'c1' });
    const sms = see(g, { identifiers: [phone('+14158675310', true)], source: 'sms', at: min(2), eventId: 's1' });
    const [suggestion] = sms.suggestions;
    if (suggestion?.reason !== 'unverified-claim') throw new Error('expected an unverified-claim suggestion');
    const claimant = suggestion.profileIds.find((p) => p !== suggestion.ownerId)!;
    expect([suggestion.ownerId, claimant]).toEqual([customer.profileId, visitor.profileId]);

    const before = cloneGraph(g);
    const m = merge(g, { survivorId: suggestion.ownerId, mergedId: claimant, actor: 'agent:7', at: min(10), reason: suggestion.detail });
    if (!m.ok) throw new Error(m.message);
    expect(m.entry).toMatchObject({ mode: 'manual', actor: 'agent:7', survivorId: customer.profileId, mergedId: visitor.profileId, reason: suggestion.detail });
    expect(liveProfiles(g)).toEqual([customer.profileId]);
    expect(profileOf(g, visitor.profileId)).toMatchObject({ id: customer.profileId, name: 'Jane Doe', attributes: { page: '/pricing' }, mergedIds: [visitor.profileId] });
    expect(eventsOf(g, customer.profileId)).toEqual(['e1', 'c1', 's1']);
    expect(suggestionsOf(g)).toEqual([]); // settled

    const u = unmerge(g, { mergeId: m.entry.id, actor: 'agent:9', at: min(20), reason: 'Not the same person after all' });
    if (!u.ok) throw new Error(u.message);
    expect(customers(g)).toEqual(customers(before));
    expect(u.entry).toMatchObject({ movedIdentifiers: [], movedEvents: [] });
    expect(eventsOf(g, customer.profileId)).toEqual(['e1', 's1']);
    expect(eventsOf(g, visitor.profileId)).toEqual(['c1']);
    // Kept apart now: the suggestion is gone and the next text does not bring it back.
    expect(suggestionsOf(g)).toEqual([]);
    expect(see(g, { identifiers: [phone('+14158675310', true)], source: 'sms', at: min(30) })).toMatchObject({ profileId: customer.profileId, merges: [], suggestions: [] });
  });

  it('one observation carrying two customers’ verified identifiers merges them, and the older profile survives', () => {
    const g = createIdentityGraph();
    const older = see(g, { identifiers: [phone('+14158675310', true)], source: 'phone', at: min(0) });
    const newer = see(g, { identifiers: [email('jane@example.com', true)], source: 'email', at: min(10) });
    // The newer profile's identifier comes first in the observation; the older still survives.
    const login = see(g, { identifiers: [email('jane@example.com', true), phone('+14158675310', true)], source: 'portal', at: min(20) });
    expect(login.profileId).toBe(older.profileId);
    expect(login.merges.map((m) => [m.survivorId, m.mergedId])).toEqual([[older.profileId, newer.profileId]]);
  });

  it('unverified identifiers attach but never cause a merge', () => {
    const g = createIdentityGraph();
    const jane = see(g, { identifiers: [email('jane@example.com', true)], source: 'email', at: min(0) });
    const sms = see(g, { identifiers: [phone('+14158675310', true)], source: 'sms', at: min(1) });
    const form = see(g, { identifiers: [email('jane@example.com'), phone('+14158675310')], source: 'portal', at: min(2) });
    expect(form.merges).toEqual([]);
    expect(form.profileId).toBe(jane.profileId); // the first identifier with a verified holder decides
    expect(liveProfiles(g)).toHaveLength(2);
    expect(resolve(g, 'phone::+14158675310')).toBe(sms.profileId);
    expect(identifiersOf(g, jane.profileId).map((i) => [i.key, i.verified])).toEqual([
      ['email::jane@example.com', true],
      ['phone::+14158675310', false],
    ]);
  });

  it('a signed-in visitor who types someone else’s address gets a profile of their own', () => {
    const g = createIdentityGraph();
    const jane = see(g, { identifiers: [email('jane@example.com', true)], source: 'email', at: min(0) });
    const visitor = see(g, { identifiers: [account('u-99', true), email('jane@example.com')], source: 'chat', at: min(1) });
    expect(visitor.created).toBe(true);
    expect(resolve(g, 'email::jane@example.com')).toBe(jane.profileId);
    expect(see(g, { identifiers: [email('jane@example.com')], source: 'email', at: min(2) }).profileId).toBe(jane.profileId);
  });
});

describe('weak evidence', () => {
  it('same name and company only suggests a merge', () => {
    const g = createIdentityGraph();
    const a = see(g, { identifiers: [email('jane@acme.example')], name: 'Jane Doe', company: 'Acme, Inc.', source: 'email', at: min(0) });
    const b = see(g, { identifiers: [x('@janed')], name: '  jane   DOE ', company: 'ACME', source: 'x', at: min(5) });
    expect(b.merges).toEqual([]);
    expect(b.suggestions).toEqual([{ id: 1, profileIds: [a.profileId, b.profileId], reason: 'same-name-and-company', name: 'jane DOE', company: 'ACME', at: min(5) }]);
    expect(liveProfiles(g)).toHaveLength(2);
    expect(suggestionsOf(g)).toEqual(b.suggestions);
    expect(suggestionsOf(g, a.profileId)).toEqual(b.suggestions);
  });

  it('the same name at another company, or without a company, suggests nothing', () => {
    const g = createIdentityGraph();
    see(g, { identifiers: [email('jane@acme.example')], name: 'Jane Doe', company: 'Acme', source: 'email', at: min(0) });
    expect(see(g, { identifiers: [email('jane@globex.example')], name: 'Jane Doe', company: 'Globex', source: 'email', at: min(1) }).suggestions).toEqual([]);
    expect(see(g, { identifiers: [email('jane@home.example')], name: 'Jane Doe', source: 'email', at: min(2) }).suggestions).toEqual([]);
    expect(suggestionsOf(g)).toEqual([]);
  });

  it('a suggestion is settled by merging the two, and does not come back while they are one', () => {
    const g = createIdentityGraph();
    const a = see(g, { identifiers: [email('jane@acme.example')], name: 'Jane Doe', company: 'Acme', source: 'email', at: min(0) });
    const b = see(g, { identifiers: [x('@janed')], name: 'Jane Doe', company: 'Acme', source: 'x', at: min(1) });
    const r = merge(g, { survivorId: a.profileId, mergedId: b.profileId, actor: 'agent:7', at: min(2), reason: 'Suggested: same name and company' });
    expect(r.ok).toBe(true);
    expect(suggestionsOf(g)).toEqual([]);
  });
});

describe('manual merge and unmerge', () => {
  function twoCustomers() {
    const g = createIdentityGraph();
    const a = see(g, { identifiers: [email('jane@example.com', true)], name: 'Jane Doe', language: { tag: 'de', confidence: 0.9 }, attributes: { plan: 'pro' }, source: 'email', at: min(0), eventId: 'a1' });
    const b = see(g, { identifiers: [phone('+14158675310', true), x('@janed')], name: 'J. Doe', company: 'Acme', attributes: { plan: 'free', city: 'SF' }, source: 'sms', at: min(10), eventId: 'b1' });
    return { g, a: a.profileId, b: b.profileId };
  }

  it('a manual merge keeps the profile the agent picks and fills its gaps from the other', () => {
    const { g, a, b } = twoCustomers();
    const r = merge(g, { survivorId: b, mergedId: a, actor: 'agent:7', at: min(20), reason: 'Same person, confirmed on the phone' });
    if (!r.ok) throw new Error(r.message);
    expect(r.entry).toMatchObject({ kind: 'merge', mode: 'manual', actor: 'agent:7', at: min(20), reason: 'Same person, confirmed on the phone', survivorId: b, mergedId: a });
    expect(profileOf(g, a)).toEqual({ id: b, name: 'J. Doe', company: 'Acme', language: 'de', attributes: { plan: 'free', city: 'SF' }, createdAt: min(10), mergedIds: [a] });
    expect(resolve(g, 'email::jane@example.com')).toBe(b);
    expect(eventsOf(g, b)).toEqual(['a1', 'b1']);
    expect(identifiersOf(g, b).map((i) => i.key)).toEqual(['email::jane@example.com', 'phone::+14158675310', 'social:x:janed']);
  });

  it('refuses unknown profiles and profiles that are already one customer', () => {
    const { g, a, b } = twoCustomers();
    expect(merge(g, { survivorId: a, mergedId: 999, actor: 'agent:7', at: min(20), reason: '' })).toMatchObject({ ok: false, code: 'identity/not-found' });
    expect(merge(g, { survivorId: a, mergedId: b, actor: 'agent:7', at: min(20), reason: '' }).ok).toBe(true);
    expect(merge(g, { survivorId: b, mergedId: a, actor: 'agent:7', at: min(21), reason: '' })).toMatchObject({ ok: false, code: 'identity/already-merged' });
  });

  it('unmerge restores both profiles and their timelines exactly as before the merge', () => {
    const { g, a, b } = twoCustomers();
    const before = cloneGraph(g);
    const m = merge(g, { survivorId: a, mergedId: b, actor: 'agent:7', at: min(20), reason: 'looks the same' });
    if (!m.ok) throw new Error(m.message);
    const u = unmerge(g, { mergeId: m.entry.id, actor: 'agent:9', at: min(30), reason: 'Two different people' });
    if (!u.ok) throw new Error(u.message);
    expect(customers(g)).toEqual(customers(before));
    expect(eventsOf(g, a)).toEqual(['a1']);
    expect(eventsOf(g, b)).toEqual(['b1']);
    expect(profileOf(g, b)).toMatchObject({ id: b, name: 'J. Doe', attributes: { plan: 'free', city: 'SF' } });
    expect(g.audit).toEqual([
      m.entry,
      { id: 2, kind: 'unmerge', actor: 'agent:9', at: min(30), reason: 'Two different people', mergeId: 1, survivorId: a, mergedId: b, movedIdentifiers: [], movedEvents: [] },
    ]);
  });

  it('after an unmerge, what arrived through the merged profile’s identifiers goes back with it and the rest stays', () => {
    const { g, a, b } = twoCustomers();
    const m = merge(g, { survivorId: a, mergedId: b, actor: 'agent:7', at: min(20), reason: 'looks the same' });
    if (!m.ok) throw new Error(m.message);
    see(g, { identifiers: [email('jane@example.com', true)], source: 'email', at: min(21), eventId: 'a2' });
    // Through b's phone, with a new address: both the event and the address are b's.
    see(g, { identifiers: [phone('+14158675310', true), email('jd@acme.example')], source: 'sms', at: min(22), eventId: 'b2' });
    // Through that new address: b's too.
    see(g, { identifiers: [email('jd@acme.example')], source: 'email', at: min(23), eventId: 'b3' });
    // A new account id through a's address: stays with a.
    see(g, { identifiers: [email('jane@example.com', true), account('acct-1', true)], source: 'portal', at: min(24), eventId: 'a3' });
    const u = unmerge(g, { mergeId: m.entry.id, actor: 'agent:9', at: min(30) });
    if (!u.ok) throw new Error(u.message);
    expect(u.entry.movedIdentifiers).toEqual(['email::jd@acme.example']);
    expect(u.entry.movedEvents).toEqual(['b2', 'b3']);
    expect(eventsOf(g, a)).toEqual(['a1', 'a2', 'a3']);
    expect(eventsOf(g, b)).toEqual(['b1', 'b2', 'b3']);
    expect(identifiersOf(g, a).map((i) => i.key)).toEqual(['email::jane@example.com', 'account:widget:acct-1']);
    expect(identifiersOf(g, b).map((i) => i.key)).toEqual(['phone::+14158675310', 'social:x:janed', 'email::jd@acme.example']);
    expect(resolve(g, 'email::jd@acme.example')).toBe(b);
  });

  it('a survivor field changed since the merge keeps its new value; the rest returns to before', () => {
    const { g, a, b } = twoCustomers();
    const m = merge(g, { survivorId: a, mergedId: b, actor: 'agent:7', at: min(20), reason: 'looks the same' });
    if (!m.ok) throw new Error(m.message);
    expect(profileOf(g, a)).toMatchObject({ company: 'Acme', attributes: { plan: 'pro', city: 'SF' } });
    updateProfile(g, { profileId: a, name: 'Jane Q. Doe', attributes: { vip: 'yes' }, at: min(25) });
    const u = unmerge(g, { mergeId: m.entry.id, actor: 'agent:9', at: min(30) });
    expect(u.ok).toBe(true);
    expect(profileOf(g, a)).toMatchObject({ name: 'Jane Q. Doe', company: null, attributes: { plan: 'pro', vip: 'yes' } });
  });

  it('two unmerged profiles are kept apart from automatic merges, but an agent can still merge them', () => {
    const { g, a, b } = twoCustomers();
    const m = merge(g, { survivorId: a, mergedId: b, actor: 'agent:7', at: min(20), reason: 'looks the same' });
    if (!m.ok) throw new Error(m.message);
    unmerge(g, { mergeId: m.entry.id, actor: 'agent:9', at: min(30) });
    const both = see(g, { identifiers: [email('jane@example.com', true), phone('+14158675310', true)], source: 'portal', at: min(40) });
    expect(both.merges).toEqual([]);
    expect(both.profileId).toBe(a);
    expect(resolve(g, 'phone::+14158675310')).toBe(b); // the verified claim stays b's
    expect(merge(g, { survivorId: b, mergedId: a, actor: 'agent:7', at: min(50), reason: 'Confirmed after all' }).ok).toBe(true);
    expect(liveProfiles(g)).toEqual([b]);
  });

  it('a merge is undone once, and chained merges are undone newest first', () => {
    const { g, a, b } = twoCustomers();
    const c = see(g, { identifiers: [x('@third')], source: 'x', at: min(15) }).profileId;
    const first = merge(g, { survivorId: a, mergedId: b, actor: 'agent:7', at: min(20), reason: '1' });
    const second = merge(g, { survivorId: c, mergedId: a, actor: 'agent:7', at: min(21), reason: '2' });
    if (!first.ok || !second.ok) throw new Error('merge failed');
    expect(unmerge(g, { mergeId: first.entry.id, actor: 'agent:9', at: min(30) })).toMatchObject({
      ok: false,
      code: 'identity/unmerge-order',
      message: `Profile ${a} has since been merged into profile ${c}; undo merge #${second.entry.id} first, then merge #${first.entry.id}.`,
    });
    expect(unmerge(g, { mergeId: second.entry.id, actor: 'agent:9', at: min(31) }).ok).toBe(true);
    expect(unmerge(g, { mergeId: first.entry.id, actor: 'agent:9', at: min(32) }).ok).toBe(true);
    expect(unmerge(g, { mergeId: first.entry.id, actor: 'agent:9', at: min(33) })).toMatchObject({ ok: false, code: 'identity/already-unmerged' });
    expect(unmerge(g, { mergeId: 99, actor: 'agent:9', at: min(33) })).toMatchObject({ ok: false, code: 'identity/not-found' });
    expect(unmerge(g, { mergeId: 3, actor: 'agent:9', at: min(33) })).toMatchObject({ ok: false, code: 'identity/not-found' }); // #3 is an unmerge
    expect(liveProfiles(g).sort()).toEqual([a, b, c].sort());
    expect(g.audit.map((e) => `${e.kind}:${e.id}`)).toEqual(['merge:1', 'merge:2', 'unmerge:3', 'unmerge:4']);
  });
});

describe('language', () => {
  it('a detected language sticks to the customer across channels', () => {
    const g = createIdentityGraph();
    const p = see(g, { identifiers: [email('jane@example.com', true), phone('+14158675310', true)], language: { tag: 'de', confidence: 0.8 }, source: 'email', at: min(0) }).profileId;
    see(g, { identifiers: [phone('415 867 5310', true)], language: { tag: 'en', confidence: 0.6 }, source: 'sms', at: min(1) });
    see(g, { identifiers: [email('jane@example.com')], language: { tag: 'en', confidence: 0.8 }, source: 'chat', at: min(2) });
    expect(languageOf(g, p)).toBe('de');
  });

  it('a later detection with a higher confidence replaces it; an explicit preference always does, and then sticks', () => {
    const g = createIdentityGraph();
    const p = see(g, { identifiers: [email('jane@example.com')], language: { tag: 'de', confidence: 0.5 }, source: 'email', at: min(0) }).profileId;
    see(g, { identifiers: [email('jane@example.com')], language: { tag: 'EN-us', confidence: 0.9 }, source: 'chat', at: min(1) });
    expect(languageOf(g, p)).toBe('en-US');
    see(g, { identifiers: [email('jane@example.com')], language: { tag: 'fr', explicit: true, confidence: 0.1 }, source: 'portal', at: min(2) });
    see(g, { identifiers: [email('jane@example.com')], language: { tag: 'en', confidence: 1 }, source: 'chat', at: min(3) });
    expect(languageOf(g, p)).toBe('fr');
    updateProfile(g, { profileId: p, language: 'es', at: min(4) });
    expect(languageOf(g, p)).toBe('es');
  });

  it('ignores a tag that is not a language tag', () => {
    const g = createIdentityGraph();
    const p = see(g, { identifiers: [email('jane@example.com')], language: { tag: 'not a tag!' }, source: 'chat', at: min(0) }).profileId;
    expect(languageOf(g, p)).toBeNull();
  });

  it('follows the customer through a merge', () => {
    const g = createIdentityGraph();
    const a = see(g, { identifiers: [email('jane@example.com', true)], source: 'email', at: min(0) }).profileId;
    const b = see(g, { identifiers: [phone('+14158675310', true)], language: { tag: 'pt-BR', confidence: 0.7 }, source: 'sms', at: min(1) }).profileId;
    see(g, { identifiers: [email('jane@example.com', true), phone('+14158675310', true)], source: 'portal', at: min(2) });
    expect(languageOf(g, a)).toBe('pt-BR');
    expect(languageOf(g, b)).toBe('pt-BR');
  });
});
