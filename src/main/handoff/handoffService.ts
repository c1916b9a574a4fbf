// The channel configuration's handoff rules applied where the desktop hands a conversation on: a reply
// on another channel (chat → email attaches the transcript; public social → private adds the public
// context as an internal note), the call brief of the screen pop (email → phone) and the history an
// escalation carries (any → escalation). The rules are the matrix the hub last pushed (any version:
// the built-in hub pushes version 1 from its configuration); before the first push, the defaults.
import { applyHandoff, DEFAULT_HANDOFF_RULES, findHandoffRule, type HandoffBundle, type HandoffEvent, type HandoffRule } from '../../shared/cases/handoff';
import type { HandoffParsedInput, HandoffPlan, HandoffRequestName, HandoffRequestOutput } from '../../shared/contractHandoff';
import type { Channel } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import type { Repository } from '../store/repository';
import { say } from '../../shared/serverErrors';

/** How much of a customer's timeline a handoff reads: the newest events, enough for any brief or note. */
export const HANDOFF_HISTORY_EVENTS = 500;
/** The call brief reads only the customer's newest emails (events_customer_time): the screen pop must paint at once. */
const BRIEF_EMAILS = 20;
/** The longest history an escalation carries to the hub (the newest part is kept). */
export const MAX_ESCALATION_HISTORY = 20_000;

export interface HandoffServiceOptions {
  repo: Repository;
  /** The channel configuration last pushed by the current hub, null before the first push. */
  matrix: () => { version: number; matrix: { handoff: readonly HandoffRule[] } } | null;
  /** Masks a brief the workspace shows (the email channel's PII detectors); absent: as stored. */
  mask?: (text: string) => string;
}

/** What a reply on another channel carries: a file for the email, or an internal note before the reply. */
export type ReplyHandoff =
  | { kind: 'full_transcript'; plan: HandoffPlan; attachment: { filename: string; mimeType: 'text/plain'; content: string } }
  | { kind: 'public_context'; plan: HandoffPlan; note: string };

export type HandoffHandlers = {
  [K in HandoffRequestName]: (input: HandoffParsedInput<K>) => HandoffRequestOutput<K>;
};

interface CaseRow {
  channel: Channel;
  customerId: number;
  customerName: string;
}

