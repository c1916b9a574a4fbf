// The composer's part of the renderer<->main contract: drafts kept in the store as the agent types,
// macros (canned responses with variables and actions), internal notes with @mentions, and the
// reply with its email fields. Merged into contract.ts's `requests` and `events` with a spread.
import { z } from 'zod';
import { Channel, Id, Millis, Priority, TimelineEvent } from './domain';
import { ATTACHMENT_CHUNK_BYTES, MAX_ATTACHMENT_BYTES } from './composer/attachments';

/** Same cap as MAX_REPLY_CHARS in contract.ts (not imported: contract.ts imports this file). */
const MAX_BODY = 100_000;

export const ComposerMode = z.enum(['reply', 'note']);
export type ComposerMode = z.infer<typeof ComposerMode>;

export const Mention = z.object({ agentId: Id, name: z.string().min(1).max(200) });
export type Mention = z.infer<typeof Mention>;

/** A file staged for a reply: its bytes are stored under their SHA-256 in main; the renderer only holds this. */
export const ComposerAttachment = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'Not a stored attachment.'),
  name: z.string().trim().min(1).max(255),
  /** As read from the file's bytes (never the browser's claim); application/octet-stream when unknown. */
  contentType: z.string().min(1).max(255),
  size: z.number().int().positive().max(MAX_ATTACHMENT_BYTES),
});
export type ComposerAttachment = z.infer<typeof ComposerAttachment>;

/** Most files one draft or reply holds (the channel's own limit may be lower). */
const MAX_FILES = 10;
/** A chunk of ATTACHMENT_CHUNK_BYTES in base64, with room for padding. */
const MAX_CHUNK_BASE64 = Math.ceil(ATTACHMENT_CHUNK_BYTES / 3) * 4 + 4;
const UploadId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

export const DraftView = z.object({
  caseId: Id,
  channel: Channel,
  mode: ComposerMode,
  body: z.string(),
  subject: z.string().nullable(),
  cc: z.string(),
  includeQuoted: z.boolean(),
  mentions: z.array(Mention),
  /** Macros inserted into this draft whose actions run when it is sent. */
  pendingMacroIds: z.array(Id),
  attachments: z.array(ComposerAttachment),
  updatedAt: Millis,
});
export type DraftView = z.infer<typeof DraftView>;

export const MacroAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('setPriority'), priority: Priority }).strict(),
  z.object({ type: z.literal('addTag'), tag: z.string().trim().min(1).max(60) }).strict(),
  z.object({ type: z.literal('assignToMe') }).strict(),
  z.object({ type: z.literal('resolve') }).strict(),
]);
export type MacroAction = z.infer<typeof MacroAction>;

/** When a macro's actions run: as soon as it is inserted, or when the reply it filled is sent. */
export const MacroApplyOn = z.enum(['insert', 'send']);
export type MacroApplyOn = z.infer<typeof MacroApplyOn>;

export const MacroView = z.object({
  id: Id,
  title: z.string(),
  body: z.string(),
  scope: z.enum(['shared', 'personal']),
  ownerAgentId: Id.nullable(),
  /** Alt+<digit> inserts it; null: no hotkey. */
  hotkey: z.number().int().min(1).max(9).nullable(),
  actions: z.array(MacroAction),
  applyOn: MacroApplyOn,
});
export type MacroView = z.infer<typeof MacroView>;

export const MacroInput = z
  .object({
    id: Id.optional(),
    title: z.string().trim().min(1, 'Give the macro a title.').max(120, 'At most 120 characters.'),
    body: z.string().max(MAX_BODY),
    scope: z.enum(['shared', 'personal']).default('personal'),
    hotkey: z.number().int().min(1).max(9).nullable().default(null),
    actions: z.array(MacroAction).max(10).default([]),
    applyOn: MacroApplyOn.default('send'),
  })
  .strict();
export type MacroInput = z.input<typeof MacroInput>;

/** Human words for an action: "Set priority to High", "Add tag refund", "Assign to me", "Resolve". */
export function describeMacroAction(action: MacroAction): string {
  switch (action.type) {
    case 'setPriority':
      return `Set priority to ${action.priority[0]!.toUpperCase()}${action.priority.slice(1)}`;
    case 'addTag':
      return `Add tag ${action.tag}`;
    case 'assignToMe':
      return 'Assign to me';
    case 'resolve':
      return 'Resolve';
  }
}

