// The privacy part of the renderer<->main contract: audited reveal of masked text, the audit list,
// a customer's data export and the GDPR erase. Merged into contract.ts's `requests` and `events`.
import { z } from 'zod';
import { Channel, Id, Millis } from './domain';
import { PII_KINDS } from './privacy/masking';
import { StoredSentence } from './storedSentence';

export const PrivacyAuditRow = z.object({
  id: Id,
  at: Millis,
  agentId: Id.nullable(),
  agentName: z.string(),
  action: z.enum(['reveal', 'export', 'erase']),
  eventId: Id.nullable(),
  customerId: Id.nullable(),
  /** The reason the agent gave (reveal), or what was done (export, erase); never the revealed text. */
  detail: z.string(),
});
export type PrivacyAuditRow = z.infer<typeof PrivacyAuditRow>;

export const privacyRequests = {
  /** The unmasked text of one event, for supervisors and admins, with a reason; every reveal is audited. */
  revealEvent: {
    input: z.object({ eventId: Id, reason: z.string().trim().min(3, 'Say why you need to see the hidden text.').max(500) }).strict(),
    output: z.object({ eventId: Id, subject: z.string().nullable(), body: z.string(), kinds: z.array(z.enum(PII_KINDS)) }),
  },
  /** The privacy audit log, newest first (admins). */
  privacyAudit: {
    input: z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    output: z.object({ rows: z.array(PrivacyAuditRow) }),
  },
  /** The customer's profile, identities and every event, masked; restricted channels left out with a line saying why. */
  exportCustomer: {
    input: z.object({ customerId: Id, format: z.enum(['csv', 'json']) }).strict(),
    output: z.object({
      fileName: z.string(),
      mimeType: z.string(),
      content: z.string(),
      events: z.number().int().nonnegative(),
      excluded: z.array(z.object({ channel: Channel, events: z.number().int().nonnegative(), note: z.string() })),
    }),
  },
  /** GDPR erase (admins): everything of the customer leaves the desktop in one transaction; `confirm` is their name. */
  eraseCustomer: {
    input: z.object({ customerId: Id, confirm: z.string().trim().min(1, "Type the customer's name to confirm.").max(300) }).strict(),
    output: z.object({
      customerId: Id,
      removed: z.record(z.string(), z.number().int().nonnegative()),
      filesRemoved: z.number().int().nonnegative(),
      /** Whether the hub was told; the sentence says what is left there. */
      hub: z.object({ told: z.boolean(), detail: z.string() }),
      /** hub.detail's serverErrors key and params (shown in the agent's language). */
      hubText: StoredSentence.nullable().optional(),
    }),
  },
} satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export const privacyEvents = {
  /** A customer was erased: the workspace closes their conversation and profile. */
  customerErased: z.object({ customerId: Id }),
} satisfies Record<string, z.ZodType>;

export type PrivacyRequests = typeof privacyRequests;
export type PrivacyRequestName = keyof PrivacyRequests;
export type PrivacyParsedInput<K extends PrivacyRequestName> = z.output<PrivacyRequests[K]['input']>;
export type PrivacyRequestOutput<K extends PrivacyRequestName> = z.output<PrivacyRequests[K]['output']>;
