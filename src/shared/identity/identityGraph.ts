// The identity graph: which identifiers (with where and when they were seen) and which timeline
// events belong to which customer profile, how profiles merge and unmerge, and the audit of it.
// Pure and deterministic (time comes in as `at`), but mutable: see "State" below for why.
//
// State. One plain object of Maps and arrays, changed in place by the operations, which return
// what happened. Resolving a million identifiers is a million Map lookups, and on a big graph
// each is a few cache misses; copying maps per observation (or a persistent structure) would
// multiply that. The owner of a graph (the store or the hub) holds the only reference;
// `cloneGraph` makes an independent copy for tests, snapshots and what-ifs. For the same reason
// event ownership is kept in columns (arrays of numbers) rather than an object per event, and
// short lists are kept short (see `append`): the garbage collector traces what the graph holds.
//
// Ownership. An identifier key has claims: the profiles that were seen with it, each with its own
// provenance (per source channel: first/last seen, count, verified). A verified claim is
// exclusive — at most one live profile holds one; unverified claims can be many (anyone can type
// any address into a chat form). A merge does not move claims or events: the merged profile
// points at its survivor (`mergedInto`), lookups follow the pointers to the live profile, and an
// unmerge only has to clear the pointer and hand back what arrived for the merged profile since.
//
// Rules.
// - Resolution. When an observation carries verified identifiers, they alone decide: every
//   profile holding one of them verified is this person; the oldest (createdAt, then id)
//   survives and the others are merged into it automatically (audited, actor 'system'), except
//   pairs an agent has unmerged ("kept apart"). If nobody holds them verified yet, the oldest
//   profile that claimed one of them unverified gets the sighting (its claim becomes verified);
//   if nobody claimed them at all, a new profile is created. Only when nothing in the
//   observation is verified do unverified identifiers resolve it: to the holder of a verified
//   claim on the first identifier that has one, else to the first claimer of the first known
//   identifier. Unverified identifiers attach but never merge.
// - Unverified claims never merge, not even when the identifier is later seen verified: anyone
//   can type someone else's number into a chat form, and the real owner texting from it must not
//   pull that visitor into their profile. A profile that only claimed a verified sighting's
//   identifier unverified gets a merge suggestion with the verified owner instead (reason
//   'unverified-claim', at most 10 per observation, none for pairs kept apart); an agent settles
//   it with a manual merge.
// - Weak evidence: the same name and company (normalized: case, accents, spaces, punctuation,
//   legal suffix) on two live profiles creates a merge suggestion when a profile gets its name or
//   company (at most 10 per profile), kept in the graph; it never merges. There is at most one
//   suggestion per pair of profiles, whatever its reason.
// - Survivor: automatic merges keep the older profile; a manual merge keeps the one the agent
//   picks. The survivor keeps its fields and fills the gaps from the merged profile (name,
//   company, attributes it lacks; the language by the stickiness rule).
// - Unmerge restores both profiles, their identifiers and their events as before the merge. What
//   arrived after the merge stays with the survivor, unless it came in through an identifier
//   that the merged profile held and the survivor did not (or through an identifier that itself
//   arrived that way): that goes back to the merged profile. A survivor field changed since the
//   merge keeps its new value; one still as the merge left it gets its pre-merge value back. The
//   two profiles are then kept apart: verified evidence no longer merges them automatically (a
//   manual merge still can). A merge whose survivor has since been merged into a third profile
//   is undone after that later merge.
// - Language: the first language seen sticks across channels; a detected one replaces it only
//   with a strictly higher confidence, an explicit preference always does (and is replaced only
//   by a newer explicit preference).
import { CHANNEL_LABELS, type Channel } from '../domain';
import { identityError, type IdentityError, type IdentifierKey, type NormalizedIdentifier } from './normalize';

export type ProfileId = number;
export type EventId = string | number;
type Millis = number;

/** Where and when an identifier was seen for one profile, per source channel. */
export interface Sighting {
  source: Channel;
  firstSeen: Millis;
  lastSeen: Millis;
  count: number;
  verified: boolean;
}

export interface Claim {
  profileId: ProfileId;
  verified: boolean;
  verifiedAt: Millis | null;
  firstSeen: Millis;
  lastSeen: Millis;
  sightings: Sighting[];
  /** The graph sequence number when the claim was made: orders "before" and "after" a merge. */
  seq: number;
  /** The known identifier the observation that made this claim resolved through (null: new profile). */
  via: IdentifierKey | null;
}

export interface IdentifierRecord {
  key: IdentifierKey;
  kind: NormalizedIdentifier['kind'];
  platform: string;
  value: string;
  display: string;
  claims: Claim[];
}

export interface LanguageChoice {
  /** A canonical BCP 47 tag (Intl.getCanonicalLocales). */
  tag: string;
  /** 0..1; an explicit preference has 1. */
  confidence: number;
  explicit: boolean;
  at: Millis;
  source: Channel;
}

export interface ProfileFields {
  name: string | null;
  company: string | null;
  language: LanguageChoice | null;
  attributes: Record<string, string>;
}

