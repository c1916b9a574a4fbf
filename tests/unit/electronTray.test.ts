// The tray (menu bar) menu, its tooltip and the dock/taskbar badge, as the shell builds them from
// the queue count, the presence and the update state; and the icon drawn in code.
import { describe, expect, it } from 'vitest';
import { badgeText, trayIconBitmap, trayModel, type TrayItem } from '../../src/main/desktop/trayMenu';

const labels = (items: TrayItem[]) => items.map((i) => (i.kind === 'separator' ? '—' : i.kind === 'radio' ? `${i.checked ? '(•)' : '( )'} ${i.label}` : i.label));

describe('the tray menu', () => {
  it('shows the queue count, the presence switcher with the current presence checked, Open and Quit', () => {
    const model = trayModel({ queueCount: 12, presence: 'busy' });
    expect(labels(model.items)).toEqual(['12 conversations waiting', '—', '( ) Available', '(•) Busy', '( ) Away', '—', 'Open Omni Desk', '—', 'Quit Omni Desk']);
    expect(model.tooltip).toBe('Omni Desk — Busy · 12 conversations waiting');
  });

  it('each presence item switches to that presence', () => {
    const radios = trayModel({ queueCount: 0, presence: 'available' }).items.filter((i) => i.kind === 'radio');
    expect(radios.map((i) => (i.kind === 'radio' ? i.command : null))).toEqual([
      { type: 'presence', presence: 'available' },
      { type: 'presence', presence: 'busy' },
      { type: 'presence', presence: 'away' },
    ]);
  });

  it('says when the queue is empty or not counted yet, in the singular for one', () => {
    expect(labels(trayModel({ queueCount: 0, presence: 'away' }).items)[0]).toBe('The queue is empty');
    expect(labels(trayModel({ queueCount: 1, presence: 'away' }).items)[0]).toBe('1 conversation waiting');
    expect(labels(trayModel({ queueCount: null, presence: 'away' }).items)[0]).toBe('Counting the queue…');
  });

  it('offers "Restart to update" when an update is ready, and says it waits during a call', () => {
    const ready = trayModel({ queueCount: 3, presence: 'available', update: { version: '1.2.0', deferredByCall: false } });
    expect(ready.items).toContainEqual({ kind: 'command', label: 'Restart to update (1.2.0)', command: { type: 'restart-to-update' } });
    const onCall = trayModel({ queueCount: 3, presence: 'available', update: { version: '1.2.0', deferredByCall: true } });
    expect(onCall.items).toContainEqual({ kind: 'label', label: 'Update 1.2.0 installs when your call ends' });
    expect(onCall.items.some((i) => i.kind === 'command' && i.command.type === 'restart-to-update')).toBe(false);
  });
});

describe('the dock and taskbar badge', () => {
  it('counts the waiting conversations and clears at zero', () => {
    expect(trayModel({ queueCount: 7, presence: 'available' })).toMatchObject({ badgeCount: 7, title: '7' });
    expect(trayModel({ queueCount: 0, presence: 'available' })).toMatchObject({ badgeCount: 0, title: '' });
    expect(trayModel({ queueCount: null, presence: 'available' })).toMatchObject({ badgeCount: 0, title: '' });
  });

  it('caps the text at 99+', () => {
    expect(badgeText(99)).toBe('99');
    expect(badgeText(100)).toBe('99+');
    expect(badgeText(-3)).toBe('');
  });
});

describe('the tray icon', () => {
  const alphaAt = (pixels: Buffer, size: number, x: number, y: number) => pixels[(y * size + x) * 4 + 3]!;

  it('is a square BGRA bitmap, transparent in the corners with an opaque ring', () => {
    const size = 32;
    const pixels = trayIconBitmap(size, 'away');
    expect(pixels.length).toBe(size * size * 4);
    expect(alphaAt(pixels, size, 0, 0)).toBe(0);
    expect(alphaAt(pixels, size, size - 1, size - 1)).toBe(0);
    expect(alphaAt(pixels, size, 1, 16)).toBeGreaterThan(200);
    // Away is an empty ring.
    expect(alphaAt(pixels, size, 16, 16)).toBe(0);
  });

  it('fills the centre by presence: full when available, a dot when busy', () => {
    const size = 32;
    expect(alphaAt(trayIconBitmap(size, 'available'), size, 16, 16)).toBe(255);
    expect(alphaAt(trayIconBitmap(size, 'busy'), size, 16, 16)).toBe(255);
    // Between the dot and the ring, busy is transparent and available is filled.
    expect(alphaAt(trayIconBitmap(size, 'busy'), size, 16, 6)).toBe(0);
    expect(alphaAt(trayIconBitmap(size, 'available'), size, 16, 9)).toBe(255);
  });

  it('uses premultiplied colour, so a half-covered edge pixel is half as bright', () => {
    const size = 32;
    const pixels = trayIconBitmap(size, 'available', [200, 100, 50]);
    for (let i = 0; i < pixels.length; i += 4) {
      const a = pixels[i + 3]! / 255;
      expect(Math.abs(pixels[i + 2]! - 200 * a)).toBeLessThanOrEqual(1);
      expect(Math.abs(pixels[i]! - 50 * a)).toBeLessThanOrEqual(1);
    }
  });

  it('refuses sizes no tray uses', () => {
    expect(() => trayIconBitmap(4, 'away')).toThrow(RangeError);
    expect(() => trayIconBitmap(16.5, 'away')).toThrow(RangeError);
  });
});
