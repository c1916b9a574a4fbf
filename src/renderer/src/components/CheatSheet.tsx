// The cheat sheet (? outside a text field, or from the palette): every shortcut of
// shared/shortcuts, by group, in a modal dialog. Esc or Close puts focus back where it was.
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { comboKeys, SHORTCUT_GROUPS, SHORTCUTS, type KeyCombo, type Shortcut, type ShortcutId } from '../../../shared/shortcuts';
import { usePaletteStore } from '../state/palette';
import { IS_MAC } from './CommandPalette';
import { focusQueue } from './useShortcuts';

export function CheatSheet() {
  const open = usePaletteStore((s) => s.cheatSheetOpen);
  return open ? <CheatSheetDialog /> : null;
}

function CheatSheetDialog() {
  const ref = useRef<HTMLDialogElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const [returnTo] = useState(() => document.activeElement as HTMLElement | null);
  const shortcuts = Object.entries(SHORTCUTS) as Array<[ShortcutId, Shortcut]>;
  const { t } = useTranslation(['palette', 'common']);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    closeRef.current?.focus();
    return () => dialog?.close();
  }, []);

  const close = () => {
    usePaletteStore.getState().closeCheatSheet();
    setTimeout(() => (returnTo?.isConnected && returnTo !== document.body ? returnTo.focus() : focusQueue()), 0);
  };

  return (
    <dialog
      ref={ref}
      className="cheat-sheet"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          close();
        }
      }}
    >
      <div className="cheat-head">
        <h2 id={titleId}>{t('cheatTitle')}</h2>
        <button ref={closeRef} type="button" className="btn" onClick={close}>
          {t('common:close')}
        </button>
      </div>
      <div className="cheat-body">
        {SHORTCUT_GROUPS.map((group) => (
          <section key={group} className="cheat-group" aria-labelledby={`${titleId}-${group}`}>
            <h3 id={`${titleId}-${group}`}>{t(`shortcutGroup.${group}`)}</h3>
            <dl>
              {shortcuts
                .filter(([, s]) => s.group === group)
                .map(([id, s]) => (
                  <div key={id} className="cheat-row">
                    <dt>
                      {(s.combos as readonly KeyCombo[]).map((combo, i) => (
                        <span key={i} className="cheat-combo">
                          {i > 0 && <span className="cheat-or">{t('or')}</span>}
                          {comboKeys(combo, IS_MAC).map((k, j) => (
                            <span key={j}>
                              {j > 0 && '+'}
                              <kbd>{k}</kbd>
                            </span>
                          ))}
                        </span>
                      ))}
                    </dt>
                    <dd>
                      {t(`shortcut.${id}`)}
                      {/* only shortcuts with a `where` get here, and the catalog words each of those */}
                      {s.where && <span className="cheat-where"> ({t(`where.${id as 'leaveField' | 'moveInList' | 'switchView' | 'send'}`)})</span>}
                    </dd>
                  </div>
                ))}
            </dl>
          </section>
        ))}
      </div>
    </dialog>
  );
}
