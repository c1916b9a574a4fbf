// The events only the desktop shell raises (a link to open, the update banner, an error in main).
// They travel on the contract's event channel; their schemas are the desktop contract's.
import type { z } from 'zod';
import { desktopEvents } from '../../shared/contractDesktop';
import { updateBanner, type UpdateState } from '../update/updateStateMachine';

export { DeepLinkPayload } from '../../shared/contractDesktop';

/** The shell's events are the desktop contract's (src/shared/contractDesktop.ts). */
export const shellEvents = desktopEvents;

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
