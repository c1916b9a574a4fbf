// The automatic "we've got your request" answer to a new customer email. The decision is pure
// (loop protection per RFC 3834 and common practice); the sender queues the answer through the
// same outbox as agents' replies, with `Auto-Submitted: auto-replied`, and remembers the sender so
// nobody gets more than one per hour (stored, so a restart does not forget). Text, hours and
// on/off per channel come from the configuration (config.ts, `autoReply`).
import type { Channel } from '../../shared/domain';
import { normalizeMessageId } from '../../shared/cases';
import { AppError } from '../../shared/errors';
import { isOpen, nextOpening, parseCalendar, type BusinessCalendar } from '../../shared/time';
import { AutoReplySettings, type ChannelAutoReplySettings } from '../config';
import type { OutboxRow, OutboxStore } from '../store/outboxStore';
import type { IngestResult } from './ingest';
import type { ParsedEmail } from './mime';

/** One channel's automatic reply, ready to use. */
export interface ChannelAutoReply {
  enabled: boolean;
  /** Promised response time, in hours of the team's hours. */
  responseHours: number;
  /** Sent while the team is open, or always when `hours` is null. */
  text: string;
  /** Sent outside the hours; {opensAt} is the next opening. */
  closedText: string;
  hours: BusinessCalendar | null;
}

export interface AutoReplyConfig {
  enabled: boolean;
  /** A channel without an entry gets no auto-reply. */
  channels: Partial<Record<Channel, ChannelAutoReply>>;
  /** At most one auto-reply per sender within this long. Default 1 h. */
  perSenderIntervalMs: number;
}

/** The validated `autoReply` section of the configuration, with its calendars compiled. */
export function autoReplyConfigFrom(settings: AutoReplySettings): AutoReplyConfig {
  const channels: Partial<Record<Channel, ChannelAutoReply>> = {};
  for (const [channel, c] of Object.entries(settings.channels) as Array<[Channel, ChannelAutoReplySettings]>) {
    let hours: BusinessCalendar | null = null;
    if (c.hours) {
      const parsed = parseCalendar({ id: `auto-reply-${channel}`, ...c.hours });
      if (!parsed.ok) throw new AppError('config/invalid', `autoReply.channels.${channel}.hours: ${parsed.error.message}`);
      hours = parsed.value;
    }
    channels[channel] = { enabled: c.enabled, responseHours: c.responseHours, text: c.text, closedText: c.closedText, hours };
  }
  return { enabled: settings.enabled, channels, perSenderIntervalMs: settings.perSenderMinutes * 60_000 };
}

/** The defaults of the configuration: email answered with "within 4 hours", at any hour. */
export const DEFAULT_AUTO_REPLY_CONFIG: AutoReplyConfig = autoReplyConfigFrom(AutoReplySettings.parse(undefined));

/** What the decision needs to know about an incoming mail (ParsedEmail has all of it). */
export interface IncomingMailFacts {
  channel: Channel;
  /** The sender's address (From), null when none could be read. */
  from: string | null;
  autoSubmitted: string | null;
  precedence: string | null;
  listId: string | null;
  /** '' for the null sender `<>`, null when absent. */
  returnPath: string | null;
  /** Exchange's X-Auto-Response-Suppress. */
  autoResponseSuppress?: string | null;
}

export type AutoReplyDecision = { send: true; body: string } | { send: false; reason: string };

const ROBOT_LOCAL_PART = /^(mailer-daemon|postmaster|no[-_.]?reply|do[-_.]?not[-_.]?reply|bounces?)([+-].*)?$/i;

/** "4 hours", "1 hour", "30 minutes": the promised response time as the text says it. */
export function responseTimeText(hours: number): string {
  if (hours < 1) {
    const minutes = Math.max(1, Math.round(hours * 60));
    return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  }
  const rounded = Math.round(hours * 10) / 10;
  return rounded === 1 ? '1 hour' : `${rounded} hours`;
}

/** "Monday, March 2 at 09:00 (Europe/Berlin)": an opening time in the team's own zone. */
export function openingText(at: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')}, ${part('month')} ${part('day')} at ${part('hour')}:${part('minute')} (${timeZone})`;
}

/** The text of a channel's auto-reply at `now`: the open text, or outside the hours the closed one with the next opening. */
export function autoReplyBody(channel: ChannelAutoReply, now: number): string {
  const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (all, name: string) => values[name] ?? all);
  const responseTime = responseTimeText(channel.responseHours);
  if (channel.hours && !isOpen(channel.hours, now)) {
    const opening = nextOpening(channel.hours, now);
    // A calendar that never opens again cannot name a time; the open text still answers.
    if (opening.ok) return fill(channel.closedText, { responseTime, opensAt: openingText(opening.value, channel.hours.timeZone) });
  }
  return fill(channel.text, { responseTime });
}

/**
 * Whether to answer this mail automatically. Never: automatic mail (Auto-Submitted other than
 * "no", Precedence bulk/list/junk, List-Id, the null Return-Path, X-Auto-Response-Suppress),
 * robots (mailer-daemon, postmaster, noreply), our own addresses, or a sender answered within the
 * interval.
 */