export interface ProfileRecord extends ProfileFields {
  id: ProfileId;
  createdAt: Millis;
  /** Set while this profile is merged into another; lookups follow it to the live profile. */
  mergedInto: ProfileId | null;
  /** Profiles merged directly into this one. */
  mergedFrom: ProfileId[];
  /** Keys this profile itself claims (not those of the profiles merged into it), oldest claim first. */
  keys: IdentifierKey[];
  /** Events attached to this profile itself: positions in the event columns, ascending. */
  events: number[];
}

/**
 * Event ownership in columns: a million events are a million Map entries and a few arrays of
 * numbers, not a million objects for the garbage collector to trace. Position n is the n-th
 * event observed; `seq` orders it against identifier claims and merges.
 */
export interface EventColumns {
  position: Map<EventId, number>;
  id: EventId[];
  owner: ProfileId[];
  /** The identifier the event's observation resolved through (null: it created the profile). */
  via: Array<IdentifierKey | null>;
  seq: number[];
}

export interface EventRecord {
  eventId: EventId;
  profileId: ProfileId;
  via: IdentifierKey | null;
  seq: number;
}

interface SuggestionBase {
  id: number;
  /** Older profile first. */
  profileIds: [ProfileId, ProfileId];
  at: Millis;
}

/** Weak evidence: the two profiles have the same name at the same company. */
export interface NameAndCompanySuggestion extends SuggestionBase {
  reason: 'same-name-and-company';
  name: string;
  company: string;
}

/** One profile claimed, unverified, an identifier that was then seen verified for the other. */
export interface UnverifiedClaimSuggestion extends SuggestionBase {
  reason: 'unverified-claim';
  identifier: IdentifierKey;
  /** The profile holding the identifier verified: the natural survivor of a manual merge. */
  ownerId: ProfileId;
  /** For the agent, e.g. "Profile 2 claimed phone +1 415 867 5310 unverified; the verified owner is profile 1 (seen on SMS)." */
  detail: string;
}

export type MergeSuggestion = NameAndCompanySuggestion | UnverifiedClaimSuggestion;

/** What an unmerge needs: the merge's position in the sequence and the survivor's fields around it. */
export interface MergeUndo {
  seq: number;
  survivorBefore: ProfileFields;
  survivorAfter: ProfileFields;
}

export interface MergeEntry {
  id: number;
  kind: 'merge';
  mode: 'manual' | 'automatic';
  actor: string;
  at: Millis;
  reason: string;
  survivorId: ProfileId;
  mergedId: ProfileId;
  undo: MergeUndo;
}

export interface UnmergeEntry {
  id: number;
  kind: 'unmerge';
  actor: string;
  at: Millis;
  reason: string;
  mergeId: number;
  survivorId: ProfileId;
  mergedId: ProfileId;
  /** Identifiers and events that arrived after the merge and went back to the merged profile. */
  movedIdentifiers: IdentifierKey[];
  movedEvents: EventId[];
}

export type AuditEntry = MergeEntry | UnmergeEntry;

export interface IdentityGraph {
  profiles: Map<ProfileId, ProfileRecord>;
  identifiers: Map<IdentifierKey, IdentifierRecord>;
  events: EventColumns;
  suggestions: Map<string, MergeSuggestion>;
  /** Normalized "name + company" → profiles whose own fields have it (weak evidence index). */
  byNameAndCompany: Map<string, Set<ProfileId>>;
  /** Pairs an agent unmerged: verified evidence does not merge them again. */
  keptApart: Set<string>;
  /** Append-only; an entry's id is its position + 1. */
  audit: AuditEntry[];
  /** Merge id → the unmerge entry that undid it. */
  unmergedBy: Map<number, number>;
  nextProfileId: ProfileId;
  nextSuggestionId: number;
  seq: number;
}

export type Outcome<T> = ({ ok: true } & T) | IdentityError;

/**
 * Suggestions are capped per profile (and per observation) so that a very common name at one
 * company, or a number many visitors typed (a shop's own line), stays cheap.
 */
export const MAX_SUGGESTIONS_PER_PROFILE = 10;

export function createIdentityGraph(options: { firstProfileId?: ProfileId } = {}): IdentityGraph {
  return {
    profiles: new Map(),
    identifiers: new Map(),
    events: { position: new Map(), id: [], owner: [], via: [], seq: [] },
    suggestions: new Map(),
    byNameAndCompany: new Map(),
    keptApart: new Set(),
    audit: [],
    unmergedBy: new Map(),
    nextProfileId: options.firstProfileId ?? 1,
    nextSuggestionId: 1,
    seq: 0,
  };
}

/** An independent deep copy. */
export function cloneGraph(g: IdentityGraph): IdentityGraph {
  return structuredClone(g);
}

// ----------------------------------------------------------------------------------- observe

export interface ObservedIdentifier extends NormalizedIdentifier {
  /** Proven by this sighting: a verified login, the carrier's caller id, an SMS sender, a signed webhook. */
  verified: boolean;
}

export interface Observation {
  identifiers: ObservedIdentifier[];
  name?: string | null;
  company?: string | null;
  language?: { tag: string; confidence?: number; explicit?: boolean } | null;
  /** Merged over the profile's attributes, newest value wins. */
  attributes?: Record<string, string>;
  source: Channel;
  at: Millis;
  /** The timeline event this observation came with; it is attached to the resolved profile. */
  eventId?: EventId;
}

