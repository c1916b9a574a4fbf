// The softphone's registration watchdog, as a decision: given what the Device reports and when it
// last confirmed its registration, what to do now. A Device can believe it is registered while
// Twilio has long forgotten it (a socket that died in a background window, a re-register lost in
// a reconnect): calls then ring nowhere. So a registration is re-confirmed when it gets old, a
// Device stuck "registering" is rebuilt, and one left unregistered registers again. Pure.

export type DeviceRegistration = 'unregistered' | 'registering' | 'registered' | 'destroyed';

export interface WatchdogInput {
  /** The agent wants to take calls (the softphone is on). */
  wanted: boolean;
  state: DeviceRegistration;
  /** When the Device entered `state`. */
  stateSince: number;
  /** When the signaling server last confirmed the registration (a `registered` event); 0: never. */
  confirmedAt: number;
  /** A call is up: nothing is torn down under it. */
  onCall: boolean;
  now: number;
}

export interface WatchdogTiming {
  /** "registering" longer than this: the Device is rebuilt. */
  stuckAfterMs: number;
  /** A registration older than this is confirmed again (unregister + register). */
  staleAfterMs: number;
  /** Unregistered longer than this (the SDK did not re-register itself): register. */
  graceMs?: number;
}

export type WatchdogAction = 'none' | 'register' | 'reconfirm' | 'rebuild';

export function watchdogAction(input: WatchdogInput, timing: WatchdogTiming): WatchdogAction {
  if (!input.wanted) return 'none';
  const inState = input.now - input.stateSince;
  switch (input.state) {
    case 'destroyed':
      return 'rebuild';
    case 'unregistered':
      return inState >= (timing.graceMs ?? 2_000) ? 'register' : 'none';
    case 'registering':
      return inState >= timing.stuckAfterMs ? 'rebuild' : 'none';
    case 'registered':
      if (input.onCall) return 'none';
      return input.now - input.confirmedAt >= timing.staleAfterMs ? 'reconfirm' : 'none';
  }
}
