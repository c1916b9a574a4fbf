// Identity resolution at scale: 1,000,000 identifiers as channels would hand them over (emails
// in varying case and with display names, phones in national and international formats, social
// handles, account ids), many of them repeats of the same people. Deterministic (seeded).
import {
  createIdentityGraph,
  createNormalizer,
  IdentitySettings,
  liveProfiles,
  observe,
  type IdentifierKind,
  type ObservedIdentifier,
} from '../src/shared/identity';
import type { Channel } from '../src/shared/domain';
import { mulberry32, type BenchRow as Row } from './common';


interface RawIdentifier {
  kind: IdentifierKind;
  raw: string;
  platform?: string;
  verified: boolean;
}

interface RawObservation {
  ids: RawIdentifier[];
  name: string | null;
  company: string | null;
  language: { tag: string; confidence: number } | null;
  source: Channel;
  eventId: number;
}


const FIRST = ['Jane', 'John', 'Ana', 'Luis', 'Mei', 'Omar', 'Priya', 'Sven', 'Chloe', 'Kofi', 'Yuki', 'Ines', 'Tom', 'Lena', 'Ravi', 'Sara'];
const SYLLABLES = ['ba', 'ken', 'lo', 'mar', 'ti', 'son', 've', 'dra', 'qui', 'nel', 'ro', 'sha', 'wen', 'zu', 'fel', 'ga', 'hol', 'ji', 'pe', 'tor'];
const DOMAINS = ['example.com', 'mail.example', 'acme.example', 'globex.example', 'müller.example'];
const COMPANY_WORDS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Tyrell', 'Cyberdyne', 'Soylent', 'Wonka', 'Gringotts', 'Vandelay', 'Pied Piper', 'Dunder', 'Monarch', 'Oscorp', 'Aperture', 'Black Mesa', 'Massive'];
const COMPANY_KINDS = ['Inc.', 'Ltd', 'GmbH', 'Labs', 'Logistics', 'Foods', 'Systems', 'Bank', 'Health', 'Media', 'Energy', 'Retail', 'Motors', 'Studios', 'Games', 'Travel', 'Insurance', 'Robotics', 'Textiles', 'Pharma', 'Capital', 'Farms', 'Airlines', 'Telecom', 'Hotels'];
const AREAS = ['415', '212', '646', '312', '617', '206', '512', '303'];
const LANGS = ['en', 'de', 'es', 'fr', 'pt-BR', 'ja'];

interface Person {
  first: string;
  last: string;
  company: string;
  local: string;
  domain: string;
  national: string; // US: 10 digits; GB: 10 digits after +44
  uk: boolean;
  handle: string;
  insta: string;
  psid: string;
  account: string;
  lang: string;
  /** How this person's mail client writes the From header (most mail comes that way). */
  habit: number;
}

function person(i: number, rnd: () => number): Person {
  const first = FIRST[Math.floor(rnd() * FIRST.length)]!;
  // Three syllables: 8,000 family names, so that name + company rarely collide, as in life.
  const last = [0, 1, 2].map(() => SYLLABLES[Math.floor(rnd() * SYLLABLES.length)]!).join('');
  const family = last[0]!.toUpperCase() + last.slice(1);
  const uk = rnd() < 0.2;
  return {
    first,
    last: family,
    company: `${COMPANY_WORDS[Math.floor(rnd() * COMPANY_WORDS.length)]} ${COMPANY_KINDS[Math.floor(rnd() * COMPANY_KINDS.length)]}`,
    local: `${first}.${family}${i}`,
    domain: DOMAINS[i % DOMAINS.length]!,
    national: uk ? `20${3000_0000 + i}` : `${AREAS[i % AREAS.length]}${2_000_000 + i}`,
    uk,
    handle: `${first.slice(0, 4)}${family.slice(0, 4)}${i}`,
    insta: `${first}.${family}.${i}`.toLowerCase(),
    psid: String(6_000_000_000_000_000 + i * 7919),
    account: `acct-${i}`,
    lang: LANGS[i % LANGS.length]!,
    habit: Math.floor(rnd() * 5),
  };
}

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

