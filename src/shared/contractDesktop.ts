// The desktop shell's part of the renderer<->main contract: links to open (omni:, tel:, mailto:), the
// update banner, errors in main, offer notices, and the remembered zoom and pane widths. Merged into
// contract.ts's `requests` and `events`. Electron's shell answers through a hook; the headless mode
// answers what makes sense there (links from `?open=`, updates "not available in the headless mode").
import { z } from 'zod';
import { Id } from './domain';
import { SentenceKey } from './sentenceKey';

export const DeepLinkPayload = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('case'), caseId: Id }),
  z.object({ kind: z.literal('customer'), customerId: Id }),
  z.object({ kind: z.literal('search'), query: z.string().min(1).max(500) }),
  z.object({ kind: z.literal('call'), number: z.string().regex(/^\+[1-9][0-9]{1,14}$/), extension: z.string().nullable(), display: z.string() }),
  z.object({ kind: z.literal('email'), to: z.array(z.email()).min(1), cc: z.array(z.email()), bcc: z.array(z.email()), subject: z.string(), body: z.string() }),
]);
export type DeepLinkPayload = z.infer<typeof DeepLinkPayload>;

export const UPDATE_PHASES = ['disabled', 'idle', 'checking', 'available', 'downloading', 'downloaded', 'installing', 'error'] as const;

/** The banner's sentence in English and, when it has one, its catalog key (shown in the agent's language). */
export const UpdateBannerView = z.object({ tone: z.enum(['info', 'warning']), text: z.string(), textKey: SentenceKey.nullable().optional(), action: z.enum(['restart']).nullable() });
export type UpdateBannerView = z.infer<typeof UpdateBannerView>;

/** The update flow as the page sees it; `banner` is what the in-app banner shows (null: none). */
export const UpdateStateView = z.object({
  phase: z.enum(UPDATE_PHASES),
  version: z.string().nullable(),
  percent: z.number().min(0).max(100).nullable(),
  banner: UpdateBannerView.nullable(),
});
export type UpdateStateView = z.infer<typeof UpdateStateView>;

/** The answer of the update requests: the state, and why updates are off when they are. */
const UpdateStateAnswer = UpdateStateView.extend({ detail: z.string().nullable() });
export type UpdateStateAnswer = z.infer<typeof UpdateStateAnswer>;

export const ZOOM_MIN = 0.5;
export const ZOOM_MAX = 2;
export const PANE_WIDTH_MIN = 200;
export const PANE_WIDTH_MAX = 720;

export const DesktopLayout = z.object({
  zoom: z.number().min(ZOOM_MIN).max(ZOOM_MAX).default(1),
  /** Pane widths in CSS pixels; null: the workspace's default. */
  queueWidth: z.number().int().min(PANE_WIDTH_MIN).max(PANE_WIDTH_MAX).nullable().default(null),
  profileWidth: z.number().int().min(PANE_WIDTH_MIN).max(PANE_WIDTH_MAX).nullable().default(null),
});
export type DesktopLayout = z.infer<typeof DesktopLayout>;

export const desktopRequests = {
  /** Where the update flow is (headless: off, with the reason). */
  updateState: { input: z.object({}).strict(), output: UpdateStateAnswer },
  /** "Restart to update": installs now, or when the current call ends. */
  restartToUpdate: { input: z.object({}).strict(), output: UpdateStateAnswer },
  /** The softphone says a call started or ended: no restart during a call. */
  setCallActive: { input: z.object({ active: z.boolean() }).strict(), output: UpdateStateAnswer },
  /** Which conversation the page shows: notices for it are not shown while the window has focus. */
  /** The softphone rings (or stopped): the shell holds the global answer shortcut meanwhile and says which (null: none here). */
  setCallRinging: { input: z.object({ ringing: z.boolean(), from: z.string().trim().max(200).nullable() }).strict(), output: z.object({ shortcut: z.string().nullable() }) },
  setViewingCase: { input: z.object({ caseId: Id.nullable() }).strict(), output: z.object({ caseId: Id.nullable() }) },
  /** A link the page was opened with (`?open=omni://case/123`) or clicked: parsed by main, with the case's customer. */
  openLink: {
    input: z.object({ url: z.string().trim().min(1).max(4000) }).strict(),
    output: z.object({ link: DeepLinkPayload, customerId: Id.nullable() }),
  },
  /** Whose conversation a link opens: the case's customer, the customer, or the one with the mailto: address (null: none here). */
  resolveLink: { input: z.object({ link: DeepLinkPayload }).strict(), output: z.object({ customerId: Id.nullable() }) },
  /** The workspace's language, for the desktop app's next start (Chromium's --lang: native date pickers); false: not used here (a browser). */
  rememberLanguage: { input: z.object({ language: z.string().regex(/^[a-z]{2,3}$/) }).strict(), output: z.object({ remembered: z.boolean() }) },
  /** The zoom and pane widths remembered on this desktop. */
  desktopLayout: { input: z.object({}).strict(), output: DesktopLayout },
  /** Changes only what it names (no defaults: a missing field keeps its remembered value). */
  saveDesktopLayout: {
    input: z
      .object({
        zoom: z.number().min(ZOOM_MIN).max(ZOOM_MAX).optional(),
        queueWidth: z.number().int().min(PANE_WIDTH_MIN).max(PANE_WIDTH_MAX).nullable().optional(),
        profileWidth: z.number().int().min(PANE_WIDTH_MIN).max(PANE_WIDTH_MAX).nullable().optional(),
      })
      .strict(),
    output: DesktopLayout,
  },
} satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export const desktopEvents = {
  /** The OS opened a link with the app (omni://, tel:, mailto:), or the agent clicked a notice. */
  deepLinkOpened: z.object({ link: DeepLinkPayload, source: z.enum(['link', 'notification']) }),
  /** An offer notice's Accept was clicked: the workspace accepts the offer (by its id, else the one of this case). */
  offerAcceptRequested: z.object({ caseId: Id.nullable(), offerId: Id.optional() }),
  /** The agent pressed the global answer shortcut while a call rang: the softphone answers it. */
  callAnswerRequested: z.object({ source: z.enum(['shortcut']) }),
  /** The update flow moved. */
  updateStateChanged: UpdateStateView,
  /** Something failed in main outside any call; the agent sees the sentence, the log has the stack. */
  mainProcessError: z.object({ code: z.enum(['main/uncaught-exception', 'main/unhandled-rejection']), message: z.string(), at: z.number().int() }),
} satisfies Record<string, z.ZodType>;

export type DesktopRequests = typeof desktopRequests;
export type DesktopRequestName = keyof DesktopRequests;
export type DesktopParsedInput<K extends DesktopRequestName> = z.output<DesktopRequests[K]['input']>;
export type DesktopRequestOutput<K extends DesktopRequestName> = z.output<DesktopRequests[K]['output']>;