export interface ObserveResult {
  /** The live profile the observation belongs to. */
  profileId: ProfileId;
  created: boolean;
  /** Automatic merges this observation caused. */
  merges: MergeEntry[];
  /** Merge suggestions this observation created. */
  suggestions: MergeSuggestion[];
  /** The known identifier the observation resolved through (null for a new profile). */
  via: IdentifierKey | null;
  /** The event id was already in the graph; its owner did not change. */
  duplicateEvent: boolean;
}

export function observe(g: IdentityGraph, obs: Observation): Outcome<ObserveResult> {
  const ids = dedupe(obs.identifiers);
  if (ids.length === 0) {
    return identityError('identity/no-identifiers', 'An observation needs at least one identifier: an address, a number, a handle or an account id.');
  }
  // One lookup per identifier: on a big graph each is a few cache misses, the main cost here.
  const recs: Array<IdentifierRecord | undefined> = new Array(ids.length);
  let anyVerified = false;
  for (let n = 0; n < ids.length; n++) {
    recs[n] = g.identifiers.get(ids[n]!.key);
    if (ids[n]!.verified) anyVerified = true;
  }
  const merges: MergeEntry[] = [];
  let target: ProfileRecord | undefined;
  let suggestions: MergeSuggestion[] = [];

  if (anyVerified) {
    // Every profile holding one of the verified identifiers verified, and every profile that only
    // claimed one unverified, each with the identifier that links it.
    const linked: ProfileRecord[] = [];
    const links: ObservedIdentifier[] = [];
    const claimants: ProfileRecord[] = [];
    const claimLinks: ObservedIdentifier[] = [];
    for (let n = 0; n < ids.length; n++) {
      const id = ids[n]!;
      const rec = recs[n];
      if (!id.verified || rec === undefined) continue;
      for (const c of rec.claims) {
        const root = rootOf(g, c.profileId);
        if (c.verified) {
          if (!linked.includes(root)) {
            linked.push(root);
            links.push(id);
          }
        } else if (!claimants.includes(root)) {
          claimants.push(root);
          claimLinks.push(id);
        }
      }
    }
    if (linked.length === 0 && claimants.length > 0) {
      // Nobody holds them verified yet: the oldest claimer gets the sighting, the others a suggestion.
      let oldest = 0;
      for (let n = 1; n < claimants.length; n++) if (byAge(claimants[n]!, claimants[oldest]!) < 0) oldest = n;
      linked.push(claimants[oldest]!);
      links.push(claimLinks[oldest]!);
    }
    if (linked.length === 1) target = linked[0];
    else if (linked.length > 1) {
      const order = linked.map((_, n) => n).sort((a, b) => byAge(linked[a]!, linked[b]!));
      target = linked[order[0]!]!;
      const together: ProfileId[] = [target.id];
      for (const n of order.slice(1)) {
        const other = linked[n]!;
        if (together.some((t) => g.keptApart.has(pairKey(t, other.id)))) continue;
        const link = links[n]!;
        const reason = `Verified ${link.kind} ${link.display} seen on ${CHANNEL_LABELS[obs.source]} belongs to profiles ${target.id} and ${other.id}.`;
        merges.push(mergeInto(g, target, other, { mode: 'automatic', actor: 'system', at: obs.at, reason }));
        together.push(other.id);
      }
    }
    if (target !== undefined && claimants.length > 0) suggestions = suggestToClaimants(g, target, linked, claimants, claimLinks, obs.source, obs.at);
  } else {
    target = weakTarget(g, recs);
  }

  const created = target === undefined;
  if (target === undefined) target = createProfile(g, obs.at);
  const via = created ? null : viaKey(g, ids, recs, target.id);
  for (let n = 0; n < ids.length; n++) attach(g, target, ids[n]!, recs[n], obs.source, obs.at, via);

  // A name or company fills a gap only, so most observations skip this.
  const name = target.name === null ? clean(obs.name) : null;
  const company = target.company === null ? clean(obs.company) : null;
  if (name !== null || company !== null) {
    setNameAndCompany(g, target, target.name ?? name, target.company ?? company);
    const weak = suggestFor(g, target, obs.at);
    if (weak.length > 0) suggestions = suggestions.length === 0 ? weak : [...suggestions, ...weak];
  }
  if (obs.language && mayBeat(obs.language, target.language)) {
    const choice = languageChoice(obs.language, obs.at, obs.source);
    if (choice !== null && beats(choice, target.language, true)) target.language = choice;
  }
  if (obs.attributes) Object.assign(target.attributes, obs.attributes);

  let duplicateEvent = false;
  if (obs.eventId !== undefined) {
    const ev = g.events;
    if (ev.position.has(obs.eventId)) duplicateEvent = true;
    else {
      const n = ev.id.length;
      ev.position.set(obs.eventId, n);
      ev.id.push(obs.eventId);
      ev.owner.push(target.id);
      ev.via.push(via);
      ev.seq.push(++g.seq);
      target.events = append(target.events, n);
    }
  }
  return { ok: true, profileId: target.id, created, merges, suggestions, via, duplicateEvent };
}

function dedupe(ids: ObservedIdentifier[]): ObservedIdentifier[] {
  if (ids.length < 2) return ids;
  const seen = new Map<IdentifierKey, ObservedIdentifier>();
  for (const id of ids) {
    const prev = seen.get(id.key);
    if (prev === undefined) seen.set(id.key, id);
    else if (id.verified && !prev.verified) seen.set(id.key, { ...prev, verified: true });
  }
  return [...seen.values()];
}

