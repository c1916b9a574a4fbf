// The handoff rules of the configuration matrix, as data, and the bundle a handoff carries to the
// next channel: a chat transcript, a call brief from an email, the public context, the whole history.
import { z } from 'zod';
import { CHANNEL_LABELS, type Channel, type TimelineEvent } from '../domain';
import type { ErrorInfo } from '../errors';
import { fieldSays } from '../fieldSentence';
import { say } from '../serverErrors';
import { ChannelPattern, channelMatches, patternSpecificity, SOCIAL_CHANNELS, stripReplyPrefixes } from './threading';

export const HandoffTarget = z.union([ChannelPattern, z.literal('escalation')]);
export type HandoffTarget = z.infer<typeof HandoffTarget>;

export const HandoffRule = z
  .object({
    from: ChannelPattern,
    to: HandoffTarget,
    keep: z.enum(['full_transcript', 'public_context', 'whole_history']).optional(),
    produce: z.literal('call_brief').optional(),
    /** Where the conversation continues: `private` takes a public social thread to a private one. */
    visibility: z.enum(['private', 'public']).optional(),
  })
  .refine((r) => r.keep !== undefined || r.produce !== undefined, { message: fieldSays(say('handoffKeepOrProduce')) });
export type HandoffRule = z.infer<typeof HandoffRule>;

export const HandoffRuleSet = z.array(HandoffRule);

export const DEFAULT_HANDOFF_RULES: readonly HandoffRule[] = [
  { from: 'chat', to: 'email', keep: 'full_transcript' },
  { from: 'email', to: 'phone', produce: 'call_brief' },
  { from: 'social', to: 'chat', visibility: 'private', keep: 'public_context' },
  { from: 'any', to: 'escalation', keep: 'whole_history' },
];

