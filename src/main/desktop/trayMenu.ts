// What the tray (menu bar) icon and the dock/taskbar badge show: the queue count, the presence
// switcher and the few commands, as plain data the shell turns into Electron's Menu. Pure, so
// the labels, the checked presence and the badge text are unit-tested without Electron. The
// labels are in the agent's language (shellText.ts); English unless told otherwise.
import { shellSayer, type ShellSay } from '../../shared/shellText';

export const PRESENCES = ['available', 'busy', 'away'] as const;
export type Presence = (typeof PRESENCES)[number];

export type TrayCommand = { type: 'presence'; presence: Presence } | { type: 'open' } | { type: 'restart-to-update' } | { type: 'quit' };

export type TrayItem =
  | { kind: 'label'; label: string }
  | { kind: 'separator' }
  | { kind: 'radio'; label: string; checked: boolean; command: TrayCommand }
  | { kind: 'command'; label: string; command: TrayCommand };

export interface TrayInput {
  /** Conversations waiting in the queue, or null before the first count. */
  queueCount: number | null;
  presence: Presence;
  /** An update is downloaded and waits for a restart (the label says when a call defers it). */
  update?: { version: string; deferredByCall: boolean } | null;
}

export interface TrayModel {
  tooltip: string;
  /** Next to the icon in the macOS menu bar; empty when nothing waits. */
  title: string;
  /** The dock and taskbar count (app.setBadgeCount); 0 clears it. */
  badgeCount: number;
  items: TrayItem[];
}

/** The count as a badge shows it: nothing for 0, capped at 99+. */
export function badgeText(count: number | null): string {
  if (count === null || count <= 0) return '';
  return count > 99 ? '99+' : String(count);
}

function waiting(count: number | null, say: ShellSay): string {
  if (count === null) return say('trayCounting');
  if (count === 0) return say('trayEmpty');
  return count === 1 ? say('trayWaitingOne') : say('trayWaiting', { count });
}

const ENGLISH = shellSayer('en');

export function trayModel(input: TrayInput, say: ShellSay = ENGLISH): TrayModel {
  const items: TrayItem[] = [
    { kind: 'label', label: waiting(input.queueCount, say) },
    { kind: 'separator' },
    ...PRESENCES.map((p): TrayItem => ({ kind: 'radio', label: say('trayPresence', { presence: p }), checked: p === input.presence, command: { type: 'presence', presence: p } })),
    { kind: 'separator' },
    { kind: 'command', label: say('trayOpen'), command: { type: 'open' } },
  ];
  if (input.update) {
    const version = input.update.version;
    items.push(
      input.update.deferredByCall
        ? { kind: 'label', label: say('trayUpdateDeferred', { version }) }
        : { kind: 'command', label: say('trayRestart', { version }), command: { type: 'restart-to-update' } },
    );
  }
  items.push({ kind: 'separator' }, { kind: 'command', label: say('trayQuit'), command: { type: 'quit' } });
  return {
    tooltip: say('trayTooltip', { presence: input.presence, waiting: waiting(input.queueCount, say) }),
    title: badgeText(input.queueCount),
    badgeCount: input.queueCount !== null && input.queueCount > 0 ? input.queueCount : 0,
    items,
  };
}

/**
 * The tray icon as raw BGRA pixels (nativeImage.createFromBitmap): a ring with a filled centre
 * whose fill says the presence. Drawn in code so the packaged app needs no image file. Black (the
 * default) is what macOS wants for a template image; other systems show the colour given.
 */
export function trayIconBitmap(size: number, presence: Presence, rgb: readonly [number, number, number] = [0, 0, 0]): Buffer {
  if (!Number.isInteger(size) || size < 8 || size > 256) throw new RangeError('The tray icon is 8 to 256 pixels square.');
  const pixels = Buffer.alloc(size * size * 4);
  const c = (size - 1) / 2;
  const outer = size / 2 - 0.5;
  const ring = Math.max(1, size / 8);
  const inner = presence === 'available' ? outer - ring * 2 : presence === 'busy' ? outer / 2.5 : 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - c, y - c);
      // Coverage of the pixel, so the edges are smooth at 16 px.
      const onRing = clamp01(outer + 0.5 - d) * clamp01(d - (outer - ring) + 0.5);
      const onDot = inner > 0 ? clamp01(inner + 0.5 - d) : 0;
      const coverage = Math.max(onRing, onDot);
      // BGRA with premultiplied alpha, the layout nativeImage bitmaps use.
      const at = (y * size + x) * 4;
      pixels[at] = Math.round(rgb[2] * coverage);
      pixels[at + 1] = Math.round(rgb[1] * coverage);
      pixels[at + 2] = Math.round(rgb[0] * coverage);
      pixels[at + 3] = Math.round(255 * coverage);
    }
  }
  return pixels;
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}
