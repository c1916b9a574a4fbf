// The global shortcut that answers a ringing call from any app: registered only while a call rings
// (a system-wide key is not held when there is nothing to answer), released when the ringing stops.
// Pure: the registry is Electron's globalShortcut in the app, a plain object in tests.
export interface ShortcutRegistry {
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

export interface AnswerShortcut {
  /** The call rings (true) or stopped ringing (false); returns the accelerator held, or null (off, or taken by another app). */
  setRinging(ringing: boolean): string | null;
  dispose(): void;
}

/** Electron accelerator syntax: modifiers then one key, e.g. "CommandOrControl+Shift+A". */
export const ACCELERATOR = /^(?:(?:CommandOrControl|CmdOrCtrl|Command|Cmd|Control|Ctrl|Alt|Option|AltGr|Shift|Super|Meta)\+){1,3}(?:[A-Z0-9]|F(?:[1-9]|1[0-9]|2[0-4])|Space|Enter)$/;

export function createAnswerShortcut(options: {
  registry: ShortcutRegistry;
  /** Null: the agent turned the shortcut off. */
  accelerator: string | null;
  onAnswer: () => void;
  log: (line: string) => void;
}): AnswerShortcut {
  let held: string | null = null;
  const release = () => {
    if (held) options.registry.unregister(held);
    held = null;
  };
  return {
    setRinging(ringing) {
      if (!ringing || !options.accelerator) {
        release();
        return null;
      }
      if (held) return held;
      if (options.registry.register(options.accelerator, () => options.onAnswer())) held = options.accelerator;
      else options.log(`The answer shortcut ${options.accelerator} is taken by another application; answer from the window.`);
      return held;
    },
    dispose: release,
  };
}