export function createHandoffService(o: HandoffServiceOptions) {
  const db = o.repo.db;
  const rules = (): readonly HandoffRule[] => o.matrix()?.matrix.handoff ?? DEFAULT_HANDOFF_RULES;

  const caseRow = (caseId: number): CaseRow => {
    const row = db
      .prepare(`SELECT c.channel, c.customer_id AS customerId, cu.name AS customerName FROM cases c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = ?`)
      .get(caseId) as CaseRow | undefined;
    if (!row) throw new AppError('not-found', say('caseMissing', { caseId }));
    return row;
  };

  /** The channel the customer last wrote on in the case (events_case_time), else the case's own. */
  const lastCustomerChannel = (caseId: number, fallback: Channel): Channel =>
    (db
      .prepare(`SELECT channel FROM events WHERE case_id = ? AND direction = 'in' AND kind = 'message' ORDER BY occurred_at DESC, id DESC LIMIT 1`)
      .pluck()
      .get(caseId) as Channel | undefined) ?? fallback;

  const history = (customerId: number, limit: number, caseId?: number): HandoffEvent[] => {
    const events = o.repo.timelineForCustomer(customerId, undefined, limit).events;
    return caseId === undefined ? events : events.filter((e) => e.caseId === caseId);
  };

  const newestEmails = (customerId: number): HandoffEvent[] =>
    (
      db
        .prepare(`SELECT id FROM events WHERE customer_id = ? AND channel = 'email' AND kind = 'message' ORDER BY occurred_at DESC, id DESC LIMIT ?`)
        .pluck()
        .all(customerId, BRIEF_EMAILS) as number[]
    ).map((id) => o.repo.eventById(id));

  const plan = (caseId: number, to: Channel): HandoffPlan => {
    const kase = caseRow(caseId);
    const from = lastCustomerChannel(caseId, kase.channel);
    const current = o.matrix();
    const rule = from === to ? null : findHandoffRule(rules(), from, to);
    const kind = rule === null ? 'none' : rule.produce === 'call_brief' ? 'call_brief' : (rule.keep ?? 'none');
    return { caseId, from, to, rule, kind, visibility: rule?.visibility ?? null, matrixVersion: current?.version ?? null };
  };

  /** The bundle of the rule from → to over `events`; null when no rule carries anything. */
  const bundleOf = (from: Channel, to: Channel | 'escalation', events: HandoffEvent[], options: { caseId?: number; customerName?: string }): Exclude<HandoffBundle, { kind: 'none' }> | null => {
    const result = applyHandoff(rules(), from, to, events, options);
    if (!result.ok || result.bundle.kind === 'none') return null;
    return result.bundle;
  };

  /**
   * What a reply of `caseId` on `to` carries under the current rules: the transcript for an email, the
   * public context for a private conversation; null when the channel does not change or no rule applies.
   */
  const forReply = (caseId: number, to: Channel): ReplyHandoff | null => {
    const p = plan(caseId, to);
    if (p.kind !== 'full_transcript' && p.kind !== 'public_context') return null;
    const kase = caseRow(caseId);
    const events = history(kase.customerId, HANDOFF_HISTORY_EVENTS, p.kind === 'full_transcript' ? caseId : undefined);
    const bundle = bundleOf(p.from, to, events, { caseId, customerName: kase.customerName });
    if (bundle?.kind === 'full_transcript') return bundle.eventIds.length > 0 ? { kind: 'full_transcript', plan: p, attachment: bundle.attachment } : null;
    if (bundle?.kind === 'public_context') return bundle.context.length > 0 ? { kind: 'public_context', plan: p, note: bundle.text } : null;
    return null;
  };

  /** The call brief from the customer's emails when the rules say email → phone produces one; '' otherwise. */
  const callBrief = (customerId: number, customerName: string): string => {
    if (findHandoffRule(rules(), 'email', 'phone')?.produce !== 'call_brief') return '';
    const bundle = bundleOf('email', 'phone', newestEmails(customerId), { customerName });
    return bundle?.kind === 'call_brief' && bundle.sourceEventId !== null ? bundle.text : '';
  };

  /** The customer's whole history for an escalation when the rules keep it; null otherwise (only the reason goes). */
  const escalationHistory = (caseId: number): string | null => {
    const kase = caseRow(caseId);
    const from = lastCustomerChannel(caseId, kase.channel);
    const bundle = bundleOf(from, 'escalation', history(kase.customerId, HANDOFF_HISTORY_EVENTS), { caseId, customerName: kase.customerName });
    if (bundle?.kind !== 'whole_history' || bundle.text.trim() === '') return null;
    const text = bundle.text;
    if (text.length <= MAX_ESCALATION_HISTORY) return text;
    const cut = text.slice(text.length - MAX_ESCALATION_HISTORY + 40);
    return `… (earlier history left out)\n${cut.slice(cut.indexOf('\n') + 1)}`;
  };

  /** The notes of an outbound call from `caseId`: the brief when its rule from the customer's last channel to phone produces one. */
  const callBriefForCase = (caseId: number): string => {
    if (plan(caseId, 'phone').kind !== 'call_brief') return '';
    const kase = caseRow(caseId);
    return callBrief(kase.customerId, kase.customerName);
  };

  const handlers: HandoffHandlers = {
    handoffPlan: ({ caseId, channel }) => plan(caseId, channel),
    handoffCallBrief: ({ caseId }) => {
      const notes = callBriefForCase(caseId);
      return { notes: notes && o.mask ? o.mask(notes) : notes };
    },
  };

  return { handlers, rules, plan, forReply, callBrief, callBriefForCase, escalationHistory };
}

export type HandoffService = ReturnType<typeof createHandoffService>;
