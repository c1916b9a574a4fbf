// The handoff part of the renderer<->main contract: what the channel configuration's handoff rules
// will do when a reply leaves on another channel than the one the customer last used, so the
// composer can say it before the agent sends. Main applies the same rule again when the reply is stored.
import { z } from 'zod';
import { Channel, Id } from './domain';
import { HandoffRule } from './cases/handoff';

export const HandoffKind = z.enum(['full_transcript', 'call_brief', 'public_context', 'whole_history', 'none']);
export type HandoffKind = z.infer<typeof HandoffKind>;

export const HandoffPlan = z.object({
  caseId: Id,
  /** The channel the customer last wrote on in this case (the case's own channel before they wrote). */
  from: Channel,
  to: Channel,
  /** The matrix's rule for from → to; null when the channel does not change or no rule applies. */
  rule: HandoffRule.nullable(),
  kind: HandoffKind,
  visibility: z.enum(['private', 'public']).nullable(),
  /** The matrix version the plan was read from; null before the hub pushed one (the built-in defaults). */
  matrixVersion: z.number().int().positive().nullable(),
});
export type HandoffPlan = z.infer<typeof HandoffPlan>;

export const handoffRequests = {
  /** What sending a reply of this case on `channel` hands over under the current matrix. */
  handoffPlan: {
    input: z.object({ caseId: Id, channel: Channel }).strict(),
    output: HandoffPlan,
  },
  /**
   * The call notes for an outbound call from this case: the call brief of the customer's emails when
   * the matrix's rule from the customer's last channel to phone produces one (email → phone); '' otherwise.
   */
  handoffCallBrief: {
    input: z.object({ caseId: Id }).strict(),
    output: z.object({ notes: z.string() }),
  },
} satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export type HandoffRequests = typeof handoffRequests;
export type HandoffRequestName = keyof HandoffRequests;
export type HandoffParsedInput<K extends HandoffRequestName> = z.output<HandoffRequests[K]['input']>;
export type HandoffRequestOutput<K extends HandoffRequestName> = z.output<HandoffRequests[K]['output']>;
