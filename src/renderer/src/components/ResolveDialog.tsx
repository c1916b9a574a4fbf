// Resolve with a resolution code: a modal dialog with the codes as radio buttons, Solved picked.
// Enter resolves with the picked code, arrows move between codes, Esc closes without resolving.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { DEFAULT_RESOLUTION_CODE, RESOLUTION_CODES, type ResolutionCodeId } from '../../../shared/contractCaseActions';
import { t } from '../i18n';
import { resolutionLabel } from '../labels';
import { selectCaseActionsBusy, selectCaseActionsError, selectResolveDialogFor, useCaseActionsStore } from '../state/caseActions';
import type { CaseMeta } from '../state/caseStatus';

/** Mounted once in the header; shows while a case's resolve dialog is open. */
export function ResolveDialogHost() {
  const meta = useCaseActionsStore(selectResolveDialogFor);
  return meta ? <ResolveDialog key={meta.caseId} meta={meta} /> : null;
}

function ResolveDialog({ meta }: { meta: CaseMeta }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [code, setCode] = useState<ResolutionCodeId>(DEFAULT_RESOLUTION_CODE);
  const busy = useCaseActionsStore(selectCaseActionsBusy) === meta.caseId;
  const error = useCaseActionsStore(selectCaseActionsError);
  const failed = error?.caseId === meta.caseId ? error.message : null;
  const id = useId();
  const opener = useRef<Element | null>(null);

  useEffect(() => {
    opener.current = document.activeElement;
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    dialog?.querySelector<HTMLInputElement>('input[type="radio"]:checked')?.focus();
    return () => {
      dialog?.close();
      if (opener.current instanceof HTMLElement && opener.current.isConnected) opener.current.focus();
    };
  }, []);

  const close = () => useCaseActionsStore.getState().closeResolveDialog();
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (!busy) void useCaseActionsStore.getState().resolve(meta, code);
  };
  // Enter on a code resolves with it (radio buttons do not submit a form by themselves everywhere).
  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key === 'Enter' && e.target instanceof HTMLInputElement && e.target.type === 'radio') submit(e);
  };

  return (
    <dialog ref={ref} className="resolve-dialog" aria-labelledby={`${id}-t`} aria-describedby={`${id}-d`} onCancel={close} onClose={close}>
      <form onSubmit={submit} onKeyDown={onKeyDown}>
        <h2 id={`${id}-t`}>{t('caseActions:resolveTitle', { caseId: meta.caseId })}</h2>
        <p id={`${id}-d`} className="muted">
          {t('caseActions:resolveHint', { subject: meta.subject })}
        </p>
        <fieldset className="resolve-codes">
          <legend>{t('caseActions:resolution')}</legend>
          {RESOLUTION_CODES.map((c) => (
            <label key={c.id} className="resolve-code">
              <input type="radio" name={`${id}-code`} value={c.id} checked={code === c.id} onChange={() => setCode(c.id)} />
              {resolutionLabel(c.id)}
            </label>
          ))}
        </fieldset>
        {failed && (
          <p className="conv-action-error" role="alert">
            {failed}
          </p>
        )}
        <div className="resolve-actions">
          <button type="button" className="btn btn-quiet" onClick={close}>
            {t('caseActions:cancel')}
          </button>
          <button type="submit" className="btn btn-primary">
            {busy ? t('caseActions:resolving') : t('caseActions:resolve')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
