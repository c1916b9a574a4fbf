// Which case an incoming event belongs to: a reply by its email headers, then the case token in the
// subject, then cross-channel continuity with the same customer's active case. Pure: `now` comes in.
import { z } from 'zod';
import { Channel, type CaseStatus } from '../domain';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Messenger, Instagram and X: the rules of the configuration matrix name them together as "social". */
export const SOCIAL_CHANNELS = ['messenger', 'instagram', 'x'] as const satisfies readonly Channel[];

/** A channel, the social group, or any channel: how the configuration matrix names the sides of a rule. */
export const ChannelPattern = z.union([Channel, z.literal('social'), z.literal('any')]);
export type ChannelPattern = z.infer<typeof ChannelPattern>;

export function channelMatches(pattern: ChannelPattern, channel: Channel): boolean {
  if (pattern === 'any') return true;
  if (pattern === 'social') return (SOCIAL_CHANNELS as readonly Channel[]).includes(channel);
  return pattern === channel;
}

/** How precisely a pattern names a channel: an exact channel beats the social group beats "any". */
export function patternSpecificity(pattern: ChannelPattern | 'escalation'): number {
  return pattern === 'any' ? 0 : pattern === 'social' ? 1 : 2;
}

export const ContinuityWindow = z.object({ from: ChannelPattern, to: ChannelPattern, windowMs: z.number().int().nonnegative() });
export type ContinuityWindow = z.infer<typeof ContinuityWindow>;

export const DEFAULT_CONTINUITY_WINDOWS: readonly ContinuityWindow[] = [
  { from: 'chat', to: 'email', windowMs: 24 * HOUR },
  { from: 'email', to: 'phone', windowMs: 72 * HOUR },
  { from: 'social', to: 'chat', windowMs: 24 * HOUR },
  { from: 'any', to: 'any', windowMs: 24 * HOUR },
];

export const ThreadingConfig = z.object({
  /** The most specific rule for (the case's last channel → the incoming channel) wins; ties go to the earlier rule. */
  continuityWindows: z.array(ContinuityWindow).default([...DEFAULT_CONTINUITY_WINDOWS]),
  /** A reply or token naming a resolved/closed case reopens it up to this long after the resolution. */
  reopenWindowMs: z.number().int().nonnegative().default(30 * DAY),
  /** The domain of our own outgoing Message-IDs, `<case-48350.abc@omni.local>`. */
  messageIdDomain: z.string().min(1).default('omni.local'),
  /**
   * Further domains our Message-IDs carry: replies use the domain of the support address they go
   * out from (`<case-48350.abc@support.example>`); ids of `messageIdDomain` keep working.
   */
  supportDomains: z.array(z.string().min(1)).default([]),
  /**
   * Whether a case token or one of our case Message-IDs may attach another customer's message to a
   * case. Both are guessable, so by default they only count for the case's own customer; an exact
   * Message-ID recorded on the case (unguessable) counts for anyone, e.g. a colleague in Cc.
   */
  crossCustomerTokens: z.boolean().default(false),
});
export type ThreadingConfig = z.infer<typeof ThreadingConfig>;
export type ThreadingConfigInput = z.input<typeof ThreadingConfig>;

export const DEFAULT_THREADING_CONFIG: ThreadingConfig = ThreadingConfig.parse({});

