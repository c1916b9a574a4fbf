// The hub's part of the renderer<->main contract: offers, presence, transfers and escalations, who
// else is viewing or typing, and the link to the hub. Same shape as contract.ts's `requests` and
// `events`, merged into them with a spread; the renderer names cases, main maps them to hub ids.
import { z } from 'zod';
import { Channel, Id, IssueType, Millis, Priority } from './domain';
import { Presence, PRESENCES } from './routing/types';
import { SentenceKey } from './sentenceKey';
import { StoredSentence } from './storedSentence';

export { Presence, PRESENCES };

export const HubLinkState = z.enum(['online', 'connecting', 'offline']);
export type HubLinkState = z.infer<typeof HubLinkState>;

export const HubStatusView = z.object({
  state: HubLinkState,
  /** The sentence to show: "Connected to the hub at … as Sam", "… refused the connection; retrying in 4 s". */
  detail: z.string(),
  /** detail's serverErrors key and params, when it has one (shown in the agent's language). */
  detailText: StoredSentence.nullable().optional(),
  /** Where the hub is; null when the desktop runs without one. */
  hubUrl: z.string().nullable(),
  embedded: z.boolean(),
  agent: z.object({ id: Id, displayName: z.string(), role: z.enum(['agent', 'supervisor', 'admin']) }).nullable(),
  presence: Presence.nullable(),
  /** The embedded hub's chat-widget demo page (to try a chat from the customer's side). */
  widgetDemoUrl: z.string().nullable(),
});
export type HubStatusView = z.infer<typeof HubStatusView>;

/** A conversation offered to this agent: "New chat from Dana: 'Where is my order?'". */
export const OfferView = z.object({
  offerId: Id,
  conversationId: Id,
  channel: Channel,
  customerName: z.string(),
  subject: z.string(),
  priority: Priority,
  vip: z.boolean(),
  expiresAt: Millis,
  receivedAt: Millis,
  /** Why routing picked this agent ("speaks German", "billing skill 4"). */
  reasons: z.array(z.string()),
});
export type OfferView = z.infer<typeof OfferView>;

export const CollisionViewer = z.object({ agentId: Id, displayName: z.string(), typing: z.boolean(), drafting: z.boolean() });
export type CollisionViewer = z.infer<typeof CollisionViewer>;

/** Which hub the desktop uses: the one built in (started in this process), a team hub, or none (--no-hub). */
export const HubMode = z.enum(['embedded', 'team', 'none']);
export type HubMode = z.infer<typeof HubMode>;

/** What the "Team hub" settings show: the choice, where it comes from, and the live link. Never the password. */
export const HubSettingsView = z.object({
  mode: HubMode,
  /** The team hub's address (null with the built-in hub or none). */
  url: z.string().nullable(),
  /** The agent's user name on the team hub. */
  username: z.string().nullable(),
  /** A password for url + username is in the secret store (the desktop signs in without asking). */
  passwordStored: z.boolean(),
  /** 'workspace': chosen in these settings (wins over the configuration); 'config': the configuration file, environment or flags. */
  source: z.enum(['workspace', 'config']),
  /** False when this desktop cannot change its hub (started without the switcher, as in some tests). */
  switchable: z.boolean(),
  status: HubStatusView,
});
export type HubSettingsView = z.infer<typeof HubSettingsView>;

/** A team hub's address as the sign-in form takes it: http(s) only, no user or password inside it. */
export const HubAddress = z
  .string()
  .trim()
  .min(1, "Enter the hub's address, like https://hub.example.com.")
  .max(2048, 'At most 2048 characters.')
  .pipe(z.url({ protocol: /^https?$/, error: 'Enter an address starting with http:// or https://, like https://hub.example.com.' }));

export const HubSignInInput = z
  .object({
    url: HubAddress,
    username: z.string().trim().min(1, 'Enter your user name on the hub.').max(64, 'At most 64 characters.'),
    /** Write-only: it goes to the secret store (OS keychain or the encrypted secrets file), never back out. */
    password: z.string().min(1, 'Enter your password.').max(1024, 'At most 1024 characters.'),
  })
  .strict();
export type HubSignInInput = z.input<typeof HubSignInInput>;

/** An entry of the bell: "Ann mentioned you on case #12", which opens the case. */
export const NotificationView = z.object({
  id: Id,
  kind: z.literal('mention'),
  caseId: Id,
  customerId: Id,
  subject: z.string(),
  by: z.string(),
  createdAt: Millis,
  read: z.boolean(),
});
export type NotificationView = z.infer<typeof NotificationView>;

/** A teammate as the transfer dialog and @mentions show them (the hub's agent directory). */
export const DirectoryAgent = z.object({
  agentId: Id,
  displayName: z.string(),
  role: z.enum(['agent', 'supervisor', 'admin']),
  presence: Presence,
  connected: z.boolean(),
  skills: z.partialRecord(IssueType, z.number()),
  channels: z.array(Channel),
  capacity: z.partialRecord(Channel, z.number().int().nonnegative()),
  load: z.partialRecord(Channel, z.number().int().nonnegative()),
  /** False when a transfer to them would be refused now, with the reason ("Bo Chen is offline"). */
  available: z.boolean(),
  unavailableReason: z.string().nullable(),
  /** The reason's serverErrors key and params, for the agent's language (absent from older hubs). */
  unavailableText: SentenceKey.nullable().optional(),
});
export type DirectoryAgent = z.infer<typeof DirectoryAgent>;