function weakTarget(g: IdentityGraph, recs: Array<IdentifierRecord | undefined>): ProfileRecord | undefined {
  let first: ProfileRecord | undefined;
  for (const rec of recs) {
    if (rec === undefined || rec.claims.length === 0) continue;
    const verified = rec.claims.find((c) => c.verified);
    if (verified) return rootOf(g, verified.profileId);
    first ??= rootOf(g, rec.claims[0]!.profileId);
  }
  return first;
}

/** The first verified, then the first unverified, identifier of the observation already in the target's tree. */
function viaKey(g: IdentityGraph, ids: ObservedIdentifier[], recs: Array<IdentifierRecord | undefined>, target: ProfileId): IdentifierKey | null {
  let unverified: IdentifierKey | null = null;
  for (let n = 0; n < ids.length; n++) {
    const id = ids[n]!;
    const rec = recs[n];
    if (rec === undefined || !heldBy(g, rec, target)) continue;
    if (id.verified) return id.key;
    unverified ??= id.key;
  }
  return unverified;
}

function heldBy(g: IdentityGraph, rec: IdentifierRecord, root: ProfileId): boolean {
  for (const c of rec.claims) if (rootId(g, c.profileId) === root) return true;
  return false;
}

function attach(g: IdentityGraph, target: ProfileRecord, id: ObservedIdentifier, known: IdentifierRecord | undefined, source: Channel, at: Millis, via: IdentifierKey | null): void {
  let rec = known;
  if (rec === undefined) {
    rec = { key: id.key, kind: id.kind, platform: id.platform, value: id.value, display: id.display, claims: [] };
    g.identifiers.set(id.key, rec);
  }
  let claim: Claim | undefined;
  let verifiedElsewhere = false;
  for (const c of rec.claims) {
    if (c.profileId === target.id || (claim === undefined && rootId(g, c.profileId) === target.id)) claim = c;
    else if (c.verified && rootId(g, c.profileId) !== target.id) verifiedElsewhere = true;
  }
  // A verified claim is exclusive: when another live profile (kept apart from this one) holds
  // it, this sighting counts as unverified here.
  const verified = id.verified && !verifiedElsewhere;
  if (claim === undefined) {
    claim = { profileId: target.id, verified: false, verifiedAt: null, firstSeen: at, lastSeen: at, sightings: [], seq: ++g.seq, via };
    rec.claims = append(rec.claims, claim);
    target.keys = append(target.keys, id.key);
  }
  if (at < claim.firstSeen) claim.firstSeen = at;
  if (at > claim.lastSeen) claim.lastSeen = at;
  if (verified && (!claim.verified || at < claim.verifiedAt!)) {
    claim.verified = true;
    claim.verifiedAt = at;
  }
  let s: Sighting | undefined;
  for (const x of claim.sightings) if (x.source === source) s = x;
  if (s === undefined) {
    s = { source, firstSeen: at, lastSeen: at, count: 0, verified: false };
    claim.sightings = append(claim.sightings, s);
  }
  s.count++;
  if (at < s.firstSeen) s.firstSeen = at;
  if (at > s.lastSeen) s.lastSeen = at;
  if (verified) s.verified = true;
}

/**
 * Appends, keeping short lists short: V8 gives a pushed-to array room for 17 elements, and most
 * of these lists (claims of a key, sightings of a claim, keys of a profile) hold one to three.
 * Hundreds of thousands of them are most of the graph's memory.
 */
function append<T>(list: T[], item: T): T[] {
  if (list.length >= 8) {
    list.push(item);
    return list;
  }
  const copy = new Array<T>(list.length + 1);
  for (let n = 0; n < list.length; n++) copy[n] = list[n]!;
  copy[list.length] = item;
  return copy;
}

function createProfile(g: IdentityGraph, at: Millis): ProfileRecord {
  const p: ProfileRecord = {
    id: g.nextProfileId++,
    createdAt: at,
    name: null,
    company: null,
    language: null,
    attributes: {},
    mergedInto: null,
    mergedFrom: [],
    keys: [],
    events: [],
  };
  g.profiles.set(p.id, p);
  return p;
}

// ------------------------------------------------------------------------- merge and unmerge

export interface MergeRequest {
  survivorId: ProfileId;
  mergedId: ProfileId;
  actor: string;
  at: Millis;
  reason: string;
}

/** A manual merge: the agent picks the survivor. Ids of already-merged profiles stand for their live profile. */
export function merge(g: IdentityGraph, req: MergeRequest): Outcome<{ entry: MergeEntry }> {
  const survivor = g.profiles.get(req.survivorId);
  const merged = g.profiles.get(req.mergedId);
  if (survivor === undefined || merged === undefined) {
    return identityError('identity/not-found', `There is no customer profile ${survivor === undefined ? req.survivorId : req.mergedId}.`);
  }
  const s = rootOf(g, survivor.id);
  const m = rootOf(g, merged.id);
  if (s.id === m.id) return identityError('identity/already-merged', `Profiles ${req.survivorId} and ${req.mergedId} are already one customer (profile ${s.id}).`);
  g.keptApart.delete(pairKey(s.id, m.id));
  return { ok: true, entry: mergeInto(g, s, m, { mode: 'manual', actor: req.actor, at: req.at, reason: req.reason }) };
}

