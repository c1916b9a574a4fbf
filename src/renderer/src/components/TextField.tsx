// One labelled text input of a settings form, with its error or hint linked for assistive
// technology. Shared by the mailbox form and the team hub sign-in.
import { useId } from 'react';

export interface TextFieldProps<F> {
  label: string;
  field: keyof F;
  form: F;
  errors: Partial<Record<keyof F, string>>;
  onChange: (field: keyof F, value: string) => void;
  type?: string;
  placeholder?: string;
  autoComplete?: string;
  hint?: string;
}

export function TextField<F>({ label, field, form, errors, onChange, type = 'text', placeholder, autoComplete = 'off', hint }: TextFieldProps<F>) {
  const id = useId();
  const error = errors[field];
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={form[field] as string}
        placeholder={placeholder}
        autoComplete={autoComplete}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange(field, e.target.value)}
      />
      {error ? (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      ) : hint ? (
        <span id={`${id}-hint`} className="field-hint">
          {hint}
        </span>
      ) : null}
    </div>
  );
}
