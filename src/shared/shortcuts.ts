// The one list of keyboard shortcuts: the workspace's key handler matches against it, the cheat
// sheet lists it and the buttons' tooltips and aria-keyshortcuts are written from it. Pure.

/** "mod" is Ctrl, or Cmd on a Mac. */
export interface KeyCombo {
  key: string;
  mod?: boolean;
}

export type ShortcutScope =
  /** Anywhere outside a text field (the workspace handler). */
  | 'workspace'
  /** Anywhere, even while typing (the workspace handler). */
  | 'everywhere'
  /** Handled by the focused widget itself (listed here so the cheat sheet and tooltips agree). */
  | 'widget';

export interface Shortcut {
  combos: readonly KeyCombo[];
  description: string;
  group: 'General' | 'Queue' | 'Conversation';
  scope: ShortcutScope;
  /** Where a widget shortcut works, for the cheat sheet: "in the reply box". */
  where?: string;
}

export const SHORTCUTS = {
  palette: { combos: [{ key: 'k', mod: true }], description: 'Open the command palette', group: 'General', scope: 'everywhere' },
  cheatSheet: { combos: [{ key: '?' }], description: 'Show the keyboard shortcuts', group: 'General', scope: 'workspace' },
  search: { combos: [{ key: '/' }], description: 'Search customers and messages', group: 'General', scope: 'workspace' },
  zoomIn: { combos: [{ key: '=', mod: true }, { key: '+', mod: true }], description: 'Zoom in', group: 'General', scope: 'everywhere' },
  zoomOut: { combos: [{ key: '-', mod: true }], description: 'Zoom out', group: 'General', scope: 'everywhere' },
  zoomReset: { combos: [{ key: '0', mod: true }], description: 'Reset the zoom', group: 'General', scope: 'everywhere' },
  leaveField: { combos: [{ key: 'Escape' }], description: 'Leave a text field for the queue; close a dialog', group: 'General', scope: 'widget', where: 'in a text field or dialog' },
  next: { combos: [{ key: 'j' }], description: 'Select the next conversation', group: 'Queue', scope: 'workspace' },
  previous: { combos: [{ key: 'k' }], description: 'Select the previous conversation', group: 'Queue', scope: 'workspace' },
  moveInList: { combos: [{ key: 'ArrowDown' }, { key: 'ArrowUp' }, { key: 'Home' }, { key: 'End' }], description: 'Move the selection', group: 'Queue', scope: 'widget', where: 'in the queue list' },
  open: { combos: [{ key: 'Enter' }], description: 'Open the selected conversation', group: 'Queue', scope: 'workspace' },
  switchView: { combos: [{ key: 'ArrowLeft' }, { key: 'ArrowRight' }], description: 'Switch between queue views', group: 'Queue', scope: 'widget', where: 'in the queue views' },
  reply: { combos: [{ key: 'r' }], description: 'Write a reply on the open conversation', group: 'Conversation', scope: 'workspace' },
  send: { combos: [{ key: 'Enter', mod: true }], description: 'Send the reply', group: 'Conversation', scope: 'widget', where: 'in the reply box' },
} as const satisfies Record<string, Shortcut>;

export type ShortcutId = keyof typeof SHORTCUTS;

export const SHORTCUT_GROUPS = ['General', 'Queue', 'Conversation'] as const;

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** True when the key press is one of the shortcut's combos (Shift is part of the key: "?" not "/"). */
export function matchesShortcut(id: ShortcutId, e: KeyPress): boolean {
  const mod = e.ctrlKey || e.metaKey;
  if (e.altKey) return false;
  return (SHORTCUTS[id].combos as readonly KeyCombo[]).some((c) => (c.mod ?? false) === mod && (c.key.length === 1 ? c.key === e.key || (mod && c.key === e.key.toLowerCase()) : c.key === e.key));
}

/** The shortcut handled by the workspace for this key press, if any. */
export function workspaceShortcut(e: KeyPress, typing: boolean): ShortcutId | null {
  for (const id of Object.keys(SHORTCUTS) as ShortcutId[]) {
    const scope = SHORTCUTS[id].scope as ShortcutScope;
    if (scope === 'widget' || (typing && scope !== 'everywhere')) continue;
    if (matchesShortcut(id, e)) return id;
  }
  return null;
}

const KEY_NAMES: Record<string, string> = { ArrowDown: '↓', ArrowUp: '↑', ArrowLeft: '←', ArrowRight: '→', Escape: 'Esc' };

/** The keys of one combo as the cheat sheet shows them: ["Ctrl", "K"], ["⌘", "Enter"]. */
export function comboKeys(combo: KeyCombo, mac: boolean): string[] {
  const key = KEY_NAMES[combo.key] ?? (combo.key.length === 1 ? combo.key.toUpperCase() : combo.key);
  const shown = combo.key.length === 1 && !combo.mod ? combo.key : key;
  return combo.mod ? [mac ? '⌘' : 'Ctrl', shown] : [shown];
}

/** For a tooltip: "Ctrl+K", "J or ↓". */
export function shortcutLabel(id: ShortcutId, mac: boolean): string {
  return (SHORTCUTS[id].combos as readonly KeyCombo[]).map((c) => comboKeys(c, mac).join('+')).join(' or ');
}

/** The aria-keyshortcuts value: "Control+K Meta+K". */
export function ariaKeyShortcuts(id: ShortcutId): string {
  const ariaKey = (key: string) => (key.length === 1 ? key.toUpperCase() : key);
  return (SHORTCUTS[id].combos as readonly KeyCombo[])
    .flatMap((c) => (c.mod ? [`Control+${ariaKey(c.key)}`, `Meta+${ariaKey(c.key)}`] : [c.key === '?' ? 'Shift+?' : ariaKey(c.key)]))
    .join(' ');
}
