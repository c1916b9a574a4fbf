// Snooze: a menu button with the presets (1 hour, tomorrow 9:00, next Monday 9:00 in the agent's
// zone), "Until the customer replies" and a custom time. Arrow keys move, Esc closes.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { SNOOZE_PRESETS, snoozePresetUntil } from '../../../shared/contractCaseActions';
import { t } from '../i18n';
import { useCaseActionsStore } from '../state/caseActions';
import type { CaseMeta } from '../state/caseStatus';

const zone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function SnoozeMenu({ meta, disabled }: { meta: CaseMeta; disabled: boolean }) {
  const [open, setOpen] = useState(false);
  const [custom, setCustom] = useState(false);
  const [when, setWhen] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const id = useId();

  useEffect(() => {
    if (open && !custom) menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, [open, custom]);

  const close = () => {
    setOpen(false);
    setCustom(false);
    setProblem(null);
    buttonRef.current?.focus();
  };
  const snooze = async (until: number | null) => {
    if (await useCaseActionsStore.getState().snooze(meta, until)) close();
  };
  const onMenuKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const next = e.key === 'Home' ? 0 : e.key === 'End' ? items.length - 1 : (at + (e.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length;
    items[next]?.focus();
    e.preventDefault();
  };
  const submitCustom = (e: FormEvent) => {
    e.preventDefault();
    const until = new Date(when).getTime();
    if (!when || Number.isNaN(until)) return setProblem(t('caseActions:enterDateTime'));
    setProblem(null);
    void snooze(until).then(() => {
      // The main side refuses a time in the past; its sentence shows here.
      const error = useCaseActionsStore.getState().error;
      if (error?.caseId === meta.caseId) setProblem(error.message);
    });
  };

  return (
    <div className="snooze-menu">
      <button ref={buttonRef} type="button" className="btn" aria-haspopup="menu" aria-expanded={open} aria-controls={open ? `${id}-m` : undefined} disabled={disabled} onClick={() => (open ? close() : setOpen(true))}>
        {t('caseActions:snooze')}
      </button>
      {open && (
        <div ref={menuRef} id={`${id}-m`} className="snooze-popup" onKeyDown={onMenuKey}>
          {custom ? (
            <form className="snooze-custom" onSubmit={submitCustom}>
              <label>
                <span>{t('caseActions:snoozeUntil')}</span>
                <input type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} autoFocus />
              </label>
              {problem && (
                <p className="conv-action-error" role="alert">
                  {problem}
                </p>
              )}
              <button type="submit" className="btn btn-primary">
                {t('caseActions:snooze')}
              </button>
            </form>
          ) : (
            <div role="menu" aria-label={t('caseActions:snoozeUntil')}>
              {SNOOZE_PRESETS.map((p) => (
                <button key={p.id} type="button" role="menuitem" tabIndex={-1} onClick={() => void snooze(snoozePresetUntil(p.id, Date.now(), zone()))}>
                  {t(`enums:snooze.${p.id}`)}
                </button>
              ))}
              <button type="button" role="menuitem" tabIndex={-1} onClick={() => void snooze(null)}>
                {t('caseActions:untilReply')}
              </button>
              <button type="button" role="menuitem" tabIndex={-1} onClick={() => setCustom(true)}>
                {t('caseActions:customTime')}
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