function mergeInto(g: IdentityGraph, survivor: ProfileRecord, merged: ProfileRecord, meta: { mode: MergeEntry['mode']; actor: string; at: Millis; reason: string }): MergeEntry {
  const before = fieldsOf(survivor);
  setNameAndCompany(g, survivor, survivor.name ?? merged.name, survivor.company ?? merged.company);
  if (merged.language !== null && beats(merged.language, survivor.language, false)) survivor.language = { ...merged.language };
  survivor.attributes = { ...merged.attributes, ...survivor.attributes };
  merged.mergedInto = survivor.id;
  survivor.mergedFrom.push(merged.id);
  const entry: MergeEntry = {
    id: g.audit.length + 1,
    kind: 'merge',
    ...meta,
    survivorId: survivor.id,
    mergedId: merged.id,
    undo: { seq: g.seq, survivorBefore: before, survivorAfter: fieldsOf(survivor) },
  };
  g.audit.push(entry);
  return entry;
}

export interface UnmergeRequest {
  mergeId: number;
  actor: string;
  at: Millis;
  reason?: string;
}

export function unmerge(g: IdentityGraph, req: UnmergeRequest): Outcome<{ entry: UnmergeEntry }> {
  const m = g.audit[req.mergeId - 1];
  if (m === undefined || m.kind !== 'merge') return identityError('identity/not-found', `There is no merge #${req.mergeId} in the audit log.`);
  const undoneBy = g.unmergedBy.get(m.id);
  if (undoneBy !== undefined) return identityError('identity/already-unmerged', `Merge #${m.id} was already undone (audit entry #${undoneBy}).`);
  const survivor = g.profiles.get(m.survivorId)!;
  const merged = g.profiles.get(m.mergedId)!;
  if (survivor.mergedInto !== null) {
    const later = [...g.audit].reverse().find((e): e is MergeEntry => e.kind === 'merge' && e.mergedId === survivor.id && !g.unmergedBy.has(e.id));
    return identityError(
      'identity/unmerge-order',
      `Profile ${survivor.id} has since been merged into profile ${survivor.mergedInto}; undo merge #${later?.id ?? '?'} first, then merge #${m.id}.`,
    );
  }
  const { seq, survivorBefore, survivorAfter } = m.undo;

  merged.mergedInto = null;
  survivor.mergedFrom.splice(survivor.mergedFrom.indexOf(merged.id), 1);

  // The identifiers that speak for the merged profile: those its side held and the survivor's
  // side did not hold at the time of the merge.
  const survivorHeld = new Set<IdentifierKey>();
  for (const p of tree(g, survivor)) {
    for (const key of p.keys) if (claimOf(g, key, p.id).seq <= seq) survivorHeld.add(key);
  }
  const theirs = new Set<IdentifierKey>();
  for (const p of tree(g, merged)) for (const key of p.keys) if (!survivorHeld.has(key)) theirs.add(key);

  // What the survivor itself gained after the merge, in arrival order, goes back when it came
  // through one of those; what it brought in counts as theirs too.
  const movedIdentifiers: IdentifierKey[] = [];
  const later = survivor.keys
    .map((key) => ({ key, claim: claimOf(g, key, survivor.id) }))
    .filter((x) => x.claim.seq > seq)
    .sort((a, b) => a.claim.seq - b.claim.seq);
  for (const { key, claim } of later) {
    if (claim.via === null || !theirs.has(claim.via)) continue;
    claim.profileId = merged.id;
    theirs.add(key);
    movedIdentifiers.push(key);
  }
  if (movedIdentifiers.length > 0) {
    const moved = new Set(movedIdentifiers);
    survivor.keys = survivor.keys.filter((k) => !moved.has(k));
    merged.keys = [...merged.keys, ...movedIdentifiers];
  }
  // Event positions ascend with seq, so only the tail of the survivor's list can have arrived later.
  const ev = g.events;
  const movedPositions: number[] = [];
  let first = survivor.events.length;
  while (first > 0 && ev.seq[survivor.events[first - 1]!]! > seq) first--;
  const kept = survivor.events.slice(0, first);
  for (const n of survivor.events.slice(first)) {
    const via = ev.via[n]!;
    if (via !== null && theirs.has(via)) {
      ev.owner[n] = merged.id;
      movedPositions.push(n);
    } else kept.push(n);
  }
  const movedEvents = movedPositions.map((n) => ev.id[n]!);
  if (movedPositions.length > 0) {
    survivor.events = kept;
    merged.events = [...merged.events, ...movedPositions].sort((a, b) => a - b);
  }

  // Survivor fields: back to before the merge unless changed since.
  setNameAndCompany(
    g,
    survivor,
    survivor.name === survivorAfter.name ? survivorBefore.name : survivor.name,
    survivor.company === survivorAfter.company ? survivorBefore.company : survivor.company,
  );
  if (sameLanguage(survivor.language, survivorAfter.language)) survivor.language = survivorBefore.language === null ? null : { ...survivorBefore.language };
  const attributes = { ...survivor.attributes };
  for (const k of new Set([...Object.keys(survivorAfter.attributes), ...Object.keys(survivorBefore.attributes)])) {
    if (survivor.attributes[k] !== survivorAfter.attributes[k]) continue;
    if (Object.hasOwn(survivorBefore.attributes, k)) attributes[k] = survivorBefore.attributes[k]!;
    else delete attributes[k];
  }
  survivor.attributes = attributes;

  g.keptApart.add(pairKey(survivor.id, merged.id));
  const entry: UnmergeEntry = {
    id: g.audit.length + 1,
    kind: 'unmerge',
    actor: req.actor,
    at: req.at,
    reason: req.reason ?? `Undo merge #${m.id}.`,
    mergeId: m.id,
    survivorId: survivor.id,
    mergedId: merged.id,
    movedIdentifiers,
    movedEvents,
  };
  g.audit.push(entry);
  g.unmergedBy.set(m.id, entry.id);
  return { ok: true, entry };
}

