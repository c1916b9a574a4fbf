// What the screen pop says about a caller, from rows the store read: the brief of the last email
// that pre-fills the call notes, the order of the last contacts (the renderer says "Customer
// previously contacted via chat at 10:30 AM" in the agent's language). Pure: the caller formats times.
import type { Channel } from '../domain';

/** At most this many lines of the email body go into the brief (the agent reads it in seconds). */
export const BRIEF_LINES = 3;
export const BRIEF_MAX_CHARS = 400;

/**
 * "Last email: <subject>" and its first lines: no greeting, quoted history, signature or blank
 * lines, each line squeezed to single spaces; cut at BRIEF_MAX_CHARS on a word. '' without an email.
 */
export function callBrief(email: { subject: string | null; body: string } | null): string {
  if (!email) return '';
  const lines: string[] = [];
  for (const raw of email.body.split(/\r?\n/)) {
    const line = raw.replace(/\s+/g, ' ').trim();
    if (line === '' || line.startsWith('>')) continue;
    // The quoted history and the signature end what the customer wrote.
    if (line === '--' || line === '-- ' || /^On .+ wrote:$/.test(line) || /^-{2,}\s*Original Message/i.test(line)) break;
    if (lines.length === 0 && /^(hi|hello|hey|dear|good (morning|afternoon|evening))\b[^.!?]{0,40}[,!]?$/i.test(line)) continue;
    lines.push(line);
    if (lines.length === BRIEF_LINES) break;
  }
  const subject = email.subject?.trim() || '(no subject)';
  let text = `Last email: ${subject}${lines.length ? `\n${lines.join('\n')}` : ''}`;
  if (text.length > BRIEF_MAX_CHARS) {
    const cut = text.slice(0, BRIEF_MAX_CHARS - 1);
    const space = cut.lastIndexOf(' ');
    text = `${space > BRIEF_MAX_CHARS / 2 ? cut.slice(0, space) : cut}…`;
  }
  return text;
}

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

