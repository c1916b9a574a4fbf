// The events only the desktop shell raises (a link to open, the update banner, an error in main),
// with their schemas. They travel on the contract's event channel under these names; the page's
// API delivers them once the contract lists the same names and schemas.
import { z } from 'zod';
import { updateBanner, type UpdateState } from '../update/updateStateMachine';

const Id = z.number().int().positive();

export const DeepLinkPayload = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('case'), caseId: Id }),
  z.object({ kind: z.literal('customer'), customerId: Id }),
  z.object({ kind: z.literal('search'), query: z.string().min(1).max(500) }),
  z.object({ kind: z.literal('call'), number: z.string().regex(/^\+[1-9][0-9]{1,14}$/), extension: z.string().nullable(), display: z.string() }),
  z.object({ kind: z.literal('email'), to: z.array(z.email()).min(1), cc: z.array(z.email()), bcc: z.array(z.email()), subject: z.string(), body: z.string() }),
]);

export const shellEvents = {
  /** The OS opened a link with the app (omni://, tel:, mailto:), or the agent clicked a notice. */
  deepLinkOpened: z.object({ link: DeepLinkPayload, source: z.enum(['link', 'notification']) }),
  /** An offer notice's Accept was clicked: the workspace accepts the offer of this case. */
  offerAcceptRequested: z.object({ caseId: Id }),
  /** The update flow moved; `banner` is what the in-app banner shows (null: none). */
  updateStateChanged: z.object({
    phase: z.enum(['disabled', 'idle', 'checking', 'available', 'downloading', 'downloaded', 'installing', 'error']),
    version: z.string().nullable(),
    percent: z.number().min(0).max(100).nullable(),
    banner: z.object({ tone: z.enum(['info', 'warning']), text: z.string(), action: z.enum(['restart']).nullable() }).nullable(),
  }),
  /** Something failed in main outside any call; the agent sees the sentence, the log has the stack. */
  mainProcessError: z.object({ code: z.enum(['main/uncaught-exception', 'main/unhandled-rejection']), message: z.string(), at: z.number().int() }),
} as const;

export type ShellEventName = keyof typeof shellEvents;
export type ShellEventPayload<K extends ShellEventName> = z.infer<(typeof shellEvents)[K]>;

/** Validates before sending: a bad payload is a bug in the shell, so it throws. */
export function checkShellEvent<K extends ShellEventName>(name: K, payload: ShellEventPayload<K>): ShellEventPayload<K> {
  return shellEvents[name].parse(payload) as ShellEventPayload<K>;
}

/** The updateStateChanged payload of an update state. */
export function updateEventPayload(state: UpdateState): ShellEventPayload<'updateStateChanged'> {
  const { flow } = state;
  return {
    phase: flow.phase,
    version: 'version' in flow ? flow.version : null,
    percent: flow.phase === 'downloading' ? flow.percent : flow.phase === 'downloaded' || flow.phase === 'installing' ? 100 : null,
    banner: updateBanner(state),
  };
}
