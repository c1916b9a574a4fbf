// The palette slice: which of the keyboard layer's dialogs is open (the command palette, the
// cheat sheet, settings opened from the palette), and the fuzzy ranking of the palette's commands.
// The ranking is pure: a query and a list in, the matching commands grouped and ordered out.
import { create } from 'zustand';
import type { ShortcutId } from '../../../shared/shortcuts';

export interface PaletteState {
  paletteOpen: boolean;
  cheatSheetOpen: boolean;
  settingsOpen: boolean;
  openPalette(): void;
  closePalette(): void;
  openCheatSheet(): void;
  closeCheatSheet(): void;
  openSettings(): void;
  closeSettings(): void;
}

export const usePaletteStore = create<PaletteState>()((set) => ({
  paletteOpen: false,
  cheatSheetOpen: false,
  settingsOpen: false,
  // One dialog at a time: the palette's commands open the others after it closes.
  openPalette: () => set({ paletteOpen: true, cheatSheetOpen: false }),
  closePalette: () => set({ paletteOpen: false }),
  openCheatSheet: () => set({ cheatSheetOpen: true, paletteOpen: false }),
  closeCheatSheet: () => set({ cheatSheetOpen: false }),
  openSettings: () => set({ settingsOpen: true, paletteOpen: false }),
  closeSettings: () => set({ settingsOpen: false }),
}));

export const PALETTE_GROUPS = ['Conversation', 'Navigation', 'Customers and cases', 'Found in messages', 'Status', 'Settings and help'] as const;
export type PaletteGroup = (typeof PALETTE_GROUPS)[number];

export interface PaletteCommand {
  id: string;
  group: PaletteGroup;
  label: string;
  /** More words the query may match ("answer", "write" for Reply). */
  keywords?: string;
  /** A second line or a count, shown and not matched. */
  detail?: string;
  shortcut?: ShortcutId;
  /** Why the command cannot run now; it is listed, disabled, with this sentence. */
  disabledReason?: string;
  /** Already ranked elsewhere (full-text search hits): listed whatever the fuzzy match says. */
  preRanked?: boolean;
}

const isWordStart = (text: string, i: number) => i === 0 || /[\s\-_/.:#(]/.test(text[i - 1]!);

/** How well one query word matches the text: higher is better, null when it does not match. */
function wordScore(word: string, text: string): number | null {
  const at = text.indexOf(word);
  if (at !== -1) {
    // A substring: best at the start, then at a word's start, then anywhere.
    return 100 + word.length * 4 + (at === 0 ? 40 : 0) + (isWordStart(text, at) ? 30 : 0) - Math.min(at, 20);
  }
  // A subsequence ("rsv" → "resolve"): points per letter, more when letters run together or start words.
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const ch of word) {
    let i = text.indexOf(ch, from);
    // Prefer a word start for this letter when one follows.
    for (let j = i; j !== -1; j = text.indexOf(ch, j + 1)) {
      if (isWordStart(text, j)) {
        if (j !== previous + 1) i = j;
        break;
      }
    }
    if (i === -1) return null;
    score += 10 + (i === previous + 1 ? 12 : 0) + (isWordStart(text, i) ? 10 : 0) - Math.min(i - from, 10);
    previous = i;
    from = i + 1;
  }
  return score;
}

/** Every word of the query appears in the text as typed (case aside): for names and case numbers, where letters scattered over a long line would be noise. */
export function containsWords(query: string, text: string): boolean {
  const haystack = text.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => haystack.includes(w));
}

/** Fuzzy score of a query against a text (every word of the query must match); null: no match. */
export function fuzzyScore(query: string, text: string): number | null {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return 0;
  const haystack = text.toLowerCase();
  let total = 0;
  for (const word of words) {
    const s = wordScore(word, haystack);
    if (s === null) return null;
    total += s;
  }
  // Equal matches keep the list's own order (All, Mine, … rather than the shortest label first).
  return total;
}

export interface RankedGroup<T extends PaletteCommand> {
  group: PaletteGroup;
  items: T[];
}

/**
 * The commands matching the query, grouped. Without a query: every command, groups in their
 * fixed order. With one: best match first within a group, groups ordered by their best match,
 * pre-ranked commands (search hits) after the matches of their group.
 */
export function rankCommands<T extends PaletteCommand>(commands: readonly T[], query: string): RankedGroup<T>[] {
  const q = query.trim();
  const scored: Array<{ command: T; score: number; index: number }> = [];
  commands.forEach((command, index) => {
    if (command.preRanked) {
      scored.push({ command, score: -Infinity, index });
      return;
    }
    if (!q) {
      scored.push({ command, score: 0, index });
      return;
    }
    const label = fuzzyScore(q, command.label);
    const both = command.keywords ? fuzzyScore(q, `${command.label} ${command.keywords}`) : null;
    // A label match beats the same match found through keywords.
    const score = label ?? (both === null ? null : both - 50);
    if (score !== null) scored.push({ command, score, index });
  });
  const groups = new Map<PaletteGroup, { best: number; items: Array<{ command: T; score: number; index: number }> }>();
  for (const entry of scored) {
    const g = groups.get(entry.command.group) ?? { best: -Infinity, items: [] };
    g.items.push(entry);
    g.best = Math.max(g.best, entry.score);
    groups.set(entry.command.group, g);
  }
  const fixed = (g: PaletteGroup) => PALETTE_GROUPS.indexOf(g);
  const best = (g: PaletteGroup) => groups.get(g)!.best;
  const order = (a: PaletteGroup, b: PaletteGroup) => {
    if (!q || best(a) === best(b)) return fixed(a) - fixed(b);
    // Groups holding only pre-ranked commands (best -Infinity) come after every matched group.
    return best(a) > best(b) ? -1 : 1;
  };
  return [...groups.keys()].sort(order).map((group) => ({
    group,
    items: groups
      .get(group)!
      .items.sort((a, b) => (a.score === b.score ? a.index - b.index : b.score - a.score))
      .map((e) => e.command),
  }));
}
