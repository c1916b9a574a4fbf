// One shared clock for wait times and SLA badges, ticking every 30 s, so every row moves together
// and no row runs its own timer.
import { create } from 'zustand';

export const CLOCK_TICK_MS = 30_000;

export interface ClockState {
  now: number;
  tick(now?: number): void;
}

export const useClockStore = create<ClockState>()((set) => ({
  now: Date.now(),
  tick: (now = Date.now()) => set({ now }),
}));

export const selectNow = (s: ClockState) => s.now;

/** Starts the tick; returns the stop. */
export function startClock(intervalMs = CLOCK_TICK_MS): () => void {
  useClockStore.getState().tick();
  const timer = setInterval(() => useClockStore.getState().tick(), intervalMs);
  return () => clearInterval(timer);
}
