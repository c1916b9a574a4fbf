// What the screen pop says about a caller, from rows the store read: previews and the order of the
// last contacts (the renderer says "Customer previously contacted via chat at 10:30 AM" in the agent's
// language). The call notes' brief is the handoff rules' (shared/cases/handoff.ts). Pure: the caller formats times.
import type { Channel } from '../domain';

/** A message preview on one line, at most `max` characters. */
export function previewOf(body: string, max = 140): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export interface ContactRow {
  eventId: number;
  channel: Channel;
  at: number;
}

/** Newest first; on the same millisecond the later event first. */
export function newestFirst<T extends ContactRow>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => b.at - a.at || b.eventId - a.eventId);
}

