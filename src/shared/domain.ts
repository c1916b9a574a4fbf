// The domain vocabulary shared by the desktop, the hub and the renderer: channels, cases,
// timeline events, customers and agents, as runtime-validated schemas. No I/O here.
import { z } from 'zod';
import { StoredSentence } from './storedSentence';

export const CHANNELS = ['email', 'chat', 'phone', 'messenger', 'instagram', 'x', 'sms', 'in_app', 'portal'] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

/** Human labels, used by the UI and by notices such as "previously contacted via Email". */
export const CHANNEL_LABELS: Record<Channel, string> = {
  email: 'Email',
  chat: 'Chat',
  phone: 'Phone',
  messenger: 'Messenger',
  instagram: 'Instagram',
  x: 'X',
  sms: 'SMS',
  in_app: 'In-app',
  portal: 'Portal',
};

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const Priority = z.enum(PRIORITIES);
export type Priority = z.infer<typeof Priority>;

export const CASE_STATUSES = ['open', 'pending', 'snoozed', 'resolved', 'closed'] as const;
export const CaseStatus = z.enum(CASE_STATUSES);
export type CaseStatus = z.infer<typeof CaseStatus>;

export const TIERS = ['standard', 'premium', 'enterprise'] as const;
export const Tier = z.enum(TIERS);
export type Tier = z.infer<typeof Tier>;

export const ISSUE_TYPES = ['technical', 'billing', 'account', 'shipping', 'feedback', 'other'] as const;
export const IssueType = z.enum(ISSUE_TYPES);
export type IssueType = z.infer<typeof IssueType>;

export const Direction = z.enum(['in', 'out', 'internal']);
export type Direction = z.infer<typeof Direction>;

export const EVENT_KINDS = ['message', 'note', 'call', 'voicemail', 'system', 'csat', 'portal_view'] as const;
export const EventKind = z.enum(EVENT_KINDS);
export type EventKind = z.infer<typeof EventKind>;

export const AuthorType = z.enum(['customer', 'agent', 'system', 'bot']);
export type AuthorType = z.infer<typeof AuthorType>;

export const DeliveryStatus = z.enum(['queued', 'sending', 'delivered', 'failed']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** Epoch milliseconds. Every timestamp in the product is one of these, in UTC. */
export const Millis = z.number().int().nonnegative();

export const Id = z.number().int().positive();

export const TimelineEvent = z.object({
  id: Id,
  caseId: Id.nullable(),
  customerId: Id,
  channel: Channel,
  direction: Direction,
  kind: EventKind,
  authorType: AuthorType,
  authorName: z.string(),
  subject: z.string().nullable(),
  body: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  occurredAt: Millis,
  /** Only outgoing messages have a delivery status: their outbox row's. */
  delivery: DeliveryStatus.nullable(),
  /** Why an outgoing message is not delivered yet ("… refused the connection; retrying in 2 min"), or why it failed. */
  deliveryDetail: z.string().nullable(),
  /** deliveryDetail's serverErrors key and params, when it has one (the workspace shows it in the agent's language). */
  deliveryText: StoredSentence.nullable().optional(),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

export const QueueItem = z.object({
  caseId: Id,
  customerId: Id,
  customerName: z.string(),
  company: z.string().nullable(),
  tier: Tier,
  vip: z.boolean(),
  subject: z.string(),
  preview: z.string(),
  /** The preview's catalog key when it is a line main or the hub wrote ("Voicemail from …"), shown in the agent's language. */
  previewText: StoredSentence.nullable().optional(),
  channel: Channel,
  priority: Priority,
  status: CaseStatus,
  issueType: IssueType,
  assignedAgentId: Id.nullable(),
  /** When the customer's oldest unanswered message arrived. */
  waitingSince: Millis,
  /** When the running SLA clock is due, if one runs. */
  slaDueAt: Millis.nullable(),
  /** The case's tags, by name (the queue's "by tag" views). */
  tags: z.array(z.string()),
});
export type QueueItem = z.infer<typeof QueueItem>;

export const Identity = z.object({
  kind: z.enum(['email', 'phone', 'social', 'account']),
  platform: z.string(),
  value: z.string(),
  display: z.string(),
  verified: z.boolean(),
});
export type Identity = z.infer<typeof Identity>;

export const CustomerNote = z.object({ id: Id, body: z.string(), authorName: z.string(), createdAt: Millis });
export type CustomerNote = z.infer<typeof CustomerNote>;

export const CustomerProfile = z.object({
  id: Id,
  name: z.string(),
  company: z.string().nullable(),
  title: z.string().nullable(),
  tier: Tier,
  vip: z.boolean(),
  healthScore: z.number().int().min(0).max(100).nullable(),
  language: z.string().nullable(),
  timezone: z.string().nullable(),
  preferredChannel: Channel.nullable(),
  identities: z.array(Identity),
  channelsUsed: z.array(z.object({ channel: Channel, count: z.number().int().nonnegative() })),
  openCases: z.array(z.object({ id: Id, subject: z.string(), status: CaseStatus, priority: Priority, channel: Channel })),
  closedLast30Days: z.number().int().nonnegative(),
  notes: z.array(CustomerNote),
});
export type CustomerProfile = z.infer<typeof CustomerProfile>;

export const SearchHit = z.object({
  eventId: Id,
  caseId: Id.nullable(),
  customerId: Id,
  customerName: z.string(),
  channel: Channel,
  subject: z.string().nullable(),
  snippet: z.string(),
  occurredAt: Millis,
});
export type SearchHit = z.infer<typeof SearchHit>;

export const Agent = z.object({
  id: Id,
  name: z.string(),
  email: z.string(),
  role: z.enum(['agent', 'supervisor', 'admin']),
  tier: z.number().int().min(1).max(3),
  seniority: z.enum(['junior', 'mid', 'senior']),
});
export type Agent = z.infer<typeof Agent>;
