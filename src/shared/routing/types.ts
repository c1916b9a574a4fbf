// The routing engine's vocabulary as runtime-validated schemas: the conversation to route, the
// agents that may take it, the configuration (plain data with defaults) and the decision.
import { z } from 'zod';
import { Agent, Channel, Id, IssueType, Millis, Priority, Tier } from '../domain';

/**
 * An agent's presence. Only `available` takes offers: `busy` is what an agent (or the hub, at
 * full capacity) sets to stop offers, `on_call` blocks every channel while a call is live,
 * `wrap_up` is after-contact work, `away` and `offline` are not at the desk. Being available
 * is necessary but not sufficient: the agent must also be under capacity on the channel.
 */
export const PRESENCES = ['available', 'busy', 'away', 'offline', 'on_call', 'wrap_up'] as const;
export const Presence = z.enum(PRESENCES);
export type Presence = z.infer<typeof Presence>;

/** The same scale as the domain's Agent.seniority. */
export const Seniority = Agent.shape.seniority;
export type Seniority = z.infer<typeof Seniority>;
export const SENIORITIES = Seniority.options;

/** Skill and channel proficiency levels: 1 (can do it) to 5 (the expert). */
export const Level = z.number().int().min(1).max(5);

export const RoutingConversation = z.object({
  /** The case id. */
  id: Id,
  channel: Channel,
  issueType: IssueType,
  priority: Priority,
  /** BCP 47 tag ('de', 'pt-BR'); only its primary subtag is compared. Null: any language. */
  language: z.string().min(1).nullable(),
  tier: Tier,
  vip: z.boolean(),
  preferredChannel: Channel.nullable(),
  /** The agent who last handled this customer, for stickiness. */
  lastAgentId: Id.nullable(),
  /** When that agent last handled them; stickiness lapses after `stickyWindowMs`. Unknown: sticky. */
  lastContactAt: Millis.nullable().optional(),
  /** Length of the customer's latest message, for the channel suggestion. */
  messageLength: z.number().int().nonnegative().optional(),
  /** Customer/agent exchanges so far, for the channel suggestion. */
  backAndForth: z.number().int().nonnegative().optional(),
});
export type RoutingConversation = z.infer<typeof RoutingConversation>;

export const AgentChannel = z.object({
  proficiency: Level,
  /** Concurrent conversations the agent takes on this channel (phone: usually 1). */
  capacity: z.number().int().nonnegative(),
});
export type AgentChannel = z.infer<typeof AgentChannel>;

export const RoutingAgent = z.object({
  id: Id,
  presence: Presence,
  seniority: Seniority,
  /** BCP 47 tags; compared on their primary subtag. */
  languages: z.array(z.string().min(1)),
  skills: z.partialRecord(IssueType, Level),
  /** The channels the agent works; a channel missing here is never offered to them. */
  channels: z.partialRecord(Channel, AgentChannel),
  /** Conversations the agent holds now, per channel. */
  load: z.partialRecord(Channel, z.number().int().nonnegative()),
});
export type RoutingAgent = z.infer<typeof RoutingAgent>;

/** Which channel to suggest to the customer, and when. Thresholds are inclusive. */
export const SuggestConfig = z.object({
  /** The channel an issue type is best handled on ("technical → chat, billing → email"). */
  issueChannel: z.partialRecord(IssueType, Channel).default({ technical: 'chat', billing: 'email' }),
  urgentChannel: Channel.default('phone'),
  complexMessageLength: z.number().int().positive().default(600),
  complexBackAndForth: z.number().int().positive().default(4),
  /** Past these, a complex conversation is suggested a call even when chat would be the issue's channel. */
  veryComplexMessageLength: z.number().int().positive().default(1500),
  veryComplexBackAndForth: z.number().int().positive().default(8),
});
export type SuggestConfig = z.infer<typeof SuggestConfig>;

export const RoutingWeights = z.object({
  /** Added for the previous agent: larger than all the others together, so they come first. */
  sticky: z.number().nonnegative().default(1000),
  /** Per skill level for the conversation's issue type (0–5). */
  skill: z.number().nonnegative().default(10),
  /** Per proficiency level on the routed channel (1–5). */
  proficiency: z.number().nonnegative().default(5),
  /** Times the free share of the agent's capacity on the channel (1 when idle, near 0 when nearly full). */
  load: z.number().nonnegative().default(40),
});
export type RoutingWeights = z.infer<typeof RoutingWeights>;

