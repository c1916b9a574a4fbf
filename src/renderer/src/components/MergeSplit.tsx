// Merge and split in the workspace: "Merge into…" in the conversation header (a dialog that lists the
// customer's other open cases), "Split…" on a timeline message of the open case (a dialog that says
// what moves and takes the new case's subject). The palette opens the same dialogs.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { TimelineEvent } from '../../../shared/domain';
import { t } from '../i18n';
import { channelLabel, statusLabel } from '../labels';
import { isClosedStatus, type CaseMeta } from '../state/caseStatus';
import { useCaseToolsStore } from '../state/caseTools';
import { selectOpenCaseId, useConversationStore } from '../state/conversation';
import { selectProfile, useCustomerStore } from '../state/customer';
import { useOpenCaseMeta } from './useOpenCaseMeta';
import './caseTools.css';

const excerpt = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
};

/** The header's "Merge into…" button, and the merge and split dialogs while one is open. */
export function MergeCaseAction({ meta, disabled }: { meta: CaseMeta; disabled?: boolean }) {
  const mergeFor = useCaseToolsStore((s) => s.mergeFor);
  const splitAt = useCaseToolsStore((s) => s.splitAt);
  return (
    <>
      <button type="button" className="btn" aria-haspopup="dialog" disabled={disabled || isClosedStatus(meta.status)} onClick={() => useCaseToolsStore.getState().openMerge(meta)}>
        {t('caseActions:mergeOpen')}
      </button>
      {mergeFor?.caseId === meta.caseId && <MergeDialog meta={mergeFor} />}
      {splitAt?.meta.caseId === meta.caseId && <SplitDialog meta={splitAt.meta} event={splitAt.event} />}
    </>
  );
}

/** A modal dialog that opens on mount, closes through the store, and gives focus back to its opener. */
function useModal(ref: React.RefObject<HTMLDialogElement | null>, focusFirst: string) {
  useEffect(() => {
    const opener = document.activeElement;
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    dialog?.querySelector<HTMLElement>(focusFirst)?.focus();
    return () => {
      dialog?.close();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, [ref, focusFirst]);
}

function MergeDialog({ meta }: { meta: CaseMeta }) {
  const ref = useRef<HTMLDialogElement>(null);
  const profile = useCustomerStore(selectProfile);
  const busy = useCaseToolsStore((s) => s.busy);
  const error = useCaseToolsStore((s) => s.error);
  const others = (profile?.openCases ?? []).filter((c) => c.id !== meta.caseId);
  const [target, setTarget] = useState<number | null>(others[0]?.id ?? null);
  const id = useId();
  useModal(ref, 'input[type="radio"]:checked, button');
  const close = () => useCaseToolsStore.getState().close();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (target !== null && !busy) void useCaseToolsStore.getState().merge(meta, target);
  };
  return (
    <dialog ref={ref} className="resolve-dialog" aria-labelledby={`${id}-t`} aria-describedby={`${id}-d`} onCancel={close} onClose={close}>
      <form onSubmit={submit}>
        <h2 id={`${id}-t`}>{t('caseActions:mergeTitle', { caseId: meta.caseId })}</h2>
        <p id={`${id}-d`} className="muted">
          {t('caseActions:mergeHint', { caseId: meta.caseId, subject: meta.subject })}
        </p>
        {others.length === 0 ? (
          <p role="status">{t('caseActions:noMergeTarget', { name: profile?.name ?? t('caseActions:thisCustomer') })}</p>
        ) : (
          <fieldset className="merge-choices">
            <legend>{t('caseActions:mergeInto')}</legend>
            {others.map((c) => (
              <label key={c.id}>
                <input type="radio" name={`${id}-target`} value={c.id} checked={target === c.id} onChange={() => setTarget(c.id)} />#{c.id} {c.subject}{' '}
                <span className="muted">
                  {t('caseActions:mergeChoice', { channel: channelLabel(c.channel), status: statusLabel(c.status) })}
                </span>
              </label>
            ))}
          </fieldset>
        )}
        {error && (
          <p className="conv-action-error" role="alert">
            {error}
          </p>
        )}
        <div className="resolve-actions">
          <button type="button" className="btn btn-quiet" onClick={close}>
            {t('caseActions:cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={others.length === 0} aria-disabled={busy || undefined}>
            {busy ? t('caseActions:merging') : t('caseActions:merge')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

function SplitDialog({ meta, event }: { meta: CaseMeta; event: TimelineEvent }) {
  const ref = useRef<HTMLDialogElement>(null);
  const busy = useCaseToolsStore((s) => s.busy);
  const error = useCaseToolsStore((s) => s.error);
  const [subject, setSubject] = useState(meta.subject);
  const id = useId();
  useModal(ref, 'input');
  const close = () => useCaseToolsStore.getState().close();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!busy) void useCaseToolsStore.getState().split(meta, event.id, subject);
  };
  return (
    <dialog ref={ref} className="resolve-dialog" aria-labelledby={`${id}-t`} aria-describedby={`${id}-d`} onCancel={close} onClose={close}>
      <form onSubmit={submit}>
        <h2 id={`${id}-t`}>{t('caseActions:splitTitle', { caseId: meta.caseId })}</h2>
        <p id={`${id}-d`} className="muted">
          {t('caseActions:splitHint', { channel: channelLabel(event.channel), author: event.authorName, excerpt: excerpt(event.body), caseId: meta.caseId })}
        </p>
        <label className="link-case-field">
          <span>{t('caseActions:newSubject')}</span>
          <input value={subject} maxLength={300} onChange={(e) => setSubject(e.target.value)} />
        </label>
        {error && (
          <p className="conv-action-error" role="alert">
            {error}
          </p>
        )}
        <div className="resolve-actions">
          <button type="button" className="btn btn-quiet" onClick={close}>
            {t('caseActions:cancel')}
          </button>
          <button type="submit" className="btn btn-primary" aria-disabled={busy || undefined}>
            {busy ? t('caseActions:splitting') : t('caseActions:split')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** "Split…" on a timeline message of the open, active case. */
export function SplitFromHere({ event }: { event: TimelineEvent }) {
  const openCaseId = useConversationStore(selectOpenCaseId);
  const meta = useOpenCaseMeta();
  if (event.kind !== 'message' || event.caseId === null || event.caseId !== openCaseId || !meta || isClosedStatus(meta.status)) return null;
  return (
    <button
      type="button"
      className="btn btn-small btn-quiet tl-split"
      aria-haspopup="dialog"
      aria-label={t('caseActions:splitFrom', { author: event.authorName })}
      title={t('caseActions:splitFromHint')}
      onClick={() => useCaseToolsStore.getState().openSplit(meta, event)}
    >
      {t('caseActions:splitOpen')}
    </button>
  );
}