// ------------------------------------------------------------------------------ agent edits

export interface ProfileUpdate {
  profileId: ProfileId;
  /** undefined leaves the field alone; null clears it. */
  name?: string | null;
  company?: string | null;
  /** A null value removes the attribute. */
  attributes?: Record<string, string | null>;
  /** An explicit language preference (always wins over detected ones). */
  language?: string | null;
  source?: Channel;
  at: Millis;
}

/** An agent's edit of the live profile an id stands for. */
export function updateProfile(g: IdentityGraph, u: ProfileUpdate): Outcome<{ profileId: ProfileId; suggestions: MergeSuggestion[] }> {
  const p = g.profiles.get(u.profileId);
  if (p === undefined) return identityError('identity/not-found', `There is no customer profile ${u.profileId}.`);
  const root = rootOf(g, p.id);
  const name = u.name === undefined ? root.name : clean(u.name);
  const company = u.company === undefined ? root.company : clean(u.company);
  let suggestions: MergeSuggestion[] = [];
  if (name !== root.name || company !== root.company) {
    setNameAndCompany(g, root, name, company);
    suggestions = suggestFor(g, root, u.at);
  }
  if (u.attributes) {
    const next = { ...root.attributes };
    for (const [k, v] of Object.entries(u.attributes)) {
      if (v === null) delete next[k];
      else next[k] = v;
    }
    root.attributes = next;
  }
  if (u.language === null) root.language = null;
  else if (u.language !== undefined) {
    const choice = languageChoice({ tag: u.language, explicit: true }, u.at, u.source ?? 'portal');
    if (choice !== null) root.language = choice;
  }
  return { ok: true, profileId: root.id, suggestions };
}

// ---------------------------------------------------------------------------------- lookups

/** The live profile an identifier belongs to: the holder of its verified claim, else its first claimer. */
export function resolve(g: IdentityGraph, key: IdentifierKey): ProfileId | null {
  const rec = g.identifiers.get(key);
  if (rec === undefined || rec.claims.length === 0) return null;
  const claim = rec.claims.find((c) => c.verified) ?? rec.claims[0]!;
  return rootId(g, claim.profileId);
}

/** The live profile id an id stands for (itself, or the profile it was merged into); null if unknown. */
export function liveProfileId(g: IdentityGraph, profileId: ProfileId): ProfileId | null {
  return g.profiles.has(profileId) ? rootId(g, profileId) : null;
}

export interface ProfileView {
  id: ProfileId;
  name: string | null;
  company: string | null;
  language: string | null;
  attributes: Record<string, string>;
  createdAt: Millis;
  /** Every profile merged into this one, directly or not. */
  mergedIds: ProfileId[];
}

/** The live profile an id stands for, with the ids merged into it. */
export function profileOf(g: IdentityGraph, profileId: ProfileId): ProfileView | null {
  if (!g.profiles.has(profileId)) return null;
  const p = rootOf(g, profileId);
  return {
    id: p.id,
    name: p.name,
    company: p.company,
    language: p.language?.tag ?? null,
    attributes: { ...p.attributes },
    createdAt: p.createdAt,
    mergedIds: tree(g, p)
      .map((x) => x.id)
      .filter((id) => id !== p.id)
      .sort((a, b) => a - b),
  };
}

export interface IdentifierView {
  key: IdentifierKey;
  kind: NormalizedIdentifier['kind'];
  platform: string;
  value: string;
  display: string;
  verified: boolean;
  verifiedAt: Millis | null;
  firstSeen: Millis;
  lastSeen: Millis;
  /** Per source channel, oldest first. */
  sightings: Sighting[];
}