/** Validates a configuration section; the message names the offending field. */
export function parseThreadingConfig(raw: unknown): { ok: true; config: ThreadingConfig } | { ok: false; error: { code: 'config/invalid'; message: string } } {
  const parsed = ThreadingConfig.safeParse(raw ?? {});
  if (parsed.success) return { ok: true, config: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'threading';
  return { ok: false, error: { code: 'config/invalid', message: `The threading setting ${where} is invalid: ${issue?.message ?? 'unknown problem'}.` } };
}

/** What threading needs to know about an incoming event. Email fields are absent on other channels. */
export interface IncomingEvent {
  customerId: number;
  channel: Channel;
  occurredAt: number;
  subject?: string | null;
  messageId?: string | null;
  inReplyTo?: string | null;
  /** The References header, raw (`<a@x> <b@y>`) or already split. */
  references?: string | readonly string[] | null;
}

/** An open or recently resolved case, as threading sees it. */
export interface CaseCandidate {
  id: number;
  customerId: number;
  status: CaseStatus;
  /** The last customer-facing activity and its channel: continuity is measured from there. */
  lastActivityAt: number;
  lastChannel: Channel;
  resolvedAt?: number | null;
  /** Message-IDs of the emails on the case, in and out. */
  messageIds?: readonly string[];
  /** Set when the case was merged into another: matches follow the pointer. */
  mergedInto?: number | null;
}

export type MatchResult =
  | { action: 'join'; caseId: number; reason: string }
  | { action: 'reopen'; caseId: number; reason: string }
  | { action: 'new'; reason: string; linkTo?: number };

const ACTIVE: ReadonlySet<CaseStatus> = new Set<CaseStatus>(['open', 'pending', 'snoozed']);

/** Active cases take new messages; resolved and closed ones are reopened. */
export function isActiveStatus(status: CaseStatus): boolean {
  return ACTIVE.has(status);
}

// ---------------------------------------------------------------------------------------------
// Our own identifiers in mail: the case token and the Message-IDs of outgoing mail.

export function caseToken(caseId: number): string {
  return `[#${caseId}]`;
}

const TOKEN = /\[#\s*(\d{1,15})\s*\]/;

/** The case id of the first `[#123]` token in a subject, whatever `Re:`/`AW:`/`Fwd:` prefixes precede it. */
export function parseCaseToken(subject: string | null | undefined): number | null {
  if (!subject) return null;
  const m = TOKEN.exec(subject);
  if (!m) return null;
  const id = Number(m[1]);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

const REPLY_PREFIX = /^\s*(?:(?:re|aw|sv|vs|wg|fw|fwd|tr|antw)\s*(?:\[\d+\])?\s*:\s*)+/i;

/** The subject without its reply and forward prefixes, as people read it. */
export function stripReplyPrefixes(subject: string): string {
  return subject.replace(REPLY_PREFIX, '').trim();
}

/** `<case-48350.k2j9x@omni.local>`: the case id travels in every reply's In-Reply-To and References. */
export function caseMessageId(caseId: number, unique: string, domain = 'omni.local'): string {
  const safe = unique.replace(/[^A-Za-z0-9_-]/g, '') || '0';
  return `<case-${caseId}.${safe}@${domain}>`;
}

const CASE_MESSAGE_ID = /^<?case-(\d{1,15})\.[^@<>\s]+@([^<>\s]+?)>?$/i;

/** The case id in one of our Message-IDs; null for anyone else's (or another domain's, when one or more are given). */
export function caseIdFromMessageId(messageId: string, domain?: string | readonly string[]): number | null {
  const m = CASE_MESSAGE_ID.exec(messageId.trim());
  if (!m) return null;
  if (domain !== undefined) {
    const ours = typeof domain === 'string' ? [domain] : domain;
    const theirs = m[2]!.toLowerCase();
    if (!ours.some((d) => d.toLowerCase() === theirs)) return null;
  }
  const id = Number(m[1]);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** The domains of our own Message-IDs: the configured one and the support addresses'. */
export function ourMessageIdDomains(config: Pick<ThreadingConfig, 'messageIdDomain' | 'supportDomains'>): string[] {
  return [config.messageIdDomain, ...(config.supportDomains ?? [])];
}

/** `<a@x>` whatever the spacing or missing brackets, so ids compare as strings. */
export function normalizeMessageId(id: string): string {
  const t = id.trim();
  if (t === '') return '';
  return t.startsWith('<') && t.endsWith('>') ? t : `<${t.replace(/^<|>$/g, '')}>`;
}

/** In-Reply-To first, then References newest first: the order in which a reply names its ancestors. */
export function replyReferences(incoming: Pick<IncomingEvent, 'inReplyTo' | 'references'>): string[] {
  const out: string[] = [];
  const push = (id: string) => {
    const n = normalizeMessageId(id);
    if (n !== '' && !out.includes(n)) out.push(n);
  };
  if (incoming.inReplyTo) for (const id of splitIds(incoming.inReplyTo)) push(id);
  const refs = incoming.references;
  const list = refs == null ? [] : typeof refs === 'string' ? splitIds(refs) : refs.flatMap(splitIds);
  for (let i = list.length - 1; i >= 0; i--) push(list[i]!);
  return out;
}

function splitIds(raw: string): string[] {
  const bracketed = raw.match(/<[^<>]+>/g);
  return bracketed ?? raw.split(/[\s,]+/).filter((s) => s !== '');
}

/**
 * The case ids an incoming email names by itself (our Message-IDs in its headers, the token in its
 * subject), so the caller can load those cases along with the customer's open and recent ones.
 */
export function referencedCaseIds(incoming: IncomingEvent, config: ThreadingConfig = DEFAULT_THREADING_CONFIG): number[] {
  const ids: number[] = [];
  for (const ref of replyReferences(incoming)) {
    const id = caseIdFromMessageId(ref, ourMessageIdDomains(config));
    if (id !== null && !ids.includes(id)) ids.push(id);
  }
  const token = parseCaseToken(incoming.subject);
  if (token !== null && !ids.includes(token)) ids.push(token);
  return ids;
}

// ---------------------------------------------------------------------------------------------

/** "45 min", "2 h", "3 d": how the reasons say how long ago something happened. */
export function formatDuration(ms: number): string {
  const abs = Math.max(0, ms);
  if (abs < HOUR) return `${Math.max(0, Math.round(abs / MINUTE))} min`;
  if (abs < 48 * HOUR) return `${Math.round(abs / HOUR)} h`;
  return `${Math.round(abs / DAY)} d`;
}

/** The continuity window for a switch from `from` to `to`: the most specific matching rule, else none (0). */
export function continuityWindowFor(from: Channel, to: Channel, windows: readonly ContinuityWindow[]): number | null {
  let best: ContinuityWindow | null = null;
  let bestScore = -1;
  for (const w of windows) {
    if (!channelMatches(w.from, from) || !channelMatches(w.to, to)) continue;
    const score = patternSpecificity(w.from) + patternSpecificity(w.to);
    if (score > bestScore) {
      best = w;
      bestScore = score;
    }
  }
  return best ? best.windowMs : null;
}

/**
 * Decides where an incoming event goes.
 *
 * `cases` are the customer's open and recently resolved cases plus any case the event names itself
 * (see `referencedCaseIds`); a reference to a case not in the list is ignored. Order:
 *  1. email reply headers: a Message-ID recorded on a case, or one of our `<case-N.…@domain>` ids;
 *  2. the `[#N]` token in the subject;
 *  3. continuity: the same customer's most recently active open/pending/snoozed case whose last
 *     activity lies within the window configured for (its last channel → this channel).
 * A reference to a resolved or closed case reopens it within `reopenWindowMs` of the resolution,
 * otherwise the event opens a new case linked to the old one. Times are measured from the event's
 * own time, clamped to `now` (a sender's clock may run ahead); replays of old mail thread as they
 * would have when the mail arrived.
 */
export function matchCase(incoming: IncomingEvent, cases: readonly CaseCandidate[], config: ThreadingConfig = DEFAULT_THREADING_CONFIG, now: number = incoming.occurredAt): MatchResult {
  const byId = new Map<number, CaseCandidate>();
  for (const c of cases) byId.set(c.id, c);
  const resolveMerged = (c: CaseCandidate): CaseCandidate => {
    let current = c;
    const seen = new Set<number>([c.id]);
    while (current.mergedInto != null) {
      const next = byId.get(current.mergedInto);
      if (!next || seen.has(next.id)) break;
      seen.add(next.id);
      current = next;
    }
    return current;
  };
  const sameCustomer = (c: CaseCandidate) => config.crossCustomerTokens || c.customerId === incoming.customerId;
  // A sender's clock (an email's Date header) may run ahead: never measure from later than now.
  const at = Math.min(incoming.occurredAt, now);

  // 1. Reply headers.
  const refs = replyReferences(incoming);
  if (refs.length > 0) {
    const known = new Map<string, CaseCandidate>();
    for (const c of cases) for (const id of c.messageIds ?? []) known.set(normalizeMessageId(id), c);
    for (const ref of refs) {
      let found = known.get(ref);
      if (!found) {
        const id = caseIdFromMessageId(ref, ourMessageIdDomains(config));
        const c = id === null ? undefined : byId.get(id);
        if (c && sameCustomer(c)) found = c;
      }
      if (found) return decide(resolveMerged(found), found, `reply to message ${ref}`, at, config);
    }
  }

  // 2. The case token in the subject (References are often dropped by clients and forwarders).
  const token = parseCaseToken(incoming.subject);
  if (token !== null) {
    const c = byId.get(token);
    if (c && sameCustomer(c)) return decide(resolveMerged(c), c, `case token ${caseToken(token)} in subject`, at, config);
  }

  // 3. Continuity with the same customer's active case, most recent activity first.
  let best: CaseCandidate | null = null;
  for (const c of cases) {
    if (c.customerId !== incoming.customerId || c.mergedInto != null || !isActiveStatus(c.status)) continue;
    const window = continuityWindowFor(c.lastChannel, incoming.channel, config.continuityWindows);
    if (window === null || at - c.lastActivityAt > window) continue;
    if (!best || c.lastActivityAt > best.lastActivityAt || (c.lastActivityAt === best.lastActivityAt && c.id > best.id)) best = c;
  }
  if (best) {
    const ago = formatDuration(at - best.lastActivityAt);
    const reason =
      best.lastChannel === incoming.channel
        ? `continues ${best.lastChannel} from ${ago} ago`
        : `continues ${best.lastChannel} from ${ago} ago on ${incoming.channel}`;
    return { action: 'join', caseId: best.id, reason };
  }

  const hasActive = cases.some((c) => c.customerId === incoming.customerId && c.mergedInto == null && isActiveStatus(c.status));
  return {
    action: 'new',
    reason: hasActive ? `no open case of this customer was active within the continuity window for ${incoming.channel}` : 'no open case of this customer',
  };
}

function decide(target: CaseCandidate, named: CaseCandidate, how: string, at: number, config: ThreadingConfig): MatchResult {
  const via = target.id === named.id ? '' : ` (case ${named.id} was merged into case ${target.id})`;
  if (isActiveStatus(target.status)) return { action: 'join', caseId: target.id, reason: `${how}${via}` };
  const resolvedAt = target.resolvedAt ?? target.lastActivityAt;
  const since = at - resolvedAt;
  if (since <= config.reopenWindowMs) {
    return { action: 'reopen', caseId: target.id, reason: `${how}${via}; case ${target.id} was ${target.status} ${formatDuration(since)} ago` };
  }
  return {
    action: 'new',
    linkTo: target.id,
    reason: `${how}${via}, but case ${target.id} was ${target.status} ${formatDuration(since)} ago, beyond the ${formatDuration(config.reopenWindowMs)} reopen window`,
  };
}
