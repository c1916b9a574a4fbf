// Where the main window was: saved as JSON in the user-data folder when it closes, read back at
// start and fitted to the displays attached now, so a window last seen on a monitor that is gone
// opens centred on the primary one instead of off-screen. Plain Node; the displays come from main.ts.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

/** What the window opens with: no x/y means "centred by the OS". */
export interface FittedWindowState {
  bounds: { x?: number; y?: number; width: number; height: number };
  maximized: boolean;
}

export const WINDOW_STATE_FILE = 'window-state.json';
export const MIN_WINDOW_SIZE = { width: 900, height: 600 } as const;
export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 820 } as const;

/** How much of the top edge (where the title bar is) must lie on a display to be reachable. */
const TITLE_BAR = { height: 32, minVisibleWidth: 120, minVisibleHeight: 16 } as const;

const coordinate = z.number().finite().min(-100_000).max(100_000);
const StoredState = z.object({
  bounds: z.object({ x: coordinate, y: coordinate, width: coordinate.positive(), height: coordinate.positive() }),
  maximized: z.boolean(),
});

export function loadWindowState(dir: string): WindowState | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, WINDOW_STATE_FILE), 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = StoredState.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Written to a temporary file and renamed, so a crash mid-write leaves the old state. */
export function saveWindowState(dir: string, state: WindowState): void {
  const file = path.join(dir, WINDOW_STATE_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  const rounded: WindowState = {
    bounds: {
      x: Math.round(state.bounds.x),
      y: Math.round(state.bounds.y),
      width: Math.round(state.bounds.width),
      height: Math.round(state.bounds.height),
    },
    maximized: state.maximized,
  };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(temporary, `${JSON.stringify(rounded, null, 2)}\n`);
  fs.renameSync(temporary, file);
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}

function clampSize(width: number, height: number, area: Rect | undefined): { width: number; height: number } {
  const maxWidth = area ? area.width : Number.POSITIVE_INFINITY;
  const maxHeight = area ? area.height : Number.POSITIVE_INFINITY;
  return {
    width: Math.round(Math.max(MIN_WINDOW_SIZE.width, Math.min(width, maxWidth))),
    height: Math.round(Math.max(MIN_WINDOW_SIZE.height, Math.min(height, maxHeight))),
  };
}

/**
 * Fits saved bounds to the displays' work areas (primary first). The position is kept when the
 * window's title bar is reachable on some display, else dropped so the OS centres the window;
 * the size is kept within the display it lands on and never below the minimum.
 */
export function fitToDisplays(saved: WindowState | null, displays: readonly Rect[]): FittedWindowState {
  const primary = displays[0];
  if (saved === null) {
    return { bounds: clampSize(DEFAULT_WINDOW_SIZE.width, DEFAULT_WINDOW_SIZE.height, primary), maximized: false };
  }
  const { bounds } = saved;
  const titleBar: Rect = { x: bounds.x, y: bounds.y, width: bounds.width, height: TITLE_BAR.height };
  const reachable = displays.some((area) => {
    const o = overlap(titleBar, area);
    return o.width >= Math.min(TITLE_BAR.minVisibleWidth, bounds.width) && o.height >= TITLE_BAR.minVisibleHeight;
  });
  if (!reachable) {
    return { bounds: clampSize(bounds.width, bounds.height, primary), maximized: saved.maximized };
  }
  let home = primary;
  let best = -1;
  for (const area of displays) {
    const o = overlap(bounds, area);
    if (o.width * o.height > best) {
      best = o.width * o.height;
      home = area;
    }
  }
  return {
    bounds: { x: Math.round(bounds.x), y: Math.round(bounds.y), ...clampSize(bounds.width, bounds.height, home) },
    maximized: saved.maximized,
  };
}
