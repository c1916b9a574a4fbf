import { describe, expect, it } from 'vitest';
import { containsWords, fuzzyScore, rankCommands, type PaletteCommand } from '../../src/renderer/src/state/palette';
import { ariaKeyShortcuts, matchesShortcut, shortcutLabel, workspaceShortcut } from '../../src/shared/shortcuts';

const press = (key: string, o: { ctrl?: boolean; meta?: boolean; alt?: boolean } = {}) => ({ key, ctrlKey: o.ctrl ?? false, metaKey: o.meta ?? false, altKey: o.alt ?? false });
const cmd = (id: string, label: string, group: PaletteCommand['group'] = 'Conversation', more: Partial<PaletteCommand> = {}): PaletteCommand => ({ id, label, group, ...more });

describe('fuzzy matching in the palette', () => {
  it('matches letters in order, skipping others, and refuses letters out of order', () => {
    expect(fuzzyScore('rslv', 'Resolve the case')).not.toBeNull();
    expect(fuzzyScore('vlsr', 'Resolve the case')).toBeNull();
    expect(fuzzyScore('', 'anything')).toBe(0);
  });

  it('needs every word of the query, in any order', () => {
    expect(fuzzyScore('case resolve', 'Resolve the case')).not.toBeNull();
    expect(fuzzyScore('resolve phone', 'Resolve the case')).toBeNull();
  });

  it('ranks a prefix above a word start above a match inside a word above scattered letters', () => {
    const prefix = fuzzyScore('re', 'Reply')!;
    const wordStart = fuzzyScore('re', 'Open the record')!;
    const inside = fuzzyScore('re', 'Queue: Unassigned free')!;
    const scattered = fuzzyScore('re', 'Open the profile')!;
    expect(prefix).toBeGreaterThan(wordStart);
    expect(wordStart).toBeGreaterThan(inside);
    expect(inside).toBeGreaterThan(scattered);
  });

  it('is not fooled by case', () => {
    expect(fuzzyScore('SMS', 'Queue: SMS')).toBe(fuzzyScore('sms', 'queue: sms'));
  });
});

describe('finding a case by name in the palette', () => {
  it('needs each word as typed, so digits scattered over a line do not match', () => {
    expect(containsWords('jane 504', 'Jane Smith — Gateway 504 at checkout')).toBe(true);
    expect(containsWords('504', 'Order 5-0-4 #9540')).toBe(false);
  });
});

describe('the palette ranking', () => {
  const commands = [
    cmd('reply', 'Reply', 'Conversation', { keywords: 'write answer' }),
    cmd('resolve', 'Resolve the case', 'Conversation', { keywords: 'close done' }),
    cmd('view:mine', 'Queue: Mine', 'Navigation'),
    cmd('view:breaching', 'Queue: Breaching soon', 'Navigation'),
    cmd('presence:away', 'Set status: Away', 'Status'),
    cmd('settings', 'Open settings', 'Settings and help'),
    cmd('case:1', 'Jane Smith — Checkout fails', 'Customers and cases'),
    cmd('hit:1', 'Dana Lee — Refund', 'Found in messages', { preRanked: true }),
  ];

  it('lists every command in its group order when the query is empty', () => {
    const groups = rankCommands(commands, '  ');
    expect(groups.map((g) => g.group)).toEqual(['Conversation', 'Navigation', 'Customers and cases', 'Found in messages', 'Status', 'Settings and help']);
    expect(groups.flatMap((g) => g.items).length).toBe(commands.length);
  });

  it('puts the group of the best match first and the best match first in it', () => {
    const groups = rankCommands(commands, 'breach');
    expect(groups[0]!.group).toBe('Navigation');
    expect(groups[0]!.items.map((c) => c.id)).toEqual(['view:breaching']);
  });

  it('finds a command through its keywords, below label matches', () => {
    const groups = rankCommands(commands, 'close');
    expect(groups.flatMap((g) => g.items).map((c) => c.id)).toContain('resolve');
    const withLabel = rankCommands([...commands, cmd('close-x', 'Close the tab')], 'close').flatMap((g) => g.items);
    expect(withLabel.findIndex((c) => c.id === 'close-x')).toBeLessThan(withLabel.findIndex((c) => c.id === 'resolve'));
  });

  it('keeps full-text search hits after the fuzzy matches even when their words do not match', () => {
    const groups = rankCommands(commands, 'away');
    expect(groups.map((g) => g.group)).toEqual(['Status', 'Found in messages']);
  });
});

describe('the shortcut list', () => {
  it('opens the palette with Ctrl+K or Cmd+K, even while typing, and not with a bare k', () => {
    expect(workspaceShortcut(press('k', { ctrl: true }), true)).toBe('palette');
    expect(workspaceShortcut(press('k', { meta: true }), false)).toBe('palette');
    expect(workspaceShortcut(press('k'), false)).toBe('previous');
    expect(workspaceShortcut(press('k'), true)).toBeNull();
  });

  it('shows the cheat sheet on ? only outside text fields, and never with Alt held', () => {
    expect(workspaceShortcut(press('?'), false)).toBe('cheatSheet');
    expect(workspaceShortcut(press('?'), true)).toBeNull();
    expect(matchesShortcut('cheatSheet', press('?', { alt: true }))).toBe(false);
  });

  it('leaves the keys a focused widget handles to that widget', () => {
    expect(workspaceShortcut(press('ArrowDown'), false)).toBeNull();
    expect(workspaceShortcut(press('Enter', { ctrl: true }), true)).toBeNull();
  });

  it('writes tooltips and aria-keyshortcuts from the same entries', () => {
    expect(shortcutLabel('palette', false)).toBe('Ctrl+K');
    expect(shortcutLabel('palette', true)).toBe('⌘+K');
    expect(ariaKeyShortcuts('palette')).toBe('Control+K Meta+K');
    expect(shortcutLabel('send', false)).toBe('Ctrl+Enter');
    expect(ariaKeyShortcuts('cheatSheet')).toBe('Shift+?');
  });
});