export const OverflowRule = z.object({
  /** Overflow once more than this many conversations wait on the channel. */
  threshold: z.number().int().nonnegative(),
  to: Channel,
});
export type OverflowRule = z.infer<typeof OverflowRule>;

export const RoutingConfig = z
  .object({
    overflow: z.partialRecord(Channel, OverflowRule).default({ chat: { threshold: 20, to: 'email' } }),
    /** Where a channel's conversations go while it is down. Followed in a chain if the backup is down too. */
    backup: z.partialRecord(Channel, Channel).default({
      phone: 'chat',
      chat: 'email',
      sms: 'email',
      messenger: 'email',
      instagram: 'email',
      x: 'email',
      in_app: 'chat',
      portal: 'email',
    }),
    /** A minimum skill level for an issue type; agents below it are not offered such conversations. */
    minSkill: z.partialRecord(IssueType, Level).default({}),
    /** A minimum seniority per customer tier (VIPs always need `senior`, whatever this says). */
    minSeniority: z.partialRecord(Tier, Seniority).default({}),
    stickyWindowMs: Millis.default(14 * 24 * 3_600_000),
    /** How many ranked offers a decision carries (the hub walks them on decline or timeout). */
    maxOffers: z.number().int().min(1).max(100).default(5),
    weights: RoutingWeights.prefault({}),
    suggest: SuggestConfig.prefault({}),
  })
  .superRefine((c, ctx) => {
    for (const [from, rule] of Object.entries(c.overflow)) {
      if (rule?.to === from) ctx.addIssue({ code: 'custom', path: ['overflow', from, 'to'], message: `${from} cannot overflow to itself` });
    }
    for (const [from, to] of Object.entries(c.backup)) {
      if (to === from) ctx.addIssue({ code: 'custom', path: ['backup', from], message: `${from} cannot be its own backup` });
    }
  });
export type RoutingConfig = z.infer<typeof RoutingConfig>;

export const DEFAULT_ROUTING_CONFIG: RoutingConfig = RoutingConfig.parse({});

/** What the hub knows at the moment of the decision, besides the agents. */
export interface RoutingContext {
  /** Conversations waiting per channel (the input to overflow). Missing: 0. */
  queueDepth: Partial<Record<Channel, number>>;
  /** Channels that are down now. */
  outages: readonly Channel[] | ReadonlySet<Channel>;
  config: RoutingConfig;
}

export const Offer = z.object({
  agentId: Id,
  score: z.number(),
  /** Why this agent, readable: "VIP → senior agent", "language: de", "sticky: previous agent", "load 1/3". */
  reasons: z.array(z.string()),
});
export type Offer = z.infer<typeof Offer>;

export const ChannelSuggestion = z.object({
  channel: Channel,
  /** Short, for logs and the agent: "complex: 6 back-and-forths". */
  reason: z.string(),
  /** The sentence put to the customer: "This is complex — would you prefer a phone call?" */
  prompt: z.string(),
});
export type ChannelSuggestion = z.infer<typeof ChannelSuggestion>;

/** Why agents were left out, counted by the first rule each one failed. */
const Count = z.number().int().nonnegative();
export const Exclusions = z.object({
  /** Does not work the channel (no proficiency or no capacity on it). */
  noChannel: Count,
  notAvailable: Count,
  atCapacity: Count,
  language: Count,
  /** Not senior, for a VIP. */
  vip: Count,
  /** Below the tier's minimum seniority. */
  tier: Count,
  /** Below the issue type's minimum skill. */
  skill: Count,
});
export type Exclusions = z.infer<typeof Exclusions>;

const decisionBase = {
  conversationId: Id,
  /** The channel the conversation is routed (or waits) on, after outage reroute and overflow. */
  channel: Channel,
  /** Conversation-level reasons: "outage: phone → chat", "overflow: chat queue over 20". */
  reasons: z.array(z.string()),
  /** Agents left out on the channel decided, by rule. */
  excluded: Exclusions,
  suggestion: ChannelSuggestion.nullable(),
};

export const RoutingDecision = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('offer'), ...decisionBase, offers: z.array(Offer).min(1) }),
  z.object({ outcome: z.literal('queued'), ...decisionBase, offers: z.array(Offer).max(0) }),
]);
export type RoutingDecision = z.infer<typeof RoutingDecision>;