/** The identifiers of the live profile an id stands for, with their provenance, in the order they were first claimed. */
export function identifiersOf(g: IdentityGraph, profileId: ProfileId): IdentifierView[] {
  if (!g.profiles.has(profileId)) return [];
  const members = tree(g, rootOf(g, profileId));
  const ids = new Set(members.map((p) => p.id));
  const views: Array<IdentifierView & { seq: number }> = [];
  const seen = new Set<IdentifierKey>();
  for (const p of members) {
    for (const key of p.keys) {
      if (seen.has(key)) continue;
      seen.add(key);
      const rec = g.identifiers.get(key)!;
      const claims = rec.claims.filter((c) => ids.has(c.profileId));
      const sightings = new Map<Channel, Sighting>();
      for (const c of claims) {
        for (const s of c.sightings) {
          const prev = sightings.get(s.source);
          sightings.set(
            s.source,
            prev === undefined
              ? { ...s }
              : { source: s.source, firstSeen: Math.min(prev.firstSeen, s.firstSeen), lastSeen: Math.max(prev.lastSeen, s.lastSeen), count: prev.count + s.count, verified: prev.verified || s.verified },
          );
        }
      }
      const verifiedAts = claims.filter((c) => c.verifiedAt !== null).map((c) => c.verifiedAt!);
      views.push({
        key,
        kind: rec.kind,
        platform: rec.platform,
        value: rec.value,
        display: rec.display,
        verified: claims.some((c) => c.verified),
        verifiedAt: verifiedAts.length > 0 ? Math.min(...verifiedAts) : null,
        firstSeen: Math.min(...claims.map((c) => c.firstSeen)),
        lastSeen: Math.max(...claims.map((c) => c.lastSeen)),
        sightings: [...sightings.values()].sort((a, b) => a.firstSeen - b.firstSeen),
        seq: Math.min(...claims.map((c) => c.seq)),
      });
    }
  }
  return views.sort((a, b) => a.seq - b.seq).map(({ seq: _seq, ...v }) => v);
}

/** The timeline events of the live profile an id stands for, in the order they were observed. */
export function eventsOf(g: IdentityGraph, profileId: ProfileId): EventId[] {
  if (!g.profiles.has(profileId)) return [];
  const positions: number[] = [];
  for (const p of tree(g, rootOf(g, profileId))) for (const n of p.events) positions.push(n);
  return positions.sort((a, b) => a - b).map((n) => g.events.id[n]!);
}

/** Who an event belongs to, and how it got there. */
export function eventRecord(g: IdentityGraph, eventId: EventId): EventRecord | null {
  const n = g.events.position.get(eventId);
  if (n === undefined) return null;
  return { eventId, profileId: g.events.owner[n]!, via: g.events.via[n]!, seq: g.events.seq[n]! };
}

/** The live profile an event belongs to. */
export function ownerOfEvent(g: IdentityGraph, eventId: EventId): ProfileId | null {
  const n = g.events.position.get(eventId);
  return n === undefined ? null : rootId(g, g.events.owner[n]!);
}

/** The sticky language of the live profile an id stands for. */
export function languageOf(g: IdentityGraph, profileId: ProfileId): string | null {
  if (!g.profiles.has(profileId)) return null;
  return rootOf(g, profileId).language?.tag ?? null;
}

/** Open suggestions: the two sides are still different live profiles and nobody kept them apart. */
export function suggestionsOf(g: IdentityGraph, profileId?: ProfileId): MergeSuggestion[] {
  const want = profileId === undefined ? null : liveProfileId(g, profileId);
  const out: MergeSuggestion[] = [];
  const seen = new Set<string>();
  for (const s of g.suggestions.values()) {
    const a = rootOf(g, s.profileIds[0]);
    const b = rootOf(g, s.profileIds[1]);
    if (a.id === b.id || g.keptApart.has(pairKey(a.id, b.id))) continue;
    if (want !== null && a.id !== want && b.id !== want) continue;
    const pair = pairKey(a.id, b.id);
    if (seen.has(pair)) continue;
    seen.add(pair);
    const [older, newer] = byAge(a, b) <= 0 ? [a, b] : [b, a];
    out.push(s.reason === 'unverified-claim' ? { ...s, profileIds: [older.id, newer.id], ownerId: rootId(g, s.ownerId) } : { ...s, profileIds: [older.id, newer.id] });
  }
  return out;
}

/** Live profiles, in the order they were created. */
export function liveProfiles(g: IdentityGraph): ProfileId[] {
  const out: ProfileId[] = [];
  for (const p of g.profiles.values()) if (p.mergedInto === null) out.push(p.id);
  return out;
}

// ---------------------------------------------------------------------------------- helpers

function rootOf(g: IdentityGraph, id: ProfileId): ProfileRecord {
  let p = g.profiles.get(id)!;
  while (p.mergedInto !== null) p = g.profiles.get(p.mergedInto)!;
  return p;
}

function rootId(g: IdentityGraph, id: ProfileId): ProfileId {
  return rootOf(g, id).id;
}

function tree(g: IdentityGraph, root: ProfileRecord): ProfileRecord[] {
  const out: ProfileRecord[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const p = stack.pop()!;
    out.push(p);
    for (const id of p.mergedFrom) stack.push(g.profiles.get(id)!);
  }
  return out;
}

function claimOf(g: IdentityGraph, key: IdentifierKey, profileId: ProfileId): Claim {
  return g.identifiers.get(key)!.claims.find((c) => c.profileId === profileId)!;
}

function byAge(a: ProfileRecord, b: ProfileRecord): number {
  return a.createdAt - b.createdAt || a.id - b.id;
}

function pairKey(a: ProfileId, b: ProfileId): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

function fieldsOf(p: ProfileRecord): ProfileFields {
  return { name: p.name, company: p.company, language: p.language === null ? null : { ...p.language }, attributes: { ...p.attributes } };
}

function clean(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  const t = s.trim().replace(/\s+/g, ' ');
  return t.length === 0 ? null : t;
}

const LEGAL_SUFFIX = /\s(?:inc|incorporated|llc|ltd|limited|gmbh|ag|sa|sas|sarl|bv|nv|plc|co|corp|corporation|company|oy|ab|as|srl|spa|pty)$/;

