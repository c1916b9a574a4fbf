// A small modal with one labelled field and a confirm button, for the reveal reason and the erase
// confirmation. Escape or Cancel closes it; the error sentence from main shows under the field.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { messageOf } from '../state/errors';
import './privacy.css';

export interface PrivacyDialogProps {
  title: string;
  intro: ReactNode;
  label: string;
  multiline?: boolean;
  confirmLabel: string;
  danger?: boolean;
  /** Whether the confirm button may be pressed for this value. */
  ready(value: string): boolean;
  /** Resolves when done (the dialog closes); throws to show the error. */
  onConfirm(value: string): Promise<void>;
  onClose(): void;
}

export function PrivacyDialog(props: PrivacyDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const fieldId = useId();
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { t } = useTranslation(['privacy', 'common']);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm(value);
      props.onClose();
    } catch (e) {
      setError(messageOf(e, t('failed')));
      setBusy(false);
    }
  };
  return (
    <dialog ref={ref} className="privacy-dialog" aria-labelledby={titleId} onClose={props.onClose} onCancel={props.onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (props.ready(value) && !busy) void submit();
        }}
      >
        <h2 id={titleId}>{props.title}</h2>
        <div>{props.intro}</div>
        <label htmlFor={fieldId}>{props.label}</label>
        {props.multiline ? (
          <textarea id={fieldId} rows={3} value={value} onChange={(e) => setValue(e.target.value)} autoFocus aria-invalid={error ? true : undefined} />
        ) : (
          <input id={fieldId} value={value} onChange={(e) => setValue(e.target.value)} autoFocus autoComplete="off" aria-invalid={error ? true : undefined} />
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="privacy-actions">
          <button type="submit" className={`btn ${props.danger ? 'btn-danger' : 'btn-primary'}`} disabled={!props.ready(value) || busy}>
            {props.confirmLabel}
          </button>
          <button type="button" className="btn" onClick={props.onClose}>
            {t('common:cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
