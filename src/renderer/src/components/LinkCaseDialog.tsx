// Linked cases in the header ("Linked: #123", each opens its case) and "Link…", a small form that
// links the open case to another by its number.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { LinkedCase } from '../../../shared/contractCaseActions';
import { t } from '../i18n';
import { statusLabel } from '../labels';
import { openConversation } from '../state/actions';
import { useCaseActionsStore } from '../state/caseActions';
import type { CaseMeta } from '../state/caseStatus';

export function LinkedCases({ links }: { links: readonly LinkedCase[] }) {
  if (links.length === 0) return null;
  return (
    <span className="linked-cases">
      {t('caseActions:linked')}{' '}
      {links.map((l, i) => (
        <span key={l.caseId}>
          {i > 0 && ', '}
          <a
            href={`#case-${l.caseId}`}
            title={t('caseActions:linkedTitle', { subject: l.subject, status: statusLabel(l.status) })}
            onClick={(e) => {
              e.preventDefault();
              void openConversation(l.customerId, l.caseId);
            }}
          >
            #{l.caseId}
          </a>
        </span>
      ))}
    </span>
  );
}

export function LinkCaseAction({ meta }: { meta: CaseMeta }) {
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (open && dialog && !dialog.open) dialog.showModal();
  }, [open]);

  const close = () => {
    ref.current?.close();
    setOpen(false);
    setValue('');
    setProblem(null);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const other = Number(value.trim().replace(/^#/, ''));
    if (!Number.isInteger(other) || other <= 0) return setProblem(t('caseActions:enterCaseNumber'));
    const failed = await useCaseActionsStore.getState().link(meta, other);
    if (failed) setProblem(failed);
    else close();
  };

  return (
    <>
      <button type="button" className="btn" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {t('caseActions:linkOpen')}
      </button>
      {open && (
        <dialog ref={ref} className="resolve-dialog" aria-labelledby={`${id}-t`} onCancel={close} onClose={close}>
          <form onSubmit={(e) => void submit(e)}>
            <h2 id={`${id}-t`}>{t('caseActions:linkTitle', { caseId: meta.caseId })}</h2>
            <label className="link-case-field">
              <span>{t('caseActions:caseNumber')}</span>
              <input inputMode="numeric" value={value} onChange={(e) => setValue(e.target.value)} aria-invalid={problem !== null} autoFocus />
            </label>
            {problem && (
              <p className="conv-action-error" role="alert">
                {problem}
              </p>
            )}
            <div className="resolve-actions">
              <button type="button" className="btn btn-quiet" onClick={close}>
                {t('caseActions:cancel')}
              </button>
              <button type="submit" className="btn btn-primary">
                {t('caseActions:link')}
              </button>
            </div>
          </form>
        </dialog>
      )}
    </>
  );
}