export function parseHandoffRules(raw: unknown): { ok: true; rules: HandoffRule[] } | { ok: false; error: ErrorInfo } {
  const parsed = HandoffRuleSet.safeParse(raw);
  if (parsed.success) return { ok: true, rules: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `rule ${issue.path.join('.')}` : 'the rule list';
  return { ok: false, error: { code: 'config/invalid', message: `The handoff rules are invalid at ${where}: ${issue?.message ?? 'unknown problem'}.` } };
}

/** What a handoff reads from the timeline. Public social posts carry `metadata.visibility: 'public'`. */
export type HandoffEvent = Pick<TimelineEvent, 'id' | 'channel' | 'direction' | 'kind' | 'authorType' | 'authorName' | 'subject' | 'body' | 'occurredAt'> & {
  metadata?: Record<string, unknown>;
};

export interface CallBrief {
  customer: string;
  subject: string | null;
  /** The customer's last email, without quotes and signature, condensed to its first sentences. */
  lastEmail: string | null;
  lastEmailAt: number | null;
  /** Questions the customer asked by email since the last agent reply. */
  openQuestions: string[];
  previousAgent: string | null;
}

interface BundleBase {
  from: Channel;
  to: Channel | 'escalation';
  rule: HandoffRule;
  visibility: 'private' | 'public' | null;
  /** Plain text for the next agent (or the attachment's content). */
  text: string;
}

export type HandoffBundle =
  | (BundleBase & { kind: 'full_transcript'; eventIds: number[]; attachment: { filename: string; mimeType: 'text/plain'; content: string } })
  | (BundleBase & { kind: 'call_brief'; brief: CallBrief; sourceEventId: number | null })
  | (BundleBase & { kind: 'public_context'; context: HandoffEvent[] })
  | (BundleBase & { kind: 'whole_history'; events: HandoffEvent[] })
  | { kind: 'none'; from: Channel; to: Channel | 'escalation'; reason: string };

export interface HandoffOptions {
  customerName?: string;
  caseId?: number;
  /** How times read in the texts; UTC ISO minutes by default (shared code knows no time zone). */
  formatTime?: (at: number) => string;
  /** How many sentences of the last email the call brief keeps. */
  briefSentences?: number;
}

/** The most specific rule for (from → to): exact channel over the social group over "any"; ties to the earlier rule. */
export function findHandoffRule(rules: readonly HandoffRule[], from: Channel, to: Channel | 'escalation'): HandoffRule | null {
  let best: HandoffRule | null = null;
  let bestScore = -1;
  for (const r of rules) {
    if (!channelMatches(r.from, from)) continue;
    const toMatches = to === 'escalation' ? r.to === 'escalation' : r.to !== 'escalation' && channelMatches(r.to, to);
    if (!toMatches) continue;
    const score = patternSpecificity(r.from) + patternSpecificity(r.to);
    if (score > bestScore) {
      best = r;
      bestScore = score;
    }
  }
  return best;
}

export function applyHandoff(
  rules: readonly HandoffRule[],
  from: Channel,
  to: Channel | 'escalation',
  history: readonly HandoffEvent[],
  options: HandoffOptions = {},
): { ok: true; bundle: HandoffBundle } | { ok: false; error: ErrorInfo } {
  const parsed = parseHandoffRules(rules);
  if (!parsed.ok) return parsed;
  const rule = findHandoffRule(parsed.rules, from, to);
  if (!rule) return { ok: true, bundle: { kind: 'none', from, to, reason: `no handoff rule from ${from} to ${to}` } };

  const fmt = options.formatTime ?? formatUtc;
  const events = [...history].sort((a, b) => a.occurredAt - b.occurredAt || a.id - b.id);
  const base = { from, to, rule, visibility: rule.visibility ?? null };

  if (rule.produce === 'call_brief') {
    const { brief, sourceEventId } = callBrief(events, options);
    return { ok: true, bundle: { ...base, kind: 'call_brief', brief, sourceEventId, text: callBriefText(brief, fmt) } };
  }
  switch (rule.keep) {
    case 'full_transcript': {
      const transcript = events.filter((e) => e.channel === from && e.direction !== 'internal' && e.kind !== 'system');
      const label = CHANNEL_LABELS[from];
      const first = transcript[0];
      const header = `${label} transcript${options.caseId ? ` — case ${options.caseId}` : ''}${first ? `, ${fmt(first.occurredAt)}` : ''}`;
      const content = [header, '', ...transcript.map((e) => `[${fmt(e.occurredAt)}] ${e.authorName} (${e.authorType}): ${e.body.trim()}`)].join('\n') + '\n';
      const day = first ? formatUtc(first.occurredAt).slice(0, 10) : 'empty';
      const filename = `${from}-transcript-${options.caseId ? `case-${options.caseId}-` : ''}${day}.txt`;
      return {
        ok: true,
        bundle: { ...base, kind: 'full_transcript', eventIds: transcript.map((e) => e.id), attachment: { filename, mimeType: 'text/plain', content }, text: content },
      };
    }
    case 'public_context': {
      const context = events.filter((e) => isPublic(e) && (e.channel === from || (SOCIAL_CHANNELS as readonly Channel[]).includes(e.channel)));
      const text = [
        `Moved from public ${CHANNEL_LABELS[from]} to private ${to === 'escalation' ? 'escalation' : CHANNEL_LABELS[to]}. Public context:`,
        ...context.map((e) => `[${fmt(e.occurredAt)}] ${e.authorName} on ${CHANNEL_LABELS[e.channel]} (public): ${e.body.trim()}`),
      ].join('\n');
      return { ok: true, bundle: { ...base, kind: 'public_context', context, text } };
    }
    case 'whole_history': {
      const text = events.map((e) => `[${fmt(e.occurredAt)}] ${CHANNEL_LABELS[e.channel]} ${e.direction === 'internal' ? 'note' : e.kind} — ${e.authorName}: ${e.body.trim()}`).join('\n');
      return { ok: true, bundle: { ...base, kind: 'whole_history', events, text } };
    }
    default:
      return { ok: true, bundle: { kind: 'none', from, to, reason: `the rule from ${rule.from} to ${rule.to} carries nothing` } };
  }
}

function isPublic(e: HandoffEvent): boolean {
  return e.metadata?.visibility === 'public' || e.metadata?.public === true;
}

function formatUtc(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

// ---------------------------------------------------------------------------------------------
// The call brief

/** The email's own words: no quoted reply, no "On … wrote:" line, no signature. */
export function emailOwnText(body: string): string {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  for (const line of lines) {
    const t = line.trim();
    if (t === '--' || line === '-- ') break;
    if (/^-{2,}\s*(original message|ursprüngliche nachricht)/i.test(t)) break;
    if (/^(on|am|le)\b.{0,200}\b(wrote|schrieb|a écrit)\s*:$/i.test(t)) break;
    if (/^from:\s/i.test(t) && out.length > 0) break;
    if (t.startsWith('>')) continue;
    out.push(t);
  }
  return out.join(' ').replace(/\s+/g, ' ').trim();
}

/** Sentences end at . ! ? followed by space; good enough for a brief, not for linguistics. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[^a-z\s])/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

const MAX_SUMMARY = 320;

function condense(text: string, count: number): string {
  const first = sentences(text).slice(0, count).join(' ');
  return first.length > MAX_SUMMARY ? `${first.slice(0, MAX_SUMMARY - 1).trimEnd()}…` : first;
}

function callBrief(events: readonly HandoffEvent[], options: HandoffOptions): { brief: CallBrief; sourceEventId: number | null } {
  const emails = events.filter((e) => e.channel === 'email' && e.kind === 'message' && e.direction !== 'internal');
  const fromCustomer = emails.filter((e) => e.direction === 'in' && e.authorType === 'customer');
  const fromAgents = emails.filter((e) => e.direction === 'out' && e.authorType === 'agent');
  const last = fromCustomer[fromCustomer.length - 1] ?? null;
  const lastAgent = fromAgents[fromAgents.length - 1] ?? null;
  const unanswered = fromCustomer.filter((e) => lastAgent === null || e.occurredAt > lastAgent.occurredAt || (e.occurredAt === lastAgent.occurredAt && e.id > lastAgent.id));
  const questions: string[] = [];
  for (const e of unanswered) {
    for (const s of sentences(emailOwnText(e.body))) if (s.endsWith('?') && !questions.includes(s)) questions.push(s);
  }
  const subjectSource = last ?? emails[emails.length - 1] ?? null;
  const subject = subjectSource?.subject ? stripReplyPrefixes(subjectSource.subject).replace(/\s*\[#\s*\d+\s*\]\s*/g, ' ').trim() || null : null;
  const customer = options.customerName ?? last?.authorName ?? events.find((e) => e.authorType === 'customer')?.authorName ?? 'the customer';
  return {
    brief: {
      customer,
      subject,
      lastEmail: last ? condense(emailOwnText(last.body), options.briefSentences ?? 2) || null : null,
      lastEmailAt: last?.occurredAt ?? null,
      openQuestions: questions.slice(0, 5),
      previousAgent: lastAgent?.authorName ?? null,
    },
    sourceEventId: last?.id ?? null,
  };
}

function callBriefText(b: CallBrief, fmt: (at: number) => string): string {
  const lines = [`Call brief — ${b.customer}`];
  if (b.subject) lines.push(`Subject: ${b.subject}`);
  lines.push(b.lastEmail && b.lastEmailAt !== null ? `Last email (${fmt(b.lastEmailAt)}): ${b.lastEmail}` : 'No email from the customer yet.');
  if (b.openQuestions.length > 0) lines.push('Open questions:', ...b.openQuestions.map((q) => `- ${q}`));
  lines.push(`Previous agent: ${b.previousAgent ?? 'none'}`);
  return lines.join('\n');
}
