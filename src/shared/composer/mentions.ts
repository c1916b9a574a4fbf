// @mentions in an internal note: which "@word" the caret is in (to list matching agents), what
// picking one does to the text, and which picked agents are still named when the note is saved.

export interface MentionQuery {
  /** Index of the "@". */
  start: number;
  /** What follows the "@" up to the caret ("ma" in "@ma"). */
  query: string;
}

export interface MentionTarget {
  agentId: number;
  name: string;
}

/** The mention being typed at the caret: "@" at the start or after a space, then no space yet. */
export function mentionAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const m = /(^|\s)@([\p{L}\p{N}._-]{0,40})$/u.exec(before);
  if (!m) return null;
  return { start: before.length - m[2]!.length - 1, query: m[2]! };
}

/** Agents whose name (or a word of it) starts with the query, at most `limit`. */
export function matchAgents<T extends { name: string }>(agents: readonly T[], query: string, limit = 8): T[] {
  const q = query.toLocaleLowerCase();
  return agents.filter((a) => q === '' || a.name.toLocaleLowerCase().split(/\s+/).some((w) => w.startsWith(q)) || a.name.toLocaleLowerCase().startsWith(q)).slice(0, limit);
}

/** Replaces the "@query" with "@Full Name " and puts the caret after it. */
export function applyMention(text: string, at: MentionQuery, name: string): { text: string; caret: number } {
  const end = at.start + 1 + at.query.length;
  const inserted = `@${name} `;
  return { text: text.slice(0, at.start) + inserted + text.slice(end).replace(/^ /, ''), caret: at.start + inserted.length };
}

/** The picked agents still named "@Name" in the final text, once each. */
export function mentionsIn(text: string, picked: readonly MentionTarget[]): MentionTarget[] {
  const seen = new Set<number>();
  return picked.filter((p) => {
    if (seen.has(p.agentId) || !text.includes(`@${p.name}`)) return false;
    seen.add(p.agentId);
    return true;
  });
}
