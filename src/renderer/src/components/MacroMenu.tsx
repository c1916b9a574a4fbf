// The "Macros" button of the composer and its menu: a filter box over a listbox of shared and
// personal macros (title, hotkey, what it does). Arrow keys move, Enter inserts, Escape closes;
// "Manage macros…" opens the macro editor.
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MacroView } from '../../../shared/contractComposer';
import { macroActionLabel } from '../labels';
import { useMacroEditorStore } from '../state/macroEditor';

export function hotkeyLabel(n: number): string {
  return `Alt+${n}`;
}

export function MacroMenu({ macros, onPick, onOpen }: { macros: MacroView[] | null; onPick: (macro: MacroView) => void; onOpen: () => void }) {
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState('');
  const [active, setActive] = useState(0);
  const button = useRef<HTMLButtonElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  const { t } = useTranslation('composer');
  const shown = useMemo(() => {
    const q = filter.trim().toLocaleLowerCase();
    return (macros ?? []).filter((m) => !q || m.title.toLocaleLowerCase().includes(q) || m.body.toLocaleLowerCase().includes(q));
  }, [macros, filter]);

  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);

  const close = (focusButton: boolean) => {
    setOpen(false);
    setFilter('');
    setActive(0);
    if (focusButton) button.current?.focus();
  };
  const pick = (macro: MacroView | undefined) => {
    if (!macro) return;
    close(false);
    onPick(macro);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(a + 1, shown.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      pick(shown[active]);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close(true);
    }
  };

  return (
    <div className="macro-menu">
      <button
        ref={button}
        type="button"
        className="btn btn-small"
        aria-haspopup="listbox"
        aria-expanded={open}
        onClick={() => {
          if (open) return close(false);
          onOpen();
          setOpen(true);
        }}
      >
        {t('macros')}
      </button>
      {open && (
        <div className="macro-popup" role="dialog" aria-label={t('insertMacro')}>
          <input
            ref={input}
            className="macro-filter"
            type="search"
            role="combobox"
            aria-label={t('filterMacros')}
            aria-controls={listId}
            aria-expanded="true"
            aria-activedescendant={shown[active] ? `${listId}-${shown[active].id}` : undefined}
            placeholder={t('filterMacrosPlaceholder')}
            value={filter}
            onChange={(e) => {
              setFilter(e.target.value);
              setActive(0);
            }}
            onKeyDown={onKeyDown}
            onBlur={(e) => {
              if (!e.currentTarget.parentElement?.contains(e.relatedTarget as Node | null)) close(false);
            }}
          />
          <ul id={listId} role="listbox" aria-label={t('macros')} className="macro-list">
            {macros === null && <li className="macro-empty">{t('loading')}</li>}
            {macros !== null && shown.length === 0 && <li className="macro-empty">{t('noMacro', { filter })}</li>}
            {shown.map((m, i) => (
              <li
                key={m.id}
                id={`${listId}-${m.id}`}
                role="option"
                aria-selected={i === active}
                className={`macro-option${i === active ? ' is-active' : ''}`}
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setActive(i)}
                onClick={() => pick(m)}
              >
                <span className="macro-title">{m.title}</span>
                {m.scope === 'personal' && <span className="badge badge-muted">{t('mine')}</span>}
                {m.hotkey !== null && <kbd className="macro-hotkey">{hotkeyLabel(m.hotkey)}</kbd>}
                {m.actions.length > 0 && (
                  <span className="macro-actions">
                    {t(m.applyOn === 'insert' ? 'onInsert' : 'onSend', { actions: m.actions.map(macroActionLabel).join(' · ') })}
                  </span>
                )}
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="btn btn-small btn-quiet macro-manage"
            onClick={() => {
              close(false);
              useMacroEditorStore.getState().openEditor();
            }}
          >
            {t('manageMacros')}
          </button>
        </div>
      )}
    </div>
  );
}