export const composerRequests = {
  /** The saved drafts of a case, newest first (one per channel; the first is the one to show). */
  draft: {
    input: z.object({ caseId: Id }).strict(),
    output: z.object({ drafts: z.array(DraftView) }),
  },
  /** Saves what the agent typed (debounced by the renderer); an empty draft is deleted. */
  saveDraft: {
    input: z
      .object({
        caseId: Id,
        channel: Channel,
        mode: ComposerMode.default('reply'),
        body: z.string().max(MAX_BODY),
        subject: z.string().max(998).nullable().default(null),
        cc: z.string().max(2000).default(''),
        includeQuoted: z.boolean().default(false),
        mentions: z.array(Mention).max(50).default([]),
        pendingMacroIds: z.array(Id).max(20).default([]),
        attachments: z.array(ComposerAttachment).max(MAX_FILES).default([]),
      })
      .strict(),
    output: z.object({ saved: z.boolean(), updatedAt: Millis }),
  },
  /**
   * Staging a file for a reply, in chunks (the renderer cannot read the disk, and one transport
   * frame is 1 MiB): start with its name and size, send the bytes in order, finish. Finishing
   * reads the type from the bytes, refuses dangerous files with a sentence, and stores the file
   * under its SHA-256 (atomic, durable) so a restart or a retry of the send never loses it.
   */
  stageAttachmentStart: {
    input: z
      .object({
        name: z.string().trim().min(1, 'The file has no name.').max(255, 'The file name is longer than 255 characters.'),
        size: z.number().int().positive('The file is empty; there is nothing to attach.').max(MAX_ATTACHMENT_BYTES, `A file can be at most ${MAX_ATTACHMENT_BYTES / (1024 * 1024)} MB.`),
      })
      .strict(),
    output: z.object({ uploadId: UploadId, chunkBytes: z.number().int().positive() }),
  },
  stageAttachmentChunk: {
    input: z
      .object({
        uploadId: UploadId,
        /** Where this chunk starts; chunks come in order, a repeated one (same offset) is ignored. */
        offset: z.number().int().nonnegative(),
        data: z.base64().max(MAX_CHUNK_BASE64),
      })
      .strict(),
    output: z.object({ received: z.number().int().nonnegative() }),
  },
  stageAttachmentFinish: {
    input: z.object({ uploadId: UploadId }).strict(),
    output: ComposerAttachment,
  },
  /** Shared macros and this agent's own, by hotkey then title. */
  macros: {
    input: z.object({}).strict(),
    output: z.object({ macros: z.array(MacroView) }),
  },
  saveMacro: {
    input: MacroInput,
    output: MacroView,
  },
  deleteMacro: {
    input: z.object({ id: Id }).strict(),
    output: z.object({ deleted: z.boolean() }),
  },
  /**
   * A macro rendered for a case (unknown variables left visible and listed). Actions set to run on
   * insert run now; the others are returned to run when the reply is sent.
   */
  applyMacro: {
    input: z.object({ caseId: Id, macroId: Id }).strict(),
    output: z.object({
      text: z.string(),
      unknown: z.array(z.string()),
      missing: z.array(z.string()),
      applied: z.array(z.string()),
      pendingOnSend: z.boolean(),
    }),
  },
  /** Agents who can be @mentioned in a note. */
  mentionableAgents: {
    input: z.object({}).strict(),
    output: z.object({ agents: z.array(z.object({ id: Id, name: z.string() })) }),
  },
  /**
   * Sends a reply from the composer: the reply (email: its subject and cc kept for the mail), the
   * pending macros' actions, and the case's drafts cleared, in one transaction.
   */
  sendComposed: {
    input: z
      .object({
        caseId: Id,
        channel: Channel,
        body: z.string().trim().min(1, 'A reply cannot be empty.').max(MAX_BODY),
        idempotencyKey: z.string().min(8).max(100),
        subject: z.string().trim().max(998).optional(),
        cc: z.array(z.email()).max(20).optional(),
        macroIds: z.array(Id).max(20).default([]),
        /** Staged files (stageAttachment*); checked again against the store and the channel's limits. */
        attachments: z.array(ComposerAttachment.pick({ sha256: true, name: true })).max(MAX_FILES).default([]),
      })
      .strict(),
    output: TimelineEvent,
  },
  /** An internal note: on the timeline in yellow, never sent to the customer; mentioned agents are told. */
  addNote: {
    input: z
      .object({
        caseId: Id,
        body: z.string().trim().min(1, 'A note cannot be empty.').max(MAX_BODY),
        mentions: z.array(Mention).max(50).default([]),
        idempotencyKey: z.string().min(8).max(100),
      })
      .strict(),
    output: TimelineEvent,
  },
} satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export const composerEvents = {
  /** This desktop's agent was @mentioned in an internal note. */
  mentioned: z.object({ eventId: Id, caseId: Id, by: z.string() }),
} satisfies Record<string, z.ZodType>;

export type ComposerRequests = typeof composerRequests;
export type ComposerRequestName = keyof ComposerRequests;
export type ComposerParsedInput<K extends ComposerRequestName> = z.output<ComposerRequests[K]['input']>;
export type ComposerRequestOutput<K extends ComposerRequestName> = z.output<ComposerRequests[K]['output']>;
