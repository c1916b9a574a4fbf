// Workspace keys: j / k move the queue selection and Enter opens it (outside text fields),
// / jumps to search, Escape leaves a text field for the queue.
import { useEffect } from 'react';
import { openSelected } from '../state/actions';
import { useQueueStore } from '../state/queue';

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
  document.querySelector<HTMLElement>('[role="listbox"][aria-label="Queue"]')?.focus();
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const target = document.activeElement;
      if (isTextField(target)) {
        if (e.key === 'Escape') {
          e.preventDefault();
          (target as HTMLElement).blur();
          focusQueue();
        }
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'j' || e.key === 'k') {
        e.preventDefault();
        useQueueStore.getState().moveSelection(e.key === 'j' ? 1 : -1);
      } else if (e.key === 'Enter' && !ownsEnter(target)) {
        e.preventDefault();
        openSelected();
      } else if (e.key === '/') {
        e.preventDefault();
        const search = document.getElementById('global-search');
        search?.focus();
        if (search instanceof HTMLInputElement) search.select();
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}
