// Builds the demo contact center as plain records, deterministically from (seed, now, sizes): agents,
// customers with identities and notes, cases, and the timeline events as a lazy stream in global
// chronological order. Pure: no I/O, no clock, no Math.random. Only plans ids; seed.ts writes.
import { DEFAULT_CALENDARS, DEFAULT_SLA_POLICY, firstResponseDue } from '../../shared/time';
import { Faker, en } from '@faker-js/faker';
import type { Channel, IssueType, Priority, Tier } from '../../shared/domain';
import { say } from '../../shared/serverErrors';
import { saidMetadata } from '../../shared/storedSentence';
import type { NewAgent, NewCase, NewCustomer, NewCustomerNote, NewEvent, NewIdentity } from '../store/repository';
import {
  AGENT_ACKS,
  AGENT_CLOSERS,
  AGENT_UPDATES,
  CALL_OUTCOME_TEXT,
  CARRIERS,
  CHAT_OPENERS,
  CITIES,
  CONSUMER_DOMAINS,
  COUNTRIES,
  CSAT_COMMENTS,
  CUSTOMER_CLOSERS,
  DEVICES,
  EMAIL_GREETINGS,
  ENDPOINTS,
  ERROR_CODES,
  GENERIC_FOLLOW_UPS,
  ISSUE_WEIGHTS,
  LANGUAGE_WEIGHTS,
  MONTHS,
  NOTES,
  ISSUE_NOTES,
  HAPPY_ENDINGS,
  PLANS,
  PORTAL_QUERIES,
  PRODUCTS,
  PROFILE_NOTES,
  SIGN_OFFS,
  SOCIAL_ENDINGS,
  SOCIAL_OPENERS,
  SUPPORT_DOMAIN,
  SUPPORT_SIGNATURE,
  TEAMS,
  THANKS,
  TIMEZONES,
  TOPICS,
  type Topic,
  US_AREA_CODES,
} from './texts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How far back the generated history reaches: about 13 months. */
export const HISTORY_MS = 395 * DAY;

export const JANE_SMITH_NAME = 'Jane Smith';
export const JANE_SMITH_EMAIL = 'jane.smith@acme.example';
export const JANE_CASE_SUBJECT = 'API timeouts on /v2/orders';
export const HEAVY_CUSTOMER_NAME = 'Globex Logistics';
export const LOCAL_AGENT_NAME = 'Alex Morgan';
export const LOCAL_AGENT_EMAIL = 'alex.morgan@support.example';

export interface GenerateOptions {
  seed: number;
  /** Epoch ms; every generated timestamp is at or before it. */
  now: number;
  customers: number;
  conversations: number;
  events: number;
  /** One extra enterprise customer (Globex Logistics) gets this many events on top of the others. */
  heavyCustomerEvents?: number;
}

export interface DemoCenter {
  /** Records carry planned ids (1, 2, …); references between them use those ids. */
  agents: NewAgent[];
  customers: NewCustomer[];
  customerNotes: NewCustomerNote[];
  /** In id order, which is the order of their first event. */
  cases: NewCase[];
  eventCount: number;
  /** A fresh stream of every event, oldest first (ties in a fixed order); nothing is kept in memory. */
  events(): Generator<NewEvent, void, undefined>;
  scenario: { janeCustomerId: number; janeCaseId: number; heavyCustomerId: number | null; localAgentId: number };
}

type ConvChannel = Exclude<Channel, 'portal'>;
const CONV_CHANNELS: readonly ConvChannel[] = ['email', 'chat', 'phone', 'messenger', 'instagram', 'x', 'sms', 'in_app'];
const SOCIAL: readonly ConvChannel[] = ['messenger', 'instagram', 'x'];

/** Share of all events per channel; portal views take the rest (4%). */
const EVENT_SHARE: Record<ConvChannel, number> = { email: 0.35, chat: 0.22, phone: 0.15, messenger: 0.04, instagram: 0.035, x: 0.025, sms: 0.08, in_app: 0.06 };
const PORTAL_SHARE = 0.04;
/** Typical events per conversation; case channels are drawn by share / length so events land on the shares. */
const MEAN_LENGTH: Record<ConvChannel, number> = { email: 5.5, chat: 8, phone: 3, messenger: 5, instagram: 4.5, x: 4, sms: 5, in_app: 6 };
const MAX_LENGTH = 80;
const HEAVY_SHARE: Record<ConvChannel, number> = { email: 0.3, chat: 0.2, phone: 0.12, messenger: 0, instagram: 0, x: 0.06, sms: 0.07, in_app: 0.2 };

/** The first-response deadline by the SLA engine's default policy and channel calendars (business hours). */
export function firstResponseDueAt(channel: Channel, priority: Priority, receivedAt: number): number | null {
  const due = firstResponseDue(DEFAULT_SLA_POLICY, DEFAULT_CALENDARS, channel, priority, receivedAt);
  return due.ok ? due.value : null;
}

/**
 * The year of the Jane Smith scenario: that of the latest Jan 15 whose chat messages (15:02 and
 * 15:03 UTC) are not after `now`, so the scenario never lies in the future.
 */
export function scenarioYear(now: number): number {
  const year = new Date(now).getUTCFullYear();
  return now >= Date.UTC(year, 0, 15, 15, 3) ? year : year - 1;
}

// ---------------------------------------------------------------- randomness

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit seed from any list of numbers (integers of any size). */
export function seedOf(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = fmix((h ^ (p >>> 0)) + 0x9e3779b9);
    h = fmix((h ^ (Math.floor(p / 4294967296) >>> 0)) + 0x7f4a7c15);
  }
  return h;
}

/** sfc32: small, fast and good enough; one instance per purpose keeps the streams independent. */
export class Rng {
  private a = 0x9e3779b9;
  private b = 0x243f6a88;
  private c = 0xb7e15162;
  private d: number;

