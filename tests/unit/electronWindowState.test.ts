// The window comes back where it was, unless that place is no longer on any display.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_WINDOW_SIZE,
  fitToDisplays,
  loadWindowState,
  MIN_WINDOW_SIZE,
  saveWindowState,
  WINDOW_STATE_FILE,
  type Rect,
} from '../../src/main/electron/windowState';

const laptop: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
const rightMonitor: Rect = { x: 1920, y: 0, width: 2560, height: 1400 };

describe('fitToDisplays', () => {
  it('opens a first window at the default size, centred', () => {
    expect(fitToDisplays(null, [laptop])).toEqual({ bounds: { ...DEFAULT_WINDOW_SIZE }, maximized: false });
  });

  it('restores a window that is on screen exactly', () => {
    const saved = { bounds: { x: 100, y: 80, width: 1400, height: 900 }, maximized: true };
    expect(fitToDisplays(saved, [laptop])).toEqual(saved);
  });

  it('restores a window on the second monitor while it is attached', () => {
    const saved = { bounds: { x: 2100, y: 100, width: 1600, height: 1000 }, maximized: false };
    expect(fitToDisplays(saved, [laptop, rightMonitor])).toEqual(saved);
  });

  it('centres a window whose monitor was unplugged, on the primary display', () => {
    const saved = { bounds: { x: 2100, y: 100, width: 1600, height: 1000 }, maximized: false };
    expect(fitToDisplays(saved, [laptop])).toEqual({ bounds: { width: 1600, height: 1000 }, maximized: false });
  });

  it('keeps a window that hangs partly off screen while its title bar is reachable', () => {
    const saved = { bounds: { x: 1500, y: 200, width: 1000, height: 700 }, maximized: false };
    expect(fitToDisplays(saved, [laptop])).toEqual(saved);
  });

  it('drops the position when the title bar is above or below every display', () => {
    expect(fitToDisplays({ bounds: { x: 100, y: -600, width: 1000, height: 700 }, maximized: false }, [laptop]).bounds).toEqual({ width: 1000, height: 700 });
    expect(fitToDisplays({ bounds: { x: 100, y: 1030, width: 1000, height: 700 }, maximized: false }, [laptop]).bounds).toEqual({ width: 1000, height: 700 });
  });

  it('shrinks a window larger than the display it lands on, but never below the minimum', () => {
    const big = fitToDisplays({ bounds: { x: 0, y: 0, width: 3000, height: 2000 }, maximized: false }, [laptop]);
    expect(big.bounds).toEqual({ x: 0, y: 0, width: 1920, height: 1040 });
    const tiny = fitToDisplays({ bounds: { x: 10, y: 10, width: 200, height: 100 }, maximized: false }, [laptop]);
    expect(tiny.bounds).toEqual({ x: 10, y: 10, ...MIN_WINDOW_SIZE });
  });

  it('keeps the saved size and drops the position when no display is known', () => {
    expect(fitToDisplays({ bounds: { x: 10, y: 10, width: 1200, height: 800 }, maximized: true }, [])).toEqual({
      bounds: { width: 1200, height: 800 },
      maximized: true,
    });
  });
});

describe('loadWindowState and saveWindowState', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omni-window-state-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads back what it saved, in whole pixels', () => {
    const dir = tempDir();
    saveWindowState(dir, { bounds: { x: 10.4, y: 20.6, width: 1300, height: 850 }, maximized: true });
    expect(loadWindowState(dir)).toEqual({ bounds: { x: 10, y: 21, width: 1300, height: 850 }, maximized: true });
    expect(fs.readdirSync(dir)).toEqual([WINDOW_STATE_FILE]);
  });

  it('creates the folder when it does not exist yet', () => {
    const dir = path.join(tempDir(), 'nested', 'userData');
    saveWindowState(dir, { bounds: { x: 0, y: 0, width: 1000, height: 700 }, maximized: false });
    expect(loadWindowState(dir)?.bounds.width).toBe(1000);
  });

  it('has nothing to restore on a first start', () => {
    expect(loadWindowState(tempDir())).toBeNull();
  });

  it.each([
    'not json',
    '{}',
    '{"bounds":{"x":0,"y":0,"width":-5,"height":700},"maximized":false}',
    '{"bounds":{"x":"0","y":0,"width":1000,"height":700},"maximized":false}',
    '{"bounds":{"x":1e308,"y":0,"width":1000,"height":700},"maximized":false}',
    'null',
  ])('ignores a damaged file: %s', (text) => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, WINDOW_STATE_FILE), text);
    expect(loadWindowState(dir)).toBeNull();
  });
});