/** The weak-evidence form: no case, accents, punctuation or legal suffix ("ACME, Inc." = "Acme"). */
export function weakForm(s: string): string {
  const t = s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return t.replace(LEGAL_SUFFIX, '').trim();
}

function nameCompanyKey(name: string | null, company: string | null): string | null {
  if (name === null || company === null) return null;
  const n = weakForm(name);
  const c = weakForm(company);
  return n.length === 0 || c.length === 0 ? null : `${n}\u0000${c}`;
}

function setNameAndCompany(g: IdentityGraph, p: ProfileRecord, name: string | null, company: string | null): void {
  const oldKey = nameCompanyKey(p.name, p.company);
  const newKey = nameCompanyKey(name, company);
  p.name = name;
  p.company = company;
  if (oldKey === newKey) return;
  if (oldKey !== null) {
    const bucket = g.byNameAndCompany.get(oldKey);
    bucket?.delete(p.id);
    if (bucket?.size === 0) g.byNameAndCompany.delete(oldKey);
  }
  if (newKey !== null) {
    let bucket = g.byNameAndCompany.get(newKey);
    if (bucket === undefined) g.byNameAndCompany.set(newKey, (bucket = new Set()));
    bucket.add(p.id);
  }
}

function suggestFor(g: IdentityGraph, p: ProfileRecord, at: Millis): MergeSuggestion[] {
  const key = nameCompanyKey(p.name, p.company);
  if (key === null) return [];
  const out: MergeSuggestion[] = [];
  for (const otherId of g.byNameAndCompany.get(key) ?? []) {
    if (out.length >= MAX_SUGGESTIONS_PER_PROFILE) break;
    const other = rootOf(g, otherId);
    if (other.id === p.id) continue;
    const pair = pairKey(p.id, other.id);
    if (g.suggestions.has(pair) || g.keptApart.has(pair)) continue;
    const [older, newer] = byAge(p, other) <= 0 ? [p, other] : [other, p];
    const s: MergeSuggestion = { id: g.nextSuggestionId++, profileIds: [older.id, newer.id], reason: 'same-name-and-company', name: p.name!, company: p.company!, at };
    g.suggestions.set(pair, s);
    out.push(s);
  }
  return out;
}

/** Suggestions between the verified owner and the profiles that only claimed its identifier unverified. */
function suggestToClaimants(
  g: IdentityGraph,
  owner: ProfileRecord,
  linked: ProfileRecord[],
  claimants: ProfileRecord[],
  links: ObservedIdentifier[],
  source: Channel,
  at: Millis,
): MergeSuggestion[] {
  const out: MergeSuggestion[] = [];
  for (let n = 0; n < claimants.length && out.length < MAX_SUGGESTIONS_PER_PROFILE; n++) {
    const claimant = claimants[n]!;
    if (linked.includes(claimant)) continue; // holds one of them verified, or got the sighting
    const pair = pairKey(owner.id, claimant.id);
    if (g.suggestions.has(pair) || g.keptApart.has(pair)) continue;
    const link = links[n]!;
    const [older, newer] = byAge(owner, claimant) <= 0 ? [owner, claimant] : [claimant, owner];
    const s: MergeSuggestion = {
      id: g.nextSuggestionId++,
      profileIds: [older.id, newer.id],
      reason: 'unverified-claim',
      identifier: link.key,
      ownerId: owner.id,
      detail: `Profile ${claimant.id} claimed ${link.kind} ${link.display} unverified; the verified owner is profile ${owner.id} (seen on ${CHANNEL_LABELS[source]}).`,
      at,
    };
    g.suggestions.set(pair, s);
    out.push(s);
  }
  return out;
}

function languageChoice(l: { tag: string; confidence?: number; explicit?: boolean }, at: Millis, source: Channel): LanguageChoice | null {
  let tag: string | undefined;
  try {
    tag = Intl.getCanonicalLocales(l.tag.trim())[0];
  } catch {
    return null; // not a BCP 47 tag; a detector's noise must not cost the observation
  }
  if (tag === undefined) return null;
  const explicit = l.explicit === true;
  const confidence = explicit ? 1 : Math.min(1, Math.max(0, l.confidence ?? 0.5));
  return { tag, confidence, explicit, at, source };
}

/** A cheap first look, before the tag is canonicalized: most detections cannot win. */
function mayBeat(l: { confidence?: number; explicit?: boolean }, current: LanguageChoice | null): boolean {
  if (current === null || l.explicit === true) return true;
  return !current.explicit && Math.min(1, Math.max(0, l.confidence ?? 0.5)) > current.confidence;
}

/** Whether a candidate language replaces the current one (stickiness). */
function beats(candidate: LanguageChoice, current: LanguageChoice | null, newerExplicitWinsTies: boolean): boolean {
  if (current === null) return true;
  if (candidate.explicit !== current.explicit) return candidate.explicit;
  if (candidate.explicit) return newerExplicitWinsTies ? candidate.at >= current.at : candidate.at > current.at;
  return candidate.confidence > current.confidence;
}

function sameLanguage(a: LanguageChoice | null, b: LanguageChoice | null): boolean {
  if (a === null || b === null) return a === b;
  return a.tag === b.tag && a.confidence === b.confidence && a.explicit === b.explicit && a.at === b.at && a.source === b.source;
}
