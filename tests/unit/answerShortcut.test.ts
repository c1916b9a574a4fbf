import { describe, expect, it } from 'vitest';
import { ACCELERATOR, createAnswerShortcut, type ShortcutRegistry } from '../../src/main/desktop/answerShortcut';
import { DesktopSettings } from '../../src/main/desktop/desktopSettings';

/** A system-wide key table as the OS keeps it: one owner per accelerator. */
function keyTable(taken: string[] = []): ShortcutRegistry & { owned: Map<string, () => void>; press(accelerator: string): void } {
  const owned = new Map<string, () => void>();
  return {
    owned,
    register(accelerator, callback) {
      if (taken.includes(accelerator) || owned.has(accelerator)) return false;
      owned.set(accelerator, callback);
      return true;
    },
    unregister(accelerator) {
      owned.delete(accelerator);
    },
    press(accelerator) {
      owned.get(accelerator)?.();
    },
  };
}

describe('the global answer shortcut', () => {
  it('is held only while a call rings, and pressing it answers', () => {
    const keys = keyTable();
    let answered = 0;
    const shortcut = createAnswerShortcut({ registry: keys, accelerator: 'CommandOrControl+Shift+A', onAnswer: () => answered++, log: () => {} });
    keys.press('CommandOrControl+Shift+A');
    expect(answered).toBe(0);
    expect(shortcut.setRinging(true)).toBe('CommandOrControl+Shift+A');
    expect(shortcut.setRinging(true)).toBe('CommandOrControl+Shift+A');
    keys.press('CommandOrControl+Shift+A');
    expect(answered).toBe(1);
    expect(shortcut.setRinging(false)).toBeNull();
    expect(keys.owned.size).toBe(0);
    keys.press('CommandOrControl+Shift+A');
    expect(answered).toBe(1);
  });

  it('says so when another application has the key, and is off when the agent turned it off', () => {
    const lines: string[] = [];
    const taken = createAnswerShortcut({ registry: keyTable(['Alt+F9']), accelerator: 'Alt+F9', onAnswer: () => {}, log: (l) => lines.push(l) });
    expect(taken.setRinging(true)).toBeNull();
    expect(lines[0]).toMatch(/Alt\+F9 is taken by another application/);
    const keys = keyTable();
    const off = createAnswerShortcut({ registry: keys, accelerator: null, onAnswer: () => {}, log: () => {} });
    expect(off.setRinging(true)).toBeNull();
    expect(keys.owned.size).toBe(0);
  });

  it('takes Electron accelerators in the settings and refuses anything else with the field named', () => {
    expect(ACCELERATOR.test('CommandOrControl+Shift+A')).toBe(true);
    expect(ACCELERATOR.test('Ctrl+Alt+F12')).toBe(true);
    expect(ACCELERATOR.test('A')).toBe(false);
    expect(DesktopSettings.parse({}).calls.answerShortcut).toBe('CommandOrControl+Shift+A');
    expect(DesktopSettings.parse({ calls: { answerShortcut: null } }).calls.answerShortcut).toBeNull();
    const bad = DesktopSettings.safeParse({ calls: { answerShortcut: 'Shift+Banana' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['calls', 'answerShortcut']);
  });
});
