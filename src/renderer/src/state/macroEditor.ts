// Whether the macro editor is open. It is opened from the composer's macro menu, the command palette
// and Settings; one dialog at a time, so opening it closes the palette and Settings.
import { create } from 'zustand';
import { usePaletteStore } from './palette';

export interface MacroEditorState {
  open: boolean;
  openEditor(): void;
  closeEditor(): void;
}

export const useMacroEditorStore = create<MacroEditorState>()((set) => ({
  open: false,
  openEditor() {
    const palette = usePaletteStore.getState();
    if (palette.paletteOpen) palette.closePalette();
    if (palette.settingsOpen) palette.closeSettings();
    set({ open: true });
  },
  closeEditor: () => set({ open: false }),
}));
