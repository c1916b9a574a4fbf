// The workspace's keys, as listed in shared/shortcuts: Ctrl/Cmd+K opens the palette (anywhere),
// and outside text fields ? shows the cheat sheet, j / k move the queue selection, Enter opens it,
// / jumps to search, r to the reply box; Escape leaves a text field for the queue.
import { useEffect } from 'react';
import { workspaceShortcut } from '../../../shared/shortcuts';
import { openSelected } from '../state/actions';
import { usePaletteStore } from '../state/palette';
import { useQueueStore } from '../state/queue';
import { useDesktopStore } from '../state/desktop';

export function isTextField(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(el.type);
  return el instanceof HTMLElement && el.isContentEditable;
}

/** Elements where Enter already means something (a button, a link, a summary). */
function ownsEnter(el: Element | null): boolean {
  return !!el && el.closest('button, a[href], summary, [role="button"], [role="tab"], [role="link"]') !== null;
}

export function focusQueue(): void {
  document.querySelector<HTMLElement>('.queue-list[role="listbox"]')?.focus();
}

function focusReply(): void {
  document.querySelector<HTMLTextAreaElement>('textarea.composer-input')?.focus();
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const target = document.activeElement;
      const typing = isTextField(target);
      // Behind an open dialog only the shortcuts that work everywhere apply.
      const inDialog = document.querySelector('dialog[open]') !== null;
      const id = workspaceShortcut(e, typing || inDialog);
      if (!id) {
        if (typing && !inDialog && e.key === 'Escape') {
          e.preventDefault();
          (target as HTMLElement).blur();
          focusQueue();
        }
        return;
      }
      if (id === 'open' && ownsEnter(target)) return;
      e.preventDefault();
      const palette = usePaletteStore.getState();
      switch (id) {
        case 'palette':
          if (!palette.paletteOpen && !inDialog) palette.openPalette();
          break;
        case 'cheatSheet':
          palette.openCheatSheet();
          break;
        case 'next':
        case 'previous':
          useQueueStore.getState().moveSelection(id === 'next' ? 1 : -1);
          break;
        case 'open':
          openSelected();
          break;
        case 'search': {
          const search = document.getElementById('global-search');
          search?.focus();
          if (search instanceof HTMLInputElement) search.select();
          break;
        }
        case 'reply':
          focusReply();
          break;
        case 'zoomIn':
        case 'zoomOut':
        case 'zoomReset':
          useDesktopStore.getState().zoomStep(id === 'zoomIn' ? 1 : id === 'zoomOut' ? -1 : 0);
          break;
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}
