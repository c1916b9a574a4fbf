// The options of the workspace window: Electron's security checklist spelled out flag by flag
// (even where it is already the default, so an upgrade or a typo cannot silently weaken it) and
// the restored bounds. Pure, so a unit test pins every flag.
import type { BrowserWindowConstructorOptions } from 'electron';
import { MIN_WINDOW_SIZE, type FittedWindowState } from './windowState';

export const WINDOW_TITLE = 'Omni Desk';

export interface WindowOptionsInput {
  /** Absolute path of dist/preload/index.cjs. */
  preloadPath: string;
  state: FittedWindowState;
}

export function buildWindowOptions({ preloadPath, state }: WindowOptionsInput): BrowserWindowConstructorOptions {
  const { x, y, width, height } = state.bounds;
  return {
    title: WINDOW_TITLE,
    ...(x !== undefined && y !== undefined ? { x, y } : { center: true }),
    width,
    height,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    // Shown on ready-to-show, so the user never sees an empty white frame.
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // Agents write replies all day; the OS spellchecker (Hunspell on Linux) underlines typos.
      spellcheck: true,
    },
  };
}