  constructor(seed: number) {
    this.d = seed >>> 0;
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** [0, 1) */
  next(): number {
    return this.u32() / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<V>(items: readonly V[]): V {
    return items[this.int(items.length)]!;
  }

  logUniform(lo: number, hi: number): number {
    return lo * Math.exp(this.next() * Math.log(hi / lo));
  }

  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  weighted<V>(pairs: ReadonlyArray<readonly [V, number]>): V {
    let total = 0;
    for (const [, w] of pairs) total += w;
    let x = this.next() * total;
    for (const [v, w] of pairs) {
      if ((x -= w) < 0) return v;
    }
    return pairs[pairs.length - 1]![0];
  }

  /** An index into cumulative weights. */
  cumulative(cum: Float64Array): number {
    const x = this.next() * cum[cum.length - 1]!;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

function cumulate(weights: ArrayLike<number>): Float64Array {
  const cum = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) cum[i] = sum += weights[i]!;
  return cum;
}

// ---------------------------------------------------------------- small text helpers

/** Templates split once into literal and {key} parts: filling is then a few concatenations. */
const compiledTemplates = new Map<string, string[]>();

function fill(template: string, ctx: Context): string {
  if (!template.includes('{')) return template;
  let parts = compiledTemplates.get(template);
  if (!parts) compiledTemplates.set(template, (parts = template.split(/\{(\w+)\}/)));
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) out += ctx.get(parts[i]!) + parts[i + 1]!;
  return out;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "where is my order?" → "Where is my order?"; "sync fails" → "Sync fails." */
function asSentence(s: string): string {
  const t = capitalize(s.trim());
  return /[.?!]$/.test(t) ? t : `${t}.`;
}

function asciiSlug(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

function unique(base: string, used: Set<string>, join = ''): string {
  let value = base;
  for (let n = 2; used.has(value); n++) value = `${base}${join}${n}`;
  used.add(value);
  return value;
}

// ---------------------------------------------------------------- agents

interface AgentInfo {
  id: number;
  name: string;
  first: string;
  initials: string;
  tier: number;
  supervisor: boolean;
}

const AGENT_LANGUAGES = ['de', 'fr', 'es', 'pt', 'ja'] as const;

function makeAgents(faker: Faker, r: Rng, count: number, now: number): NewAgent[] {
  const usedEmails = new Set<string>([LOCAL_AGENT_EMAIL]);
  const agents: NewAgent[] = [
    {
      id: 1,
      name: LOCAL_AGENT_NAME,
      email: LOCAL_AGENT_EMAIL,
      role: 'admin',
      tier: 2,
      seniority: 'senior',
      skills: { technical: 4, billing: 3, account: 4, shipping: 3, feedback: 3, other: 3 },
      channels: { email: 5, chat: 4, phone: 4, messenger: 3, instagram: 3, x: 3, sms: 4, in_app: 4 },
      languages: ['en', 'es'],
      capacity: { email: 12, chat: 3, phone: 1, messenger: 4, instagram: 4, x: 4, sms: 5, in_app: 3 },
      presence: 'available',
      createdAt: Math.max(0, now - 3 * 365 * DAY),
    },
  ];
  const supervisors = Math.max(1, Math.round(count / 15));
  for (let id = 2; id <= count; id++) {
    let first = faker.person.firstName();
    let last = faker.person.lastName();
    while (`${first} ${last}` === LOCAL_AGENT_NAME || `${first} ${last}` === JANE_SMITH_NAME) {
      first = faker.person.firstName();
      last = faker.person.lastName();
    }
    const supervisor = id <= 1 + supervisors;
    const tier = supervisor ? 3 : r.weighted([[1, 55], [2, 33], [3, 12]] as const);
    const seniority: NewAgent['seniority'] = supervisor || tier === 3 ? 'senior' : tier === 2 ? r.weighted([['mid', 60], ['senior', 40]] as const) : r.weighted([['junior', 60], ['mid', 35], ['senior', 5]] as const);
    const skills: Record<string, number> = {};
    for (const [issue] of ISSUE_WEIGHTS) skills[issue] = Math.min(5, Math.max(1, tier + r.between(-1, 2)));
    const channels: Partial<Record<Channel, number>> = {};
    for (const ch of CONV_CHANNELS) channels[ch] = r.between(1, 5);
    const languages = ['en'];
    if (r.chance(0.25)) languages.push(r.pick(AGENT_LANGUAGES));
    agents.push({
      id,
      name: `${first} ${last}`,
      email: `${unique(`${asciiSlug(first)}.${asciiSlug(last)}`, usedEmails)}@${SUPPORT_DOMAIN}`,
      role: supervisor ? 'supervisor' : 'agent',
      tier,
      seniority,
      skills,
      channels,
      languages,
      capacity: { email: r.between(8, 15), chat: r.between(2, 4), phone: 1, messenger: r.between(3, 5), instagram: r.between(3, 5), x: r.between(3, 5), sms: r.between(4, 6), in_app: r.between(2, 4) },
      presence: r.weighted([['available', 45], ['busy', 20], ['away', 10], ['offline', 25]] as const),
      createdAt: Math.max(0, now - Math.round(r.logUniform(30, 5 * 365)) * DAY),
    });
  }
  return agents;
}

// ---------------------------------------------------------------- customers

interface Person {
  id: number;
  name: string;
  first: string;
  company: string | null;
  title: string | null;
  tier: Tier;
  language: string;
  timezone: string;
  /** Bit per conversation channel the customer can be reached on. */
  avail: number;
  /** How often they get in touch, relative to others. */
  weight: number;
}

const bit = (ch: ConvChannel) => 1 << CONV_CHANNELS.indexOf(ch);
const ALL_CHANNELS = CONV_CHANNELS.reduce((m, ch) => m | bit(ch), 0);

/** Fictional phone numbers: US 555-01XX in many area codes, UK (London drama range) 020 7946 0XXX. Each handed out once. */
class PhoneBook {
  private us = 0;
  private uk = 0;
  private readonly usCapacity = US_AREA_CODES.length * 100;

  next(region: 'us' | 'uk'): { value: string; display: string } | null {
    if (region === 'uk' && this.uk < 1000) {
      const j = (this.uk++ * 379 + 17) % 1000;
      const line = String(j).padStart(3, '0');
      return { value: `+442079460${line}`, display: `+44 20 7946 0${line}` };
    }
    if (this.us >= this.usCapacity) return region === 'us' && this.uk < 1000 ? this.next('uk') : null;
    const j = (this.us++ * 7919 + 101) % this.usCapacity;
    const area = US_AREA_CODES[j % US_AREA_CODES.length]!;
    const line = String(100 + Math.floor(j / US_AREA_CODES.length)).padStart(4, '0');
    return { value: `+1${area}555${line}`, display: `+1 ${area} 555 ${line}` };
  }
}

interface Company {
  name: string;
  domain: string;
}

function makeCompanies(faker: Faker, count: number): Company[] {
  const usedNames = new Set<string>(['Acme Corp', HEAVY_CUSTOMER_NAME]);
  const usedSlugs = new Set<string>(['acme', 'globex', 'support', ...CONSUMER_DOMAINS.map((d) => d.split('.')[0]!)]);
  const companies: Company[] = [];
  for (let i = 0; i < count; i++) {
    let name = faker.company.name();
    for (let tries = 0; usedNames.has(name) && tries < 5; tries++) name = faker.company.name();
    usedNames.add(name);
    const words = name
      .split(/[\s,-]+/)
      .map(asciiSlug)
      .filter((w) => w && !['and', 'sons', 'llc', 'inc', 'group'].includes(w));
    const slug = unique(words.join('-') || 'company', usedSlugs);
    companies.push({ name, domain: `${slug}.example` });
  }
  return companies;
}

// ---------------------------------------------------------------- cases

type Role = 'cin' | 'aout' | 'note' | 'csat' | 'callIn' | 'vm' | 'callOut';
type Status = 'open' | 'pending' | 'done';

interface Slot {
  at: number;
  role: Role;
  channel: ConvChannel;
  durationSec: number;
  outcome: string | null;
}

type FixedEvent = Omit<NewEvent, 'caseId' | 'customerId'>;

interface CaseSpec {
  key: number;
  seed: number;
  customer: number;
  channel: ConvChannel;
  avail: number;
  topic: number;
  status: Status;
  priority: Priority;
  agent: number;
  n: number;
  start: number;
  record: NewCase | null;
  fixed: FixedEvent[] | null;
}

interface PortalSpec {
  key: number;
  seed: number;
  customer: number;
  topic: number;
  views: number;
  start: number;
}

const TOPICS_BY_ISSUE = new Map<IssueType, number[]>();
TOPICS.forEach((t, i) => TOPICS_BY_ISSUE.set(t.issue, [...(TOPICS_BY_ISSUE.get(t.issue) ?? []), i]));

function pickTopic(r: Rng, weights: ReadonlyArray<readonly [IssueType, number]> = ISSUE_WEIGHTS): number {
  return r.pick(TOPICS_BY_ISSUE.get(r.weighted(weights))!);
}

const isCustomerRole = (role: Role) => role === 'cin' || role === 'vm';
const isAgentReply = (role: Role) => role === 'aout' || role === 'callOut';
const agentRole = (ch: ConvChannel): Role => (ch === 'phone' ? 'callOut' : 'aout');

/** Where a conversation moves when it changes channel, e.g. an agent calls back about an email. */
const SWITCH_TO: Record<ConvChannel, readonly ConvChannel[]> = {
  email: ['phone', 'chat'],
  chat: ['email', 'email', 'phone'],
  phone: ['email', 'email', 'sms'],
  messenger: ['email', 'chat'],
  instagram: ['email', 'chat'],
  x: ['email', 'messenger'],
  sms: ['phone', 'email'],
  in_app: ['email', 'chat'],
};

function nextRole(prev: Role, ch: ConvChannel, r: Rng): Role {
  const x = r.next();
  if (ch === 'phone') {
    if (prev === 'vm') return x < 0.85 ? 'callOut' : 'note';
    if (prev === 'note') return x < 0.55 ? 'callOut' : 'callIn';
    if (prev === 'callIn' || prev === 'callOut') return x < 0.5 ? 'note' : x < 0.75 ? 'callIn' : 'callOut';
    return x < 0.7 ? 'callOut' : 'callIn';
  }
  if (prev === 'cin' || prev === 'vm') return x < 0.78 ? 'aout' : x < 0.9 ? 'cin' : 'note';
  if (prev === 'note') return x < 0.85 ? 'aout' : 'cin';
  return x < 0.8 ? 'cin' : x < 0.88 ? 'aout' : 'note';
}

const PRIORITY_SPEED: Record<Priority, number> = { urgent: 0.3, high: 0.6, normal: 1, low: 1.4 };

/** Time between two slots, in ms, from who speaks on which channel. */
function gap(prev: Slot, role: Role, ch: ConvChannel, priority: Priority, r: Rng): number {
  let g: number;
  const after = prev.durationSec * SECOND;
  const social = ch === 'sms' || ch === 'messenger' || ch === 'instagram' || ch === 'x';
  if (role === 'note') g = prev.role === 'callIn' || prev.role === 'callOut' ? r.logUniform(30 * SECOND, 6 * MINUTE) : r.logUniform(MINUTE, 2 * HOUR);
  else if (role === 'csat') g = r.logUniform(10 * MINUTE, 20 * HOUR);
  else if (isAgentReply(role)) {
    if (isCustomerRole(prev.role) || prev.role === 'callIn') {
      g = ch === 'chat' ? r.logUniform(15 * SECOND, 3 * MINUTE) : ch === 'in_app' ? r.logUniform(MINUTE, 40 * MINUTE) : social ? r.logUniform(3 * MINUTE, 4 * HOUR) : ch === 'phone' ? r.logUniform(5 * MINUTE, 8 * HOUR) : r.logUniform(10 * MINUTE, 30 * HOUR);
      g *= PRIORITY_SPEED[priority];
    } else g = ch === 'chat' ? r.logUniform(20 * SECOND, 3 * MINUTE) : ch === 'email' ? r.logUniform(HOUR, 30 * HOUR) : r.logUniform(5 * MINUTE, 6 * HOUR);
  } else if (isCustomerRole(prev.role)) {
    g = ch === 'chat' ? r.logUniform(5 * SECOND, 90 * SECOND) : ch === 'email' ? r.logUniform(HOUR, 48 * HOUR) : ch === 'phone' ? r.logUniform(30 * MINUTE, 48 * HOUR) : r.logUniform(30 * SECOND, 2 * HOUR);
  } else {
    g = ch === 'chat' ? r.logUniform(10 * SECOND, 3 * MINUTE) : ch === 'email' ? r.logUniform(30 * MINUTE, 72 * HOUR) : ch === 'phone' ? r.logUniform(HOUR, 96 * HOUR) : r.logUniform(2 * MINUTE, 20 * HOUR);
  }
  return Math.max(5 * SECOND, Math.round((g + after) / SECOND) * SECOND);
}

/** Hours of the day (UTC) weighted by contact volume: nights are quiet, office hours busy. */
const HOUR_WEIGHTS = cumulate([1, 1, 1, 1, 1.5, 2, 3, 5, 7, 8, 8, 8, 7.5, 8, 8, 7.5, 7, 6, 5, 4, 3, 2.5, 2, 1.5]);

/** A moment in the history: volume grows over the year, weekends are quieter, days have office hours. */
function drawMoment(r: Rng, now: number): number {
  const from = now - HISTORY_MS;
  let day = 0;
  for (let tries = 0; tries < 4; tries++) {
    // Density rising linearly from 0.8 to 1.2 across the history.
    const x = (-0.8 + Math.sqrt(0.64 + 0.8 * r.next())) / 0.4;
    day = Math.floor((from + x * HISTORY_MS) / DAY) * DAY;
    const weekday = new Date(day).getUTCDay();
    if ((weekday !== 0 && weekday !== 6) || r.chance(0.5)) break;
  }
  return day + r.cumulative(HOUR_WEIGHTS) * HOUR + r.int(3600) * SECOND;
}

/** How long an open case's last customer message has waited, by channel. */
function waitAge(ch: ConvChannel, r: Rng): number {
  const mean = ch === 'chat' ? 20 * MINUTE : ch === 'phone' ? 3 * HOUR : ch === 'email' ? 10 * HOUR : ch === 'in_app' ? 2 * HOUR : 4 * HOUR;
  return Math.min(47 * HOUR, Math.max(30 * SECOND, Math.round(-Math.log(1 - r.next()) * mean)));
}

/**
 * The shape of a case: who speaks when and on which channel. Depends only on the spec, so the
 * planner (for the case record) and the event stream (for the bodies) rebuild the same one.
 */
function skeleton(s: CaseSpec, now: number): Slot[] {
  const r = new Rng(seedOf(s.seed, 1));
  const n = s.n;
  const roles: Role[] = new Array<Role>(n);
  const chans: ConvChannel[] = new Array<ConvChannel>(n);
  let ch = s.channel;
  const switchAt = n >= 3 && r.chance(0.07) ? 1 + r.int(n - 2) : -1;
  const targets = SWITCH_TO[ch].filter((c) => s.avail & bit(c));
  const switchTo = targets.length ? r.pick(targets) : ch;
  for (let k = 0; k < n; k++) {
    if (k === switchAt) ch = switchTo;
    chans[k] = ch;
    roles[k] = k === 0 ? (ch === 'phone' ? (r.chance(0.22) ? 'vm' : 'callIn') : 'cin') : nextRole(roles[k - 1]!, ch, r);
  }
  const lastCh = chans[n - 1]!;
  if (s.status === 'open') roles[n - 1] = lastCh === 'phone' ? 'vm' : 'cin';
  else if (s.status === 'pending') roles[n - 1] = agentRole(lastCh);
  else if (n >= 3 && r.chance(0.3)) {
    roles[n - 1] = 'csat';
    if (isCustomerRole(roles[n - 2]!) || roles[n - 2] === 'note') roles[n - 2] = agentRole(chans[n - 2]!);
  } else if (isCustomerRole(roles[n - 1]!)) roles[n - 1] = n === 1 ? 'callIn' : agentRole(lastCh);

  // The last slot the agent engages in closes a finished case; calls there end "resolved".
  let closing = -1;
  if (s.status === 'done') for (let k = n - 1; k >= 0 && closing < 0; k--) if (isAgentReply(roles[k]!) || roles[k] === 'callIn') closing = k;

  const slots: Slot[] = new Array<Slot>(n);
  for (let k = 0; k < n; k++) {
    const role = roles[k]!;
    let durationSec = 0;
    let outcome: string | null = null;
    if (role === 'vm') durationSec = Math.round(r.logUniform(10, 90));
    else if (role === 'callIn') {
      durationSec = Math.round(r.logUniform(60, 1500));
      outcome = k === closing ? 'resolved' : r.pick(['follow_up', 'escalated', 'transferred', 'callback_scheduled']);
    } else if (role === 'callOut') {
      if (s.status === 'pending' && k === n - 1) outcome = 'left_voicemail';
      else if (k === closing) outcome = 'resolved';
      else outcome = r.chance(0.2) ? 'no_answer' : 'connected';
      durationSec = outcome === 'no_answer' || outcome === 'left_voicemail' ? r.between(15, 45) : Math.round(r.logUniform(60, 900));
    }
    const prev = slots[k - 1];
    slots[k] = { at: prev ? prev.at + gap(prev, role, chans[k]!, s.priority, r) : 0, role, channel: chans[k]!, durationSec, outcome };
  }

  const span = slots[n - 1]!.at;
  let start: number;
  if (s.status === 'done') {
    start = drawMoment(r, now);
    const latest = now - 2 * MINUTE - Math.round(r.logUniform(MINUTE, 6 * HOUR));
    if (start + span > latest) start = latest - span;
  } else {
    const end = now - (s.status === 'open' ? waitAge(lastCh, r) : Math.round(r.logUniform(HOUR, 6 * DAY)));
    start = end - span;
  }
  start = Math.floor(start / SECOND) * SECOND;
  for (const slot of slots) slot.at += start;
  return slots;
}

const SATISFACTION = [[5, 50], [4, 25], [3, 10], [2, 7], [1, 8]] as const;

function caseRecord(s: CaseSpec, slots: readonly Slot[], now: number, localAgentId: number): NewCase {
  const r = new Rng(seedOf(s.seed, 4));
  const topic = TOPICS[s.topic]!;
  const first = slots[0]!;
  const last = slots[slots.length - 1]!;
  let firstResponseAt: number | null = null;
  let currentChannel: ConvChannel = first.channel;
  for (const slot of slots) {
    if (firstResponseAt === null && (isAgentReply(slot.role) || slot.role === 'callIn')) firstResponseAt = slot.at;
    if (slot.role !== 'note') currentChannel = slot.channel;
  }
  let waitingSince: number | null = null;
  let slaDueAt: number | null = null;
  let resolvedAt: number | null = null;
  let status: NewCase['status'];
  let assignedAgentId: number | null = s.agent;
  if (s.status === 'open') {
    // The oldest customer message since the agent last spoke.
    let waitingSlot = last;
    for (let k = slots.length - 1; k >= 0; k--) {
      const slot = slots[k]!;
      if (isCustomerRole(slot.role)) waitingSlot = slot;
      else if (slot.role !== 'note') break;
    }
    waitingSince = waitingSlot.at;
    slaDueAt = firstResponseDueAt(waitingSlot.channel, s.priority, waitingSince);
    status = 'open';
    const x = r.next();
    assignedAgentId = x < 0.12 ? localAgentId : x < 0.22 ? s.agent : null;
  } else if (s.status === 'pending') {
    status = 'pending';
  } else {
    resolvedAt = (last.role === 'csat' ? slots[slots.length - 2]! : last).at;
    status = now - resolvedAt < 7 * DAY ? 'resolved' : 'closed';
  }
  const csatScore = last.role === 'csat' ? r.weighted(SATISFACTION) : null;
  return {
    id: 0, // numbered once all cases are ordered by their first event
    customerId: s.customer,
    subject: '',
    status,
    priority: s.priority,
    issueType: topic.issue,
    channel: currentChannel,
    originChannel: first.channel,
    assignedAgentId,
    createdAt: first.at,
    updatedAt: last.at,
    waitingSince,
    firstResponseAt,
    slaDueAt,
    resolvedAt,
    resolutionCode: resolvedAt === null ? null : r.pick(topic.resolutions),
    csatScore,
  };
}

const CURRENCY: Record<string, string> = { en: '$', de: '€', fr: '€', es: '€', pt: '€', ja: '¥' };
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const CONTEXT_DRAWS = 16;

/**
 * The specifics a conversation talks about: product, order number, error code, amounts… Drawn as
 * numbers up front (always the same draws, whatever is asked later) and turned into text on demand.
 */
class Context {
  private readonly n = new Uint32Array(CONTEXT_DRAWS);

  constructor(
    seed: number,
    private readonly person: Person,
    private readonly agent: AgentInfo,
    private readonly at: number,
  ) {
    const r = new Rng(seedOf(seed, 3));
    for (let i = 0; i < CONTEXT_DRAWS; i++) this.n[i] = r.u32();
  }

  private of<V>(i: number, items: readonly V[]): V {
    return items[this.n[i]! % items.length]!;
  }

  private range(i: number, lo: number, hi: number): number {
    return lo + (this.n[i]! % (hi - lo + 1));
  }

  get(key: string): string {
    const n = this.n;
    switch (key) {
      case 'first': return this.person.first;
      case 'name': return this.person.name;
      case 'company': return this.person.company ?? '';
      case 'agent': return this.agent.first;
      case 'product': return this.of(0, PRODUCTS);
      case 'order': return `ORD-${this.range(1, 1000000, 9999999)}`;
      case 'code': return this.of(2, ERROR_CODES);
      case 'amount': {
        const symbol = this.person.timezone === 'Europe/London' ? '£' : (CURRENCY[this.person.language] ?? '$');
        const whole = this.range(3, 9, 480);
        return symbol === '¥' ? `¥${whole * 100}` : `${symbol}${whole}.${String(n[3]! % 100).padStart(2, '0')}`;
      }
      case 'plan': return this.of(4, PLANS);
      case 'invoice': return `INV-${new Date(this.at).getUTCFullYear()}-${this.range(5, 10000, 99999)}`;
      case 'carrier': return this.of(6, CARRIERS);
      case 'tracking':
        return this.of(6, CARRIERS) === 'UPS'
          ? `1Z${n[7]!.toString(36).toUpperCase().padStart(7, '0')}${n[8]!.toString(36).toUpperCase().padStart(7, '0')}`
          : `${LETTERS[n[7]! % 26]}${LETTERS[n[8]! % 26]}${this.range(9, 100000000, 999999999)}${LETTERS[(n[7]! >>> 8) % 26]}${LETTERS[(n[8]! >>> 8) % 26]}`;
      case 'city': return this.of(10, CITIES);
      case 'country': return this.of(11, COUNTRIES);
      case 'endpoint': return this.of(12, ENDPOINTS);
      case 'version': return `${2 + (n[13]! % 8)}.${(n[13]! >>> 4) % 20}.${(n[13]! >>> 12) % 10}`;
      case 'last4': return String(n[14]! % 10000).padStart(4, '0');
      case 'days': return String(3 + ((n[14]! >>> 16) % 26));
      case 'device': return this.of(15, DEVICES);
      case 'ref': return `req_${n[9]!.toString(16).padStart(8, '0')}${(n[1]! & 0xff).toString(16).padStart(2, '0')}`;
      case 'ticket': return `ENG-${1000 + ((n[5]! >>> 8) % 9000)}`;
      case 'team': return TEAMS[(n[10]! >>> 8) % TEAMS.length]!;
      case 'month': return MONTHS[(n[11]! >>> 8) % 12]!;
      case 'domain': return SUPPORT_DOMAIN;
      default: return `{${key}}`;
    }
  }
}

// ---------------------------------------------------------------- the Jane Smith scenario

interface FixedThread {
  record: NewCase;
  events: FixedEvent[];
}

function janeScenario(now: number, jane: Person, agent: AgentInfo, localAgentId: number): { main: FixedThread; history: FixedThread[] } {
  const year = scenarioYear(now);
  const at = (month: number, day: number, hour: number, minute: number) => Date.UTC(year, month, day, hour, minute);
  const subject = JANE_CASE_SUBJECT;
  const reply = `Re: ${subject}`;
  const base = { authorId: null, authorName: jane.name } as const;
  const fromJane = (channel: Channel, when: number, subj: string | null, body: string, externalId: string | null, metadata: Record<string, unknown> = {}): FixedEvent => ({
    ...base,
    channel,
    direction: 'in',
    kind: 'message',
    authorType: 'customer',
    subject: subj,
    body,
    metadata,
    externalId,
    occurredAt: when,
  });
  const fromAgent = (when: number, subj: string, body: string, externalId: string): FixedEvent => ({
    channel: 'email',
    direction: 'out',
    kind: 'message',
    authorType: 'agent',
    authorId: agent.id,
    authorName: agent.name,
    subject: subj,
    body,
    metadata: {},
    externalId,
    occurredAt: when,
  });
  const sign = `Best regards,\nJane Smith\nVP Operations, Acme Corp`;
  const agentSign = `Best regards,\n${agent.name}\n${SUPPORT_SIGNATURE}`;
  const chatAt = at(0, 15, 15, 2);
  const main: FixedEvent[] = [
    fromJane(
      'email',
      at(0, 10, 14, 12),
      subject,
      'Hello Omni Support,\n\n' +
        'Since our deploy on January 9 we have been seeing intermittent API timeouts: POST /v2/orders returns 504 Gateway Timeout ' +
        'for roughly 3-5% of requests after about 30 seconds. Retries usually go through, but some orders end up duplicated.\n\n' +
        'Example request ids: req_8f3a2c71e9, req_4b91d0aa27, req_c27e5f3b80 (all between 13:40 and 14:05 UTC today).\n\n' +
        'The deploy only touched our checkout front end, so we do not think anything changed in how we call the API. ' +
        'Could you check whether something is going on with /v2/orders?\n\n' +
        sign,
      `<acme-ops-${year}0110-1412@acme.example>`,
    ),
    fromAgent(
      at(0, 10, 16, 40),
      reply,
      `Hi Jane,\n\nThank you for the request ids. I have opened an investigation with our API team about the 504 timeouts on /v2/orders ` +
        `and asked them to trace the three requests you sent.\n\nI will update you as soon as I hear back.\n\n${agentSign}`,
      `<omni-${year}0110-1640-jane@support.example>`,
    ),
    fromAgent(
      at(0, 11, 15, 5),
      reply,
      `Hi Jane,\n\nOur API team sees elevated latency on /v2/orders for part of the traffic but cannot reproduce the 504 timeouts yet. ` +
        `Could you send us client-side logs for the affected requests (timestamps in UTC, request ids and response headers)? ` +
        `That will let them match your calls to our gateway logs.\n\n${agentSign}`,
      `<omni-${year}0111-1505-jane@support.example>`,
    ),
    fromJane(
      'email',
      at(0, 13, 13, 20),
      reply,
      'Hi,\n\nWe are still seeing timeouts, attached logs from the last 48 hours (acme-orders-api-logs.zip). ' +
        'The failures cluster between 13:00 and 15:00 UTC and almost all of them come from our EU storefront.\n\n' +
        sign,
      `<acme-ops-${year}0113-1320@acme.example>`,
      { attachments: [{ name: 'acme-orders-api-logs.zip', size: 1_843_200 }] },
    ),
    fromJane('chat', chatAt, null, 'This is urgent — our checkout is failing for EU customers because of the API timeouts. I emailed about this on Jan 10.', null),
    fromJane('chat', at(0, 15, 15, 3), null, 'Every EU order since 14:40 UTC fails at checkout. Can someone from tier 2 pick this up right now?', null),
  ];
  const mainRecord: NewCase = {
    id: 0,
    customerId: jane.id,
    subject,
    status: 'open',
    priority: 'urgent',
    issueType: 'technical',
    channel: 'chat',
    originChannel: 'email',
    assignedAgentId: null,
    createdAt: main[0]!.occurredAt,
    updatedAt: main[main.length - 1]!.occurredAt,
    waitingSince: chatAt,
    firstResponseAt: main[1]!.occurredAt,
    // The urgent chat's first-response clock, from the first chat message.
    slaDueAt: firstResponseDueAt('chat', 'urgent', chatAt),
    resolvedAt: null,
    resolutionCode: null,
    csatScore: null,
  };

  const jan10 = Date.UTC(year, 0, 10);
  const billingAt = jan10 - 98 * DAY + 9 * HOUR + 31 * MINUTE;
  const invoice = `INV-${year - 1}-04817`;
  const billingSubject = `Duplicate seats on invoice ${invoice}`;
  const billing: FixedEvent[] = [
    fromJane(
      'email',
      billingAt,
      billingSubject,
      `Hello,\n\nOur invoice ${invoice} lists 45 seats on the Enterprise plan, but we only have 40 active users. ` +
        'It looks like the five accounts we removed in September are still being billed. Could you correct the invoice?\n\n' +
        sign,
      `<acme-billing-${year - 1}-04817@acme.example>`,
    ),
    fromAgent(
      billingAt + 3 * HOUR + 14 * MINUTE,
      `Re: ${billingSubject}`,
      `Hi Jane,\n\nYou are right: the five removed seats were still counted. I have reissued ${invoice} for 40 seats ` +
        `and credited the difference to your account.\n\n${agentSign}`,
      `<omni-billing-${year - 1}-04817@support.example>`,
    ),
    fromJane('email', billingAt + 26 * HOUR + 2 * MINUTE, `Re: ${billingSubject}`, 'Thanks, that is sorted now.\n\nJane', `<acme-billing-${year - 1}-04817-2@acme.example>`),
    { ...base, channel: 'email', direction: 'in', kind: 'csat', authorType: 'customer', subject: null, body: 'Rated 5/5 — "Quick and clear, thank you."', metadata: { score: 5 }, externalId: null, occurredAt: billingAt + 26 * HOUR + 40 * MINUTE },
  ];
  const billingRecord: NewCase = {
    id: 0,
    customerId: jane.id,
    subject: billingSubject,
    status: 'closed',
    priority: 'normal',
    issueType: 'billing',
    channel: 'email',
    originChannel: 'email',
    assignedAgentId: agent.id,
    createdAt: billing[0]!.occurredAt,
    updatedAt: billing[3]!.occurredAt,
    waitingSince: null,
    firstResponseAt: billing[1]!.occurredAt,
    slaDueAt: null,
    resolvedAt: billing[2]!.occurredAt + 10 * MINUTE,
    resolutionCode: 'information_provided',
    csatScore: 5,
  };

  const callAt = jan10 - 143 * DAY + 16 * HOUR + 5 * MINUTE;
  const phone: FixedEvent[] = [
    {
      ...base,
      channel: 'phone',
      direction: 'in',
      kind: 'call',
      authorType: 'customer',
      subject: null,
      body: 'Inbound call from Jane Smith about single sign-on for the new Acme workspace. Walked through the SAML settings together. Resolved on the call.',
      metadata: { durationSec: 412, outcome: 'resolved' },
      externalId: null,
      occurredAt: callAt,
    },
    {
      channel: 'phone',
      direction: 'internal',
      kind: 'note',
      authorType: 'agent',
      authorId: localAgentId,
      authorName: LOCAL_AGENT_NAME,
      subject: null,
      body: 'Acme Corp: SSO now enforced for all 40 seats. Jane is the escalation contact for their platform team.',
      metadata: {},
      externalId: null,
      occurredAt: callAt + 412 * SECOND + 9 * MINUTE,
    },
  ];
  const phoneRecord: NewCase = {
    id: 0,
    customerId: jane.id,
    subject: 'Single sign-on setup for the Acme workspace',
    status: 'closed',
    priority: 'normal',
    issueType: 'account',
    channel: 'phone',
    originChannel: 'phone',
    assignedAgentId: localAgentId,
    createdAt: callAt,
    updatedAt: phone[1]!.occurredAt,
    waitingSince: null,
    firstResponseAt: callAt,
    slaDueAt: null,
    resolvedAt: phone[1]!.occurredAt,
    resolutionCode: 'solved',
    csatScore: null,
  };
  return {
    main: { record: mainRecord, events: main },
    history: [
      { record: phoneRecord, events: phone },
      { record: billingRecord, events: billing },
    ],
  };
}

// ---------------------------------------------------------------- the event stream

interface Pending {
  at: number;
  rank: number;
  seq: number;
  event: NewEvent;
}

function before(a: Pending, b: Pending): boolean {
  return a.at !== b.at ? a.at < b.at : a.rank !== b.rank ? a.rank < b.rank : a.seq < b.seq;
}

/** A binary min-heap: the events of the conversations currently under way. */
class EventHeap {
  private readonly items: Pending[] = [];

  peek(): Pending | undefined {
    return this.items[0];
  }

  push(item: Pending): void {
    const a = this.items;
    let i = a.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, a[parent]!)) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = item;
  }

  pop(): Pending {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && before(a[r]!, a[l]!) ? r : l;
        if (!before(a[c]!, last)) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

// ---------------------------------------------------------------- the plan

/** Everything about the center, decided up front; events are written from it on demand. */
export function generateDemoCenter(options: GenerateOptions): DemoCenter {
  const { seed, now } = options;
  const heavyEvents = Math.max(0, Math.floor(options.heavyCustomerEvents ?? 0));
  const main = new Rng(seedOf(seed, 0x6d61696e));
  const faker = new Faker({ locale: [en] });
  faker.seed(seedOf(seed, 0xfa4e));

  // Agents: about one per 50 customers; agent 1 is the desktop's own user.
  const agents = makeAgents(faker, main, Math.max(12, Math.round(options.customers / 50)), now);
  const agentInfo: AgentInfo[] = agents.map((a) => {
    const [first = a.name, last = ''] = a.name.split(' ');
    return { id: a.id!, name: a.name, first, initials: `${first[0] ?? ''}${last[0] ?? ''}`, tier: a.tier, supervisor: a.role === 'supervisor' };
  });
  const agentById = (id: number) => agentInfo[id - 1]!;
  const localAgentId = 1;
  const janeAgent = agentInfo.find((a) => a.tier === 2 && !a.supervisor && a.id !== localAgentId) ?? agentById(localAgentId);
  const supervisorId = agentInfo.find((a) => a.supervisor)?.id ?? localAgentId;
  /** Who handles a case: weighted by skill for the issue, senior people for pressing cases. */
  const handlers = new Map<string, Float64Array>();
  for (const [issue] of ISSUE_WEIGHTS) {
    for (const pressing of [false, true]) {
      handlers.set(
        `${issue}:${pressing}`,
        cumulate(agents.map((a) => (a.skills[issue] ?? 1) ** 2 * (a.role === 'supervisor' ? 0.15 : 1) * (pressing && a.tier < 2 ? 0.2 : 1))),
      );
    }
  }
  const pickAgent = (r: Rng, issue: IssueType, priority: Priority) => r.cumulative(handlers.get(`${issue}:${priority === 'high' || priority === 'urgent'}`)!) + 1;

  // ------------------------------------------------------------ customers
  const phones = new PhoneBook();
  const usedEmails = new Set<string>([JANE_SMITH_EMAIL]);
  const usedHandles = new Set<string>();
  const people: Person[] = [];
  const identities: NewIdentity[][] = [];
  const profiles: Array<Omit<NewCustomer, 'identities' | 'createdAt'>> = [];

  const janePhone = phones.next('us')!;
  const jane: Person = { id: 1, name: JANE_SMITH_NAME, first: 'Jane', company: 'Acme Corp', title: 'VP Operations', tier: 'enterprise', language: 'en', timezone: 'America/Chicago', avail: ALL_CHANNELS & ~SOCIAL.reduce((m, c) => m | bit(c), 0), weight: 0 };
  people.push(jane);
  profiles.push({ id: 1, name: jane.name, company: jane.company, title: jane.title, tier: 'enterprise', vip: true, healthScore: 58, language: 'en', timezone: jane.timezone, preferredChannel: 'email' });
  const janeIdentities = (createdAt: number, lastSeen: number): NewIdentity[] => [
    { kind: 'email', value: JANE_SMITH_EMAIL, display: `Jane Smith <${JANE_SMITH_EMAIL}>`, verified: true, source: 'signup', firstSeenAt: createdAt, lastSeenAt: lastSeen },
    { kind: 'phone', value: janePhone.value, display: janePhone.display, verified: true, source: 'crm', firstSeenAt: createdAt, lastSeenAt: lastSeen },
    { kind: 'account', platform: 'crm', value: 'AC-100001', display: 'Acme Corp · AC-100001', verified: true, source: 'crm', firstSeenAt: createdAt, lastSeenAt: lastSeen },
  ];
  identities.push([]);

  let heavy: Person | null = null;
  if (heavyEvents > 0) {
    const id = people.length + 1;
    heavy = { id, name: HEAVY_CUSTOMER_NAME, first: 'Globex', company: HEAVY_CUSTOMER_NAME, title: 'API integration account', tier: 'enterprise', language: 'en', timezone: 'America/Chicago', avail: ALL_CHANNELS & ~(bit('messenger') | bit('instagram')), weight: 0 };
    people.push(heavy);
    profiles.push({ id, name: heavy.name, company: heavy.company, title: heavy.title, tier: 'enterprise', vip: true, healthScore: 71, language: 'en', timezone: heavy.timezone, preferredChannel: 'email' });
    const phone = phones.next('us')!;
    usedHandles.add('x:globexlogistics');
    identities.push([
      { kind: 'email', value: 'integrations@globex.example', display: 'Globex Logistics <integrations@globex.example>', verified: true, source: 'signup', firstSeenAt: 0, lastSeenAt: 0 },
      { kind: 'phone', value: phone.value, display: phone.display, verified: true, source: 'crm', firstSeenAt: 0, lastSeenAt: 0 },
      { kind: 'social', platform: 'x', value: 'globexlogistics', display: '@globexlogistics', verified: true, source: 'social', firstSeenAt: 0, lastSeenAt: 0 },
      { kind: 'account', platform: 'crm', value: `AC-${100000 + id}`, display: `${HEAVY_CUSTOMER_NAME} · AC-${100000 + id}`, verified: true, source: 'crm', firstSeenAt: 0, lastSeenAt: 0 },
    ]);
  }

  const genericCustomers = Math.max(0, options.customers - 1);
  const companies = makeCompanies(faker, Math.max(8, Math.round(genericCustomers / 5)));
  const firstGeneric = people.length + 1;
  for (let i = 0; i < genericCustomers; i++) {
    const id = firstGeneric + i;
    let first = faker.person.firstName();
    let last = faker.person.lastName();
    while (`${first} ${last}` === JANE_SMITH_NAME || `${first} ${last}` === LOCAL_AGENT_NAME) {
      first = faker.person.firstName();
      last = faker.person.lastName();
    }
    const tier = main.weighted([['standard', 75], ['premium', 20], ['enterprise', 5]] as const);
    const business = tier === 'enterprise' || main.chance(tier === 'premium' ? 0.65 : 0.25);
    const company = business ? main.pick(companies) : null;
    const title = business ? faker.person.jobTitle() : null;
    const language = main.weighted(LANGUAGE_WEIGHTS);
    const timezone = main.pick(TIMEZONES[language]!);
    const name = `${first} ${last}`;
    const ids: NewIdentity[] = [];
    let avail = bit('chat') | bit('in_app');
    const f = asciiSlug(first) || 'customer';
    const l = asciiSlug(last) || String(id);
    if (business || main.chance(0.975)) {
      const local = business ? `${f}.${l}` : main.pick([`${f}.${l}`, `${f}${l}`, `${f}_${l}`, `${f[0]}.${l}`, `${f}.${l}${main.between(1, 99)}`]);
      const domain = company ? company.domain : main.pick(CONSUMER_DOMAINS);
      let value = `${local}@${domain}`;
      for (let n = 2; usedEmails.has(value); n++) value = `${local}${n}@${domain}`;
      usedEmails.add(value);
      ids.push({ kind: 'email', value, display: `${name} <${value}>`, verified: main.chance(0.95), source: 'signup', firstSeenAt: 0, lastSeenAt: 0 });
      avail |= bit('email');
    }
    const wantsPhone = ids.length === 0 || main.chance(0.6);
    const phone = wantsPhone ? phones.next(timezone === 'Europe/London' || timezone === 'Europe/Dublin' ? 'uk' : 'us') : null;
    if (phone) {
      ids.push({ kind: 'phone', value: phone.value, display: phone.display, verified: main.chance(0.7), source: 'crm', firstSeenAt: 0, lastSeenAt: 0 });
      avail |= bit('phone') | bit('sms');
    }
    if (main.chance(0.2)) {
      const social = main.weighted([['messenger', 40], ['instagram', 35], ['x', 25]] as const);
      if (social === 'messenger') {
        const psid = unique(`messenger:${main.between(1000000, 9999999)}${main.between(100000000, 999999999)}`, usedHandles).slice('messenger:'.length);
        ids.push({ kind: 'social', platform: 'messenger', value: psid, display: `${name} (Messenger)`, verified: false, source: 'social', firstSeenAt: 0, lastSeenAt: 0 });
      } else {
        // X handles are at most 15 letters, digits or underscores; Instagram allows dots too.
        const base = main.pick([`${f}${l}`, `${f}${social === 'x' ? '_' : '.'}${l}`, `${f}_${l}`, `${f}${main.between(1, 999)}`, `the${f}${l[0]}`]).slice(0, social === 'x' ? 11 : 24);
        const handle = unique(`${social}:${base}`, usedHandles).slice(social.length + 1);
        ids.push({ kind: 'social', platform: social, value: handle, display: `@${handle}`, verified: main.chance(0.5), source: 'social', firstSeenAt: 0, lastSeenAt: 0 });
      }
      avail |= bit(social);
    }
    if (company) {
      const account = `AC-${100000 + id}`;
      ids.push({ kind: 'account', platform: 'crm', value: account, display: `${company.name} · ${account}`, verified: true, source: 'crm', firstSeenAt: 0, lastSeenAt: 0 });
    }
    const health = Math.round((tier === 'enterprise' ? 70 : tier === 'premium' ? 75 : 72) + main.normal() * (tier === 'enterprise' ? 18 : 14));
    const weight = (tier === 'enterprise' ? 2.5 : tier === 'premium' ? 1.6 : 1) * Math.exp(0.9 * main.normal());
    const vip = tier === 'enterprise' ? main.chance(0.4) : tier === 'premium' && main.chance(0.08);
    people.push({ id, name, first, company: company?.name ?? null, title, tier, language, timezone, avail, weight });
    identities.push(ids);
    profiles.push({ id, name, company: company?.name ?? null, title, tier, vip, healthScore: Math.min(100, Math.max(0, health)), language, timezone, preferredChannel: null });
  }
  const generic = people.slice(firstGeneric - 1);

  // The scenario's cases and events count towards the requested sizes.
  const scenario = janeScenario(now, jane, janeAgent, localAgentId);
  const scenarioThreads = [scenario.main, ...scenario.history];
  const janeCases = scenarioThreads.length;
  const janeEvents = scenarioThreads.reduce((sum, t) => sum + t.events.length, 0);

  // Channel weights per customer. A customer can only use the channels they have an identity for,
  // so per-channel multipliers are tuned until the expected mix over everyone matches the shares.
  const caseTarget = CONV_CHANNELS.map((ch) => EVENT_SHARE[ch] / MEAN_LENGTH[ch]);
  const multiplier = Float64Array.from(caseTarget);
  {
    const totalWeight = generic.reduce((sum, p) => sum + p.weight, 0) || 1;
    const cases = Math.max(0, options.conversations - janeCases);
    const expected = generic.map((p) => (cases >= generic.length ? 1 + ((cases - generic.length) * p.weight) / totalWeight : (cases * p.weight) / totalWeight));
    const targetSum = caseTarget.reduce((a, b) => a + b, 0);
    for (let round = 0; round < 12 && generic.length; round++) {
      const got = new Float64Array(CONV_CHANNELS.length);
      let all = 0;
      generic.forEach((p, i) => {
        let sum = 0;
        for (let c = 0; c < CONV_CHANNELS.length; c++) if (p.avail & (1 << c)) sum += multiplier[c]!;
        for (let c = 0; c < CONV_CHANNELS.length; c++) if (p.avail & (1 << c)) got[c] = got[c]! + (expected[i]! * multiplier[c]!) / sum;
        all += expected[i]!;
      });
      for (let c = 0; c < CONV_CHANNELS.length; c++) if (got[c]! > 0) multiplier[c] = multiplier[c]! * (caseTarget[c]! / targetSum / (got[c]! / all));
    }
  }
  const channelWeights = (p: Person, weights: ArrayLike<number>) => cumulate(CONV_CHANNELS.map((ch, c) => (p.avail & bit(ch) ? weights[c]! : 0)));
  const genericCum = generic.map((p) => channelWeights(p, multiplier));
  for (let i = 0; i < generic.length; i++) {
    const p = generic[i]!;
    profiles[p.id - 1]!.preferredChannel = CONV_CHANNELS[main.cumulative(genericCum[i]!)]!;
  }
  const activity = cumulate(generic.map((p) => p.weight));

  // ------------------------------------------------------------ case plans
  const specs: CaseSpec[] = [];
  const targetCases = Math.max(0, options.conversations - janeCases);
  const genericEventBudget = Math.max(0, options.events - janeEvents);
  const portalEvents = generic.length ? Math.round(genericEventBudget * PORTAL_SHARE) : 0;

  const planCases = (count: number, eventBudget: number, choose: (r: Rng, i: number) => { person: Person; cum: Float64Array; weights?: ReadonlyArray<readonly [IssueType, number]> }) => {
    const first = specs.length;
    const raw = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const key = specs.length;
      const { person, cum, weights } = choose(main, i);
      const prefers = profiles[person.id - 1]!.preferredChannel as ConvChannel;
      const channel = prefers && person.avail & bit(prefers) && main.chance(0.3) ? prefers : CONV_CHANNELS[main.cumulative(cum)]!;
      const x = main.next();
      const status: Status = x < 0.035 ? 'open' : x < 0.055 ? 'pending' : 'done';
      const topic = pickTopic(main, weights);
      const issue = TOPICS[topic]!.issue;
      const pressing = person.tier === 'enterprise' ? 2 : person.tier === 'premium' ? 1.4 : 1;
      const priority = main.weighted([
        ['low', 10],
        ['normal', 68],
        ['high', 17 * pressing],
        ['urgent', (issue === 'technical' ? 6 : 3) * pressing],
      ] as const);
      raw[i] = MEAN_LENGTH[channel] * Math.exp(0.55 * main.normal() - 0.15) * (status === 'open' ? 0.5 : 1);
      specs.push({ key, seed: seedOf(seed, 0x63617365, key), customer: person.id, channel, avail: person.avail, topic, status, priority, agent: pickAgent(main, issue, priority), n: 0, start: 0, record: null, fixed: null });
    }
    // Scale the lengths so the events add up to the budget exactly (when the minimums allow it).
    const minOf = (s: CaseSpec) => (s.status === 'open' || (s.status === 'done' && s.channel === 'phone') ? 1 : 2);
    let sumRaw = 0;
    for (const v of raw) sumRaw += v;
    const factor = sumRaw > 0 ? eventBudget / sumRaw : 0;
    let diff = eventBudget;
    for (let i = 0; i < count; i++) {
      const s = specs[first + i]!;
      const scaled = raw[i]! * factor;
      s.n = Math.min(MAX_LENGTH, Math.max(minOf(s), Math.floor(scaled) + (main.next() < scaled - Math.floor(scaled) ? 1 : 0)));
      diff -= s.n;
    }
    for (let guard = 0; diff !== 0 && count > 0 && guard < 20 * count; guard++) {
      const s = specs[first + main.int(count)]!;
      if (diff > 0 && s.n < MAX_LENGTH) {
        s.n++;
        diff--;
      } else if (diff < 0 && s.n > minOf(s)) {
        s.n--;
        diff++;
      }
    }
  };

  if (generic.length) {
    planCases(targetCases, genericEventBudget - portalEvents, (r, i) => {
      const index = targetCases >= generic.length && i < generic.length ? i : r.cumulative(activity);
      return { person: generic[index]!, cum: genericCum[index]! };
    });
  }
  const heavyPortal = Math.round(heavyEvents * 0.05);
  if (heavy) {
    const cum = channelWeights(heavy, CONV_CHANNELS.map((ch) => HEAVY_SHARE[ch] / MEAN_LENGTH[ch]));
    const weights = [['technical', 45], ['shipping', 30], ['billing', 15], ['account', 10]] as const;
    const budget = heavyEvents - heavyPortal;
    planCases(Math.max(1, Math.round(budget / 12)), budget, () => ({ person: heavy, cum, weights }));
  }
  for (const s of specs) {
    const slots = skeleton(s, now);
    s.start = slots[0]!.at;
    s.record = caseRecord(s, slots, now, localAgentId);
    s.record.subject = fill(TOPICS[s.topic]!.subject, new Context(s.seed, people[s.customer - 1]!, agentById(s.agent), s.start));
  }

  for (const thread of scenarioThreads) {
    const key = specs.length;
    specs.push({
      key,
      seed: seedOf(seed, 0x6a616e65, key),
      customer: jane.id,
      channel: thread.record.originChannel as ConvChannel,
      avail: jane.avail,
      topic: 0,
      status: thread.record.status === 'open' ? 'open' : 'done',
      priority: thread.record.priority,
      agent: janeAgent.id,
      n: thread.events.length,
      start: thread.record.createdAt,
      record: thread.record,
      fixed: thread.events,
    });
  }

  // ------------------------------------------------------------ portal visits (self-service, no case)
  const portals: PortalSpec[] = [];
  const planPortal = (total: number, pickPerson: (r: Rng) => Person) => {
    for (let left = total; left > 0; ) {
      const views = Math.min(left, 1 + (main.chance(0.35) ? 1 : 0) + (main.chance(0.12) ? 1 : 0));
      const key = portals.length;
      const person = pickPerson(main);
      const start = Math.min(drawMoment(main, now), now - 15 * MINUTE);
      portals.push({ key, seed: seedOf(seed, 0x706f7274, key), customer: person.id, topic: pickTopic(main), views, start: Math.floor(start / SECOND) * SECOND });
      left -= views;
    }
  };
  if (generic.length) planPortal(portalEvents, (r) => generic[r.cumulative(activity)]!);
  if (heavy) planPortal(heavyPortal, () => heavy);

  // ------------------------------------------------------------ customer records
  const firstSeen = new Float64Array(people.length).fill(Number.POSITIVE_INFINITY);
  const lastSeen = new Float64Array(people.length).fill(Number.NEGATIVE_INFINITY);
  for (const s of specs) {
    const i = s.customer - 1;
    firstSeen[i] = Math.min(firstSeen[i]!, s.start);
    lastSeen[i] = Math.max(lastSeen[i]!, s.record!.updatedAt);
  }
  for (const p of portals) {
    firstSeen[p.customer - 1] = Math.min(firstSeen[p.customer - 1]!, p.start);
    lastSeen[p.customer - 1] = Math.max(lastSeen[p.customer - 1]!, p.start);
  }
  const customers: NewCustomer[] = [];
  const customerNotes: NewCustomerNote[] = [];
  for (let i = 0; i < people.length; i++) {
    const p = people[i]!;
    const seen = firstSeen[i]!;
    const createdAt = Math.max(0, Math.floor((Number.isFinite(seen) ? seen - main.logUniform(HOUR, 3 * 365 * DAY) : now - main.logUniform(DAY, 3 * 365 * DAY)) / SECOND) * SECOND);
    const last = Math.max(createdAt, Number.isFinite(lastSeen[i]!) ? lastSeen[i]! : createdAt);
    const ids = p === jane ? janeIdentities(createdAt, last) : identities[i]!.map((identity) => ({ ...identity, firstSeenAt: createdAt, lastSeenAt: last }));
    customers.push({ ...profiles[i]!, createdAt, identities: ids });
    const noteAt = () => Math.floor((createdAt + main.next() * (now - createdAt)) / SECOND) * SECOND;
    if (p === jane) {
      customerNotes.push({ customerId: p.id, authorAgentId: supervisorId, body: 'Key account; escalate API incidents to tier 2.', createdAt: Math.min(now, Date.UTC(scenarioYear(now) - 1, 8, 3, 10, 0)) });
    } else if (p === heavy) {
      customerNotes.push({ customerId: p.id, authorAgentId: supervisorId, body: 'Integration account: traffic comes from their platform team. Check the API status page before troubleshooting.', createdAt: noteAt() });
    } else if (main.chance(0.06)) {
      const ctx = new Context(seedOf(seed, 0x6e6f7465, p.id), p, agentById(localAgentId), createdAt);
      for (let k = main.chance(0.3) ? 2 : 1; k > 0; k--) {
        customerNotes.push({ customerId: p.id, authorAgentId: main.between(1, agents.length), body: fill(main.pick(PROFILE_NOTES), ctx), createdAt: noteAt() });
      }
    }
  }
  customerNotes.sort((a, b) => a.createdAt - b.createdAt || a.customerId - b.customerId);

  // ------------------------------------------------------------ threads in the order of their first event
  const threadCount = specs.length + portals.length;
  const order = new Uint32Array(threadCount);
  const starts = new Float64Array(threadCount);
  for (let i = 0; i < threadCount; i++) {
    order[i] = i;
    starts[i] = i < specs.length ? specs[i]!.start : portals[i - specs.length]!.start;
  }
  order.sort((a, b) => starts[a]! - starts[b]! || a - b);
  const cases: NewCase[] = [];
  const caseIdOf = new Int32Array(specs.length);
  for (const t of order) {
    if (t < specs.length) {
      const record = specs[t]!.record!;
      caseIdOf[t] = record.id = cases.length + 1;
      cases.push(record);
    }
  }
  const janeCaseId = caseIdOf[specs.findIndex((s) => s.fixed === scenario.main.events)]!;
  const eventCount = specs.reduce((sum, s) => sum + s.n, 0) + portals.reduce((sum, p) => sum + p.views, 0);

  const materializeCase = (s: CaseSpec, caseId: number): NewEvent[] => {
    if (s.fixed) {
      return s.fixed.map((e) =>
        makeEvent(caseId, s.customer, e.channel, e.direction, e.kind, e.authorType, e.authorId, e.authorName, e.subject, e.body, structuredClone(e.metadata), e.externalId ?? null, e.occurredAt),
      );
    }
    return writeCase(s, caseId, skeleton(s, now), people[s.customer - 1]!, agentById(s.agent));
  };
  const materializePortal = (p: PortalSpec): NewEvent[] => writePortal(p, people[p.customer - 1]!, agentById(localAgentId));

  function* events(): Generator<NewEvent, void, undefined> {
    const heap = new EventHeap();
    let next = 0;
    for (;;) {
      const nextStart = next < threadCount ? starts[order[next]!]! : Number.POSITIVE_INFINITY;
      const top = heap.peek();
      if (top && top.at < nextStart) {
        yield heap.pop().event;
        continue;
      }
      if (next >= threadCount) return;
      const t = order[next]!;
      const list = t < specs.length ? materializeCase(specs[t]!, caseIdOf[t]!) : materializePortal(portals[t - specs.length]!);
      for (let seq = 0; seq < list.length; seq++) heap.push({ at: list[seq]!.occurredAt, rank: next, seq, event: list[seq]! });
      next++;
    }
  }

  return {
    agents,
    customers,
    customerNotes,
    cases,
    eventCount,
    events,
    scenario: { janeCustomerId: jane.id, janeCaseId, heavyCustomerId: heavy?.id ?? null, localAgentId },
  };
}

// ---------------------------------------------------------------- writing messages

/** Every event built by one function, so they all share one object shape. */
function makeEvent(
  caseId: number | null,
  customerId: number,
  channel: Channel,
  direction: NewEvent['direction'],
  kind: NewEvent['kind'],
  authorType: NewEvent['authorType'],
  authorId: number | null,
  authorName: string,
  subject: string | null,
  body: string,
  metadata: Record<string, unknown> | undefined,
  externalId: string | null,
  occurredAt: number,
): NewEvent {
  return { caseId, customerId, channel, direction, kind, authorType, authorId, authorName, subject, body, metadata, externalId, occurredAt };
}

function emailFrom(person: Person, lines: string, r: Rng, full: boolean): string {
  const greeting = r.pick(EMAIL_GREETINGS[person.language] ?? EMAIL_GREETINGS.en!);
  const signature = full ? `${person.name}${person.company ? `\n${person.title ? `${person.title}, ` : ''}${person.company}` : ''}` : person.first;
  return `${greeting}\n\n${lines}\n\n${r.pick(SIGN_OFFS)}\n${signature}`;
}

const isSocial = (ch: Channel) => ch === 'messenger' || ch === 'instagram' || ch === 'x';

function customerMessage(k: number, ch: ConvChannel, thanks: boolean, topic: Topic, person: Person, ctx: Context, r: Rng): string {
  if (k === 0) {
    const short = fill(r.pick(topic.short), ctx);
    if (ch === 'email') {
      let details = fill(topic.details[0]!, ctx);
      for (let i = 1; i < topic.details.length; i++) if (r.chance(0.55)) details += ` ${fill(topic.details[i]!, ctx)}`;
      return emailFrom(person, `${details}\n\n${r.pick(CUSTOMER_CLOSERS)}`, r, true);
    }
    if (isSocial(ch)) return `${r.pick(SOCIAL_OPENERS)} ${short}${r.pick(topic.issue === 'feedback' ? HAPPY_ENDINGS : SOCIAL_ENDINGS)}`;
    if (ch === 'sms') return capitalize(short) + (r.chance(0.3) ? ` - ${person.first}` : '');
    const opener = r.pick(CHAT_OPENERS);
    return (opener ? `${opener} ${short}` : capitalize(short)) + (r.chance(0.4) ? ` ${fill(r.pick(topic.details), ctx)}` : '');
  }
  const line = thanks ? r.pick(THANKS) : r.chance(0.55) ? fill(r.pick(topic.followUps), ctx) : r.pick(GENERIC_FOLLOW_UPS);
  if (ch === 'email') return emailFrom(person, line, r, false);
  return isSocial(ch) && r.chance(0.3) ? `${line}${r.pick(thanks || topic.issue === 'feedback' ? HAPPY_ENDINGS : SOCIAL_ENDINGS)}` : line;
}

function agentMessage(ch: ConvChannel, closing: boolean, firstReply: boolean, pending: boolean, topic: Topic, person: Person, agent: AgentInfo, ctx: Context, r: Rng): string {
  let main: string;
  if (closing) main = fill(r.pick(topic.fixes), ctx) + (ch === 'email' || ch === 'chat' || ch === 'in_app' ? ` ${r.pick(AGENT_CLOSERS)}` : '');
  else if (firstReply || pending || r.chance(0.5)) main = fill(r.pick(topic.asks), ctx);
  else main = fill(r.pick(AGENT_UPDATES), ctx);
  if (firstReply) main = `${fill(r.pick(AGENT_ACKS), ctx)} ${main}`;
  if (ch === 'email') return `Hi ${person.first},\n\n${main}\n\nBest regards,\n${agent.name}\n${SUPPORT_SIGNATURE}`;
  if (isSocial(ch)) return `${main} ^${agent.initials}`;
  if (ch === 'sms') return `${main} - ${agent.first}, ${SUPPORT_SIGNATURE}`;
  return main;
}

function writeCase(s: CaseSpec, caseId: number, slots: readonly Slot[], person: Person, agent: AgentInfo): NewEvent[] {
  const r = new Rng(seedOf(s.seed, 2));
  const topic = TOPICS[s.topic]!;
  const ctx = new Context(s.seed, person, agent, s.start);
  const subject = s.record!.subject;
  const done = s.status === 'done';
  let lastAgent = -1;
  let lastCustomer = -1;
  for (let k = 0; k < slots.length; k++) {
    const role = slots[k]!.role;
    if (isAgentReply(role)) lastAgent = k;
    if (role === 'cin') lastCustomer = k;
  }
  let agentSpoke = false;
  let emailed = false;
  const events = new Array<NewEvent>(slots.length);
  for (let k = 0; k < slots.length; k++) {
    const slot = slots[k]!;
    const ch = slot.channel;
    const at = slot.at;
    let event: NewEvent;
    switch (slot.role) {
      case 'cin': {
        const thanks = done && agentSpoke && (k > lastAgent ? r.chance(0.8) : k === lastCustomer && r.chance(0.25));
        const body = customerMessage(k, ch, thanks, topic, person, ctx, r);
        const email = ch === 'email';
        event = makeEvent(caseId, person.id, ch, 'in', 'message', 'customer', null, person.name, email ? (emailed ? `Re: ${subject}` : subject) : null, body, undefined, email ? `<c${caseId}.${k}@${person.id}.customer.example>` : null, at);
        emailed ||= email;
        break;
      }
      case 'aout': {
        const body = agentMessage(ch, done && k === lastAgent, !agentSpoke, s.status === 'pending', topic, person, agent, ctx, r);
        agentSpoke = true;
        const email = ch === 'email';
        event = makeEvent(caseId, person.id, ch, 'out', 'message', 'agent', agent.id, agent.name, email ? (emailed ? `Re: ${subject}` : subject) : null, body, undefined, email ? `<c${caseId}.${k}@${SUPPORT_DOMAIN}>` : null, at);
        emailed ||= email;
        break;
      }
      case 'note':
        event = makeEvent(caseId, person.id, ch, 'internal', 'note', 'agent', agent.id, agent.name, null, fill(r.pick(r.chance(0.6) ? ISSUE_NOTES[topic.issue] : NOTES), ctx), undefined, null, at);
        break;
      case 'csat': {
        const score = s.record!.csatScore ?? 5;
        const said = r.chance(0.7) ? say('lineRatedComment', { score, comment: fill(r.pick(CSAT_COMMENTS[score]!), ctx) }) : say('lineRated', { score });
        event = makeEvent(caseId, person.id, ch, 'in', 'csat', 'customer', null, person.name, null, said.message, { score, ...saidMetadata(said) }, null, at);
        break;
      }
      case 'vm': {
        const said = say('lineVoicemailText', { from: person.first, text: `"Hi, this is ${person.first}${person.company ? ` from ${person.company}` : ''}. ${asSentence(fill(r.pick(topic.short), ctx))} Please call me back."` });
        event = makeEvent(caseId, person.id, ch, 'in', 'voicemail', 'customer', null, person.name, null, said.message, { durationSec: slot.durationSec, ...saidMetadata(said) }, null, at);
        break;
      }
      case 'callIn': {
        agentSpoke = true;
        const outcome = slot.outcome ?? 'resolved';
        const fix = outcome === 'resolved' ? ` ${fill(r.pick(topic.fixes), ctx)}` : '';
        const body = `Inbound call from ${person.name}. ${asSentence(fill(r.pick(topic.short), ctx))}${fix} ${fill(CALL_OUTCOME_TEXT[outcome]!, ctx)}`;
        event = makeEvent(caseId, person.id, ch, 'in', 'call', 'customer', null, person.name, null, body, { durationSec: slot.durationSec, outcome }, null, at);
        break;
      }
      case 'callOut': {
        agentSpoke = true;
        const outcome = slot.outcome ?? 'connected';
        const fix = outcome === 'resolved' ? ` ${fill(r.pick(topic.fixes), ctx)}` : '';
        const body = `Called ${person.first} back about "${subject}".${fix} ${fill(CALL_OUTCOME_TEXT[outcome]!, ctx)}`;
        event = makeEvent(caseId, person.id, ch, 'out', 'call', 'agent', agent.id, agent.name, null, body, { durationSec: slot.durationSec, outcome }, null, at);
        break;
      }
    }
    events[k] = event;
  }
  return events;
}

function writePortal(p: PortalSpec, person: Person, agent: AgentInfo): NewEvent[] {
  const r = new Rng(seedOf(p.seed, 2));
  const topic = TOPICS[p.topic]!;
  const ctx = new Context(p.seed, person, agent, p.start);
  const events = new Array<NewEvent>(p.views);
  let at = p.start;
  const query = r.chance(0.5) ? r.pick(PORTAL_QUERIES) : null;
  for (let k = 0; k < p.views; k++) {
    const article = fill(topic.articles[k % topic.articles.length]!, ctx);
    const deflected = k === p.views - 1 ? r.chance(0.55) : false;
    const said = k === 0 && query ? say('linePortalViewSearch', { article, query }) : say('linePortalView', { article });
    events[k] = makeEvent(null, person.id, 'portal', 'in', 'portal_view', 'customer', null, person.name, article, said.message, { article, deflected, ...saidMetadata(said) }, null, at);
    at += Math.round(r.logUniform(20, 240)) * SECOND;
  }
  return events;
}