/** Email as a From header: the person's habitual form, sometimes another (a phone, a webmail). */
function emailWritten(p: Person, rnd: () => number, typed = false): string {
  const address = `${p.local}@${p.domain}`;
  const form = typed || rnd() < 0.15 ? Math.floor(rnd() * 5) : p.habit;
  switch (form) {
    case 0:
      return address.toUpperCase();
    case 1:
      return `"${p.first} ${p.last}" <${address}>`;
    case 2:
      return `  ${p.local.toLowerCase()}+support@${p.domain.toUpperCase()} `;
    case 3:
      return `${p.first} ${p.last} <${p.local.toLowerCase()}@${p.domain}>`;
    default:
      return address;
  }
}

/** Caller id and SMS senders arrive from the carrier in E.164. */
const phoneFromCarrier = (p: Person) => (p.uk ? `+44${p.national}` : `+1${p.national}`);

/** A number typed by the customer into a form or a message: any of the ways people write it. */
function phoneTyped(p: Person, rnd: () => number): string {
  const n = p.national;
  if (p.uk) {
    return pick(rnd, [`+44 ${n.slice(0, 2)} ${n.slice(2, 6)} ${n.slice(6)}`, `0044 ${n.slice(0, 2)} ${n.slice(2, 6)} ${n.slice(6)}`, `011 44 ${n}`, `+44 (0) ${n}`]);
  }
  return pick(rnd, [`+1 (${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`, `${n.slice(0, 3)}/${n.slice(3, 6)} ${n.slice(6)}`, `${n.slice(0, 3)}.${n.slice(3, 6)}.${n.slice(6)}`, `(${n.slice(0, 3)}) ${n.slice(3, 6)} ${n.slice(6)}`, `1-${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`]);
}

/**
 * Observations until `total` identifiers, in batches, so that memory holds the graph and not the
 * input; people are drawn with a skew, so most observations are repeats of a few people.
 */
export function* generate(total: number, seed: number, batch = 10_000): Generator<RawObservation[]> {
  const rnd = mulberry32(seed);
  const peopleCount = peopleFor(total);
  const people: Person[] = [];
  for (let i = 0; i < peopleCount; i++) people.push(person(i, rnd));
  let out: RawObservation[] = [];
  let n = 0;
  let eventId = 1;
  while (n < total) {
    const p = people[Math.floor(peopleCount * rnd() * rnd())]!; // skewed: a few people write a lot
    const r = rnd();
    const email = (verified: boolean, typed = false): RawIdentifier => ({ kind: 'email', raw: emailWritten(p, rnd, typed), verified });
    const carrier: RawIdentifier = { kind: 'phone', raw: phoneFromCarrier(p), verified: true };
    const typedPhone: RawIdentifier = { kind: 'phone', raw: phoneTyped(p, rnd), verified: false };
    const account: RawIdentifier = { kind: 'account', raw: p.account, platform: 'portal', verified: true };
    let ids: RawIdentifier[];
    let source: Channel;
    if (r < 0.35) [ids, source] = [[email(false)], 'email'];
    else if (r < 0.5) [ids, source] = [[carrier], 'sms'];
    else if (r < 0.6) [ids, source] = [[carrier], 'phone'];
    else if (r < 0.72) [ids, source] = [[{ ...account, platform: 'widget', raw: `v-${p.account}` }, email(false, true), typedPhone], 'chat'];
    else if (r < 0.8) [ids, source] = [[{ kind: 'social', platform: 'x', raw: pick(rnd, [`@${p.handle}`, p.handle.toUpperCase(), `https://x.com/${p.handle}`]), verified: true }], 'x'];
    else if (r < 0.86) [ids, source] = [[{ kind: 'social', platform: 'instagram', raw: `@${p.insta}`, verified: true }], 'instagram'];
    else if (r < 0.9) [ids, source] = [[{ kind: 'social', platform: 'messenger', raw: p.psid, verified: true }], 'messenger'];
    else [ids, source] = [[account, email(true, true), { ...typedPhone, verified: true }, { kind: 'social', platform: 'x', raw: p.handle, verified: true }], 'portal'];
    ids = ids.slice(0, total - n);
    n += ids.length;
    out.push({
      ids,
      name: rnd() < 0.7 ? `${p.first} ${p.last}` : null,
      company: rnd() < 0.5 ? p.company : null,
      language: rnd() < 0.3 ? { tag: p.lang, confidence: 0.5 + rnd() / 2 } : null,
      source,
      eventId: eventId++,
    });
    if (out.length === batch) {
      yield out;
      out = [];
    }
  }
  if (out.length > 0) yield out;
}

const peopleFor = (total: number) => Math.max(10, Math.round(total / 20));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const T0 = Date.UTC(2026, 0, 1);