export function decideAutoReply(
  mail: IncomingMailFacts,
  ctx: { config: AutoReplyConfig; ourAddresses: readonly string[]; lastSentAt: number | null; now: number },
): AutoReplyDecision {
  const { config } = ctx;
  if (!config.enabled) return { send: false, reason: 'Auto-replies are off.' };
  const channel = config.channels[mail.channel];
  if (!channel) return { send: false, reason: `No auto-reply is set up for ${mail.channel}.` };
  if (!channel.enabled) return { send: false, reason: `Auto-replies are off for ${mail.channel}.` };
  const auto = mail.autoSubmitted?.trim().toLowerCase();
  if (auto && auto !== 'no') return { send: false, reason: `The mail is automatic (Auto-Submitted: ${auto}).` };
  const precedence = mail.precedence?.trim().toLowerCase();
  if (precedence === 'bulk' || precedence === 'list' || precedence === 'junk' || precedence === 'auto_reply') {
    return { send: false, reason: `The mail is bulk or list mail (Precedence: ${precedence}).` };
  }
  if (mail.listId) return { send: false, reason: 'The mail came through a mailing list (List-Id).' };
  if (mail.returnPath === '') return { send: false, reason: 'The mail has the null sender (a bounce).' };
  const suppress = mail.autoResponseSuppress?.toLowerCase() ?? '';
  if (/\b(all|autoreply|oof)\b/.test(suppress)) return { send: false, reason: 'The sender asked for no automatic answers (X-Auto-Response-Suppress).' };
  const from = mail.from?.trim().toLowerCase() ?? '';
  if (!from.includes('@')) return { send: false, reason: 'The mail has no sender address to answer.' };
  if (ROBOT_LOCAL_PART.test(from.slice(0, from.lastIndexOf('@')))) return { send: false, reason: `${from} is a robot address.` };
  if (ctx.ourAddresses.some((a) => a.trim().toLowerCase() === from)) return { send: false, reason: `${from} is our own address.` };
  if (ctx.lastSentAt !== null && ctx.now - ctx.lastSentAt < config.perSenderIntervalMs) {
    return { send: false, reason: `${from} already got an auto-reply at ${new Date(ctx.lastSentAt).toISOString()}.` };
  }
  return { send: true, body: autoReplyBody(channel, ctx.now) };
}

/** The new customer mail to answer: the facts plus where it sits. */
export interface AutoReplyRequest extends IncomingMailFacts {
  caseId: number;
  customerId: number;
  /** The support account it arrived at (the answer goes out from there). */
  accountId: number;
  messageId: string | null;
  references?: readonly string[];
  subject: string | null;
}

export interface AutoResponder {
  /** Decides, and queues the answer in the outbox when it is to be sent (then kick the worker). */
  handle(request: AutoReplyRequest): { decision: AutoReplyDecision; row: OutboxRow | null };
}

export function createAutoResponder(deps: {
  store: OutboxStore;
  /** The configuration, or how to read it at each mail (the channel configuration may change it while running). */
  config?: AutoReplyConfig | (() => AutoReplyConfig);
  /** Every address of ours (the support accounts): never answered. */
  ourAddresses: () => readonly string[];
  now?: () => number;
  messageIdDomain?: string;
  log?: (line: string) => void;
}): AutoResponder {
  const now = deps.now ?? Date.now;
  const current = (): AutoReplyConfig => (typeof deps.config === 'function' ? deps.config() : (deps.config ?? DEFAULT_AUTO_REPLY_CONFIG));
  return {
    handle(request) {
      const at = now();
      const config = current();
      const from = request.from?.trim().toLowerCase() ?? null;
      const decision = decideAutoReply(request, { config, ourAddresses: deps.ourAddresses(), lastSentAt: from ? deps.store.lastAutoReplyAt(from) : null, now: at });
      if (!decision.send || !from) {
        deps.log?.(`auto-reply: not sent: ${decision.send ? 'no sender' : decision.reason}`);
        return { decision, row: null };
      }
      const inReplyTo = request.messageId ? normalizeMessageId(request.messageId) : null;
      const row = deps.store.enqueueAutoReply({
        // One per answered mail: handling the same mail twice (a refetch) queues nothing new.
        idempotencyKey: `auto-reply:${request.accountId}:${inReplyTo ?? `${request.caseId}:${at}`}`,
        caseId: request.caseId,
        customerId: request.customerId,
        to: from,
        subject: request.subject ?? '',
        body: decision.body,
        inReplyTo,
        references: [...(request.references ?? []), ...(inReplyTo ? [inReplyTo] : [])],
        accountId: request.accountId,
        now: at,
        ...(deps.messageIdDomain !== undefined ? { messageIdDomain: deps.messageIdDomain } : {}),
      });
      return { decision, row };
    },
  };
}

/**
 * The request for a mail ingest just stored, or null when it is not a new customer message on a
 * case (a duplicate, a quarantined mail, one that opened no case). For the supervisor's onIngested:
 * parse the source again (parseEmail) and pass the ParsedEmail.
 */
export function autoReplyRequestFor(result: IngestResult, parsed: ParsedEmail, accountId: number): AutoReplyRequest | null {
  if (result.outcome !== 'stored' || result.caseId === null || result.caseAction === 'none') return null;
  return {
    channel: 'email',
    from: parsed.from?.address ?? null,
    autoSubmitted: parsed.autoSubmitted,
    precedence: parsed.precedence,
    listId: parsed.listId,
    returnPath: parsed.returnPath,
    autoResponseSuppress: parsed.autoResponseSuppress,
    caseId: result.caseId,
    customerId: result.customerId,
    accountId,
    messageId: parsed.messageId,
    references: parsed.references,
    subject: parsed.subject,
  };
}
