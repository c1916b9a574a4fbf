// The tray (menu bar) menu, its tooltip and the dock/taskbar badge, as the shell builds them from
// the queue count, the presence and the update state; and the icon drawn in code.
import { describe, expect, it } from 'vitest';
import { badgeText, trayIconBitmap, trayModel, type TrayItem } from '../../src/main/desktop/trayMenu';
import { shellDe, shellEn, shellLanguage, shellSayer } from '../../src/shared/shellText';

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

describe('the tray in the agent\'s language', () => {
  it('reads German when the workspace chose German, every item and the tooltip', () => {
    const german = shellSayer('de');
    const model = trayModel({ queueCount: 12, presence: 'busy', update: { version: '1.2.0', deferredByCall: false } }, german);
    expect(labels(model.items)).toEqual([
      '12 Konversationen warten', '—', '( ) Verfügbar', '(•) Beschäftigt', '( ) Abwesend', '—', 'Omni Desk öffnen', 'Neu starten und aktualisieren (1.2.0)', '—', 'Omni Desk beenden',
    ]);
    expect(model.tooltip).toBe('Omni Desk — Beschäftigt · 12 Konversationen warten');
    expect(labels(trayModel({ queueCount: 1, presence: 'away' }, german).items)[0]).toBe('1 Konversation wartet');
    expect(labels(trayModel({ queueCount: 0, presence: 'away', update: { version: '1.2.0', deferredByCall: true } }, german).items)).toContain('Update 1.2.0 wird nach Ihrem Anruf installiert');
    expect(trayModel({ queueCount: 1234, presence: 'away' }, german).tooltip).toBe('Omni Desk — Abwesend · 1.234 Konversationen warten');
  });

  it('follows the workspace\'s choice, else the system\'s first language it ships, else English', () => {
    expect(shellLanguage('de', ['en-US'])).toBe('de');
    expect(shellLanguage(null, ['fr-FR', 'de-AT', 'en-GB'])).toBe('de');
    expect(shellLanguage('fr', ['fr-FR'])).toBe('en');
    expect(shellLanguage(null, [])).toBe('en');
  });

  it('has German for every English text, with the same placeholders', () => {
    const flat = (o: object, prefix = ''): Array<[string, string]> =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : flat(v as object, `${prefix}${k}.`)));
    const german = new Map(flat(shellDe));
    const placeholders = (text: string) => [...text.matchAll(/\{\{[^}]+\}\}/g)].map((m) => m[0]).sort();
    for (const [key, english] of flat(shellEn)) {
      expect(german.has(key), key).toBe(true);
      expect(placeholders(german.get(key)!), key).toEqual(placeholders(english));
    }
    expect(german.size).toBe(flat(shellEn).length);
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