export async function bench(options: { identifiers?: number; seed?: number } = {}): Promise<Row[]> {
  const total = options.identifiers ?? 1_000_000;
  const seed = options.seed ?? 7;
  const settings = IdentitySettings.parse({ foldPlus: true, defaultRegion: 'US' });
  let peakRss = process.memoryUsage().rss;
  const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));

  const one = passOne(total, seed, settings, sample);
  const endToEndMs = passTwo(total, seed, settings, sample);
  const label = total === 1_000_000 ? '1M' : fmt(total);
  return [
    { figure: 'identity: input', value: `${fmt(total)} raw identifiers in ${fmt(one.observations)} observations of ${fmt(peopleFor(total))} people` },
    { figure: 'identity: normalize, no memo', value: `${fmt(total / (one.normalizeMs / 1000))} identifiers/s, ${secs(one.normalizeMs)}${one.invalid > 0 ? `, ${fmt(one.invalid)} refused` : ''}` },
    { figure: `identity: resolve ${label} normalized identifiers (graph only)`, value: `${fmt(total / (one.resolveMs / 1000))} identifiers/s, ${secs(one.resolveMs)}`, target: 'a few seconds' },
    { figure: `identity: resolve ${label} raw identifiers end to end (phone memo ${fmt(MEMO)})`, value: `${fmt(total / (endToEndMs / 1000))} identifiers/s, ${secs(endToEndMs)}` },
    { figure: 'identity: outcome', value: one.outcome },
    { figure: 'identity: peak RSS', value: `${fmt(peakRss / 1048576)} MiB` },
  ];
}

const MEMO = 100_000;
const at = (n: number) => T0 + n * 1000;

/** Batch by batch (generating a batch is not timed): normalizing with no memo, then the graph alone. */
function passOne(total: number, seed: number, settings: IdentitySettings, sample: () => void) {
  const plain = createNormalizer(settings);
  const graph = createIdentityGraph();
  let normalizeMs = 0;
  let resolveMs = 0;
  let observations = 0;
  let invalid = 0;
  let merges = 0;
  let suggestions = 0;
  for (const batch of generate(total, seed)) {
    const base = observations;
    observations += batch.length;
    let t = performance.now();
    const normalized: ObservedIdentifier[][] = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const out: ObservedIdentifier[] = [];
      for (const id of batch[i]!.ids) {
        const r = plain(id.kind, id.raw, id.platform);
        if (r.ok) out.push({ ...r.identifier, verified: id.verified });
        else invalid++;
      }
      normalized[i] = out;
    }
    normalizeMs += performance.now() - t;

    t = performance.now();
    for (let i = 0; i < batch.length; i++) {
      const o = batch[i]!;
      const r = observe(graph, { identifiers: normalized[i]!, name: o.name, company: o.company, language: o.language, source: o.source, at: at(base + i), eventId: o.eventId });
      if (!r.ok) throw new Error(r.message);
      merges += r.merges.length;
      suggestions += r.suggestions.length;
    }
    resolveMs += performance.now() - t;
    sample();
  }
  const outcome = `${fmt(liveProfiles(graph).length)} live profiles, ${fmt(merges)} automatic merges, ${fmt(suggestions)} merge suggestions, ${fmt(graph.identifiers.size)} distinct identifiers, ${fmt(graph.events.id.length)} events`;
  return { observations, normalizeMs, resolveMs, invalid, outcome };
}

/** End to end as a service runs it: a normalizer with a phone memo in front of a fresh graph. */
function passTwo(total: number, seed: number, settings: IdentitySettings, sample: () => void): number {
  const cached = createNormalizer(settings, { cacheSize: MEMO });
  const graph = createIdentityGraph();
  let ms = 0;
  let n = 0;
  for (const batch of generate(total, seed)) {
    const t = performance.now();
    for (const o of batch) {
      const ids: ObservedIdentifier[] = [];
      for (const id of o.ids) {
        const r = cached(id.kind, id.raw, id.platform);
        if (r.ok) ids.push({ ...r.identifier, verified: id.verified });
      }
      const r = observe(graph, { identifiers: ids, name: o.name, company: o.company, language: o.language, source: o.source, at: at(n++), eventId: o.eventId });
      if (!r.ok) throw new Error(r.message);
    }
    ms += performance.now() - t;
    sample();
  }
  return ms;
}