const TransferTarget = z.union([z.object({ agentId: Id }).strict(), z.object({ queue: Channel }).strict()]);

export const hubRequests = {
  hubStatus: {
    input: z.object({}).strict(),
    output: HubStatusView,
  },
  /** Available takes offers; Busy, Away and the rest stop them. */
  setPresence: {
    input: z.object({ presence: Presence }).strict(),
    output: z.object({ presence: Presence }),
  },
  /** Offers waiting for an answer, soonest to expire first. */
  hubOffers: {
    input: z.object({}).strict(),
    output: z.object({ offers: z.array(OfferView) }),
  },
  /** Takes the offered conversation: it becomes a local case with its history. */
  acceptOffer: {
    input: z.object({ offerId: Id }).strict(),
    output: z.object({ caseId: Id, customerId: Id }),
  },
  declineOffer: {
    input: z.object({ offerId: Id, reason: z.string().trim().max(500).optional() }).strict(),
    output: z.object({ declined: z.boolean() }),
  },
  /** Hands a hub conversation to another agent or back to a channel's queue, with a note for them. */
  transferCase: {
    input: z.object({ caseId: Id, to: TransferTarget, note: z.string().trim().max(5000).optional() }).strict(),
    output: z.object({ transferred: z.boolean() }),
  },
  /** The team on the hub: presence, skills, load; who could take a transfer on `channel` now (with the reason when not). */
  agentDirectory: {
    input: z.object({ channel: Channel.optional() }).strict(),
    output: z.object({ agents: z.array(DirectoryAgent), self: Id.nullable() }),
  },
  /** The bell: the latest notifications, newest first, and how many are unread. */
  notifications: {
    input: z.object({}).strict(),
    output: z.object({ items: z.array(NotificationView), unread: z.number().int().nonnegative() }),
  },
  markNotificationsRead: {
    input: z.object({ ids: z.array(Id).min(1).max(200) }).strict(),
    output: z.object({ unread: z.number().int().nonnegative() }),
  },
  /** Sends a hub conversation up a tier, with the reason. */
  escalateCase: {
    input: z.object({ caseId: Id, reason: z.string().trim().min(1, 'Say why the conversation is escalated.').max(5000) }).strict(),
    output: z.object({ escalatedTo: Id.nullable() }),
  },
  /** The case on screen (null: none); other agents see "Sam is viewing". Best effort: never an error offline. */
  setViewing: {
    input: z.object({ caseId: Id.nullable() }).strict(),
    output: z.object({ sent: z.boolean() }),
  },
  /** The agent is typing / has a draft in the reply box of a case. Best effort, like setViewing. */
  setTyping: {
    input: z.object({ caseId: Id, typing: z.boolean(), drafting: z.boolean() }).strict(),
    output: z.object({ sent: z.boolean() }),
  },
  /** Who else is on a case right now (the last update the hub sent). */
  caseCollision: {
    input: z.object({ caseId: Id }).strict(),
    output: z.object({ caseId: Id, viewers: z.array(CollisionViewer) }),
  },
  /** Which hub the desktop uses and how it is linked. */
  hubSettings: {
    input: z.object({}).strict(),
    output: HubSettingsView,
  },
  /**
   * Signs in to a team hub and moves the live connection there (no restart). A wrong password, an
   * unreachable address or something that is not a hub is an error with a sentence, and changes nothing.
   */
  signInToHub: {
    input: HubSignInInput,
    output: HubSettingsView,
  },
  /** Back to the hub built into the desktop (started if it is not running); the stored team password is forgotten. */
  useBuiltInHub: {
    input: z.object({}).strict(),
    output: HubSettingsView,
  },
} satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export const hubEvents = {
  offerReceived: z.object({ offer: OfferView }),
  offerWithdrawn: z.object({ offerId: Id, reason: z.string() }),
  presenceChanged: z.object({ presence: Presence }),
  /** Other agents on a local case (this agent left out). */
  collisionChanged: z.object({ caseId: Id, viewers: z.array(CollisionViewer) }),
  /** The customer of a local case is typing in the widget or the app right now. */
  customerTyping: z.object({ caseId: Id, typing: z.boolean() }),
  hubStatusChanged: HubStatusView,
  /** A notification arrived or was read: the bell reads the list again. */
  notificationsChanged: z.object({ unread: z.number().int().nonnegative(), latest: NotificationView.nullable() }),
} satisfies Record<string, z.ZodType>;

export type HubRequests = typeof hubRequests;
export type HubEvents = typeof hubEvents;
export type HubRequestName = keyof HubRequests;
export type HubEventName = keyof HubEvents;
export type HubRequestInput<K extends HubRequestName> = z.input<HubRequests[K]['input']>;
export type HubParsedInput<K extends HubRequestName> = z.output<HubRequests[K]['input']>;
export type HubRequestOutput<K extends HubRequestName> = z.output<HubRequests[K]['output']>;
export type HubEventPayload<K extends HubEventName> = z.output<HubEvents[K]>;

/** The hub calls of the renderer's API (a part of OmniApi once the contracts are merged). */
export type HubApi = {
  [K in HubRequestName]: (input: HubRequestInput<K>) => Promise<HubRequestOutput<K>>;
} & {
  on<K extends HubEventName>(name: K, listener: (payload: HubEventPayload<K>) => void): () => void;
};
