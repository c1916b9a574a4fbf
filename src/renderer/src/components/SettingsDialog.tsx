// Settings, opened from the top bar: for now the "Mailboxes" section — the support mail accounts
// with their live status and the mail each could not import, and a form to add or edit one. The
// form checks its input with the same schema the main process applies (the contract's), so errors
// show next to their fields; the password or token field is write-only and left empty when editing
// keeps the stored one.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { requests, type MailAccountInput, type MailAccountView } from '../../../shared/contract';
import { t } from '../i18n';
import { messageOf } from '../state/errors';
import { accountStatusLabel, useMailAccountsStore } from '../state/mailAccounts';
import { useMacroEditorStore } from '../state/macroEditor';
import { HubSettings } from './HubSettings';
import { LanguageSection } from './LanguageSection';
import { NotImportedMail } from './NotImportedMail';
import { ChannelConfigSection } from './ChannelConfigSection';
import { TextField } from './TextField';

type Tls = 'tls' | 'starttls' | 'none';

interface FormState {
  id: number | null;
  name: string;
  address: string;
  imapHost: string;
  imapPort: string;
  imapTls: Tls;
  smtpHost: string;
  smtpPort: string;
  smtpTls: Tls;
  username: string;
  auth: 'password' | 'xoauth2';
  secret: string;
  syncDays: string;
  sentCopy: 'append' | 'server';
  archiveOnResolve: boolean;
  archiveFolder: string;
}

const EMPTY: FormState = {
  id: null,
  name: '',
  address: '',
  imapHost: '',
  imapPort: '993',
  imapTls: 'tls',
  smtpHost: '',
  smtpPort: '465',
  smtpTls: 'tls',
  username: '',
  auth: 'password',
  secret: '',
  syncDays: '90',
  sentCopy: 'append',
  archiveOnResolve: true,
  archiveFolder: 'Archive',
};

function fromAccount(a: MailAccountView): FormState {
  return {
    id: a.id,
    name: a.name,
    address: a.address,
    imapHost: a.imap.host,
    imapPort: String(a.imap.port),
    imapTls: a.imap.tls,
    smtpHost: a.smtp?.host ?? '',
    smtpPort: a.smtp ? String(a.smtp.port) : '465',
    smtpTls: a.smtp?.tls ?? 'tls',
    username: a.username,
    auth: a.auth,
    secret: '',
    syncDays: String(a.syncDays),
    sentCopy: a.sentCopy,
    archiveOnResolve: a.archiveOnResolve,
    archiveFolder: a.archiveFolder,
  };
}

const num = (v: string): number => (v.trim() === '' ? NaN : Number(v));

function toInput(f: FormState): MailAccountInput {
  return {
    ...(f.id !== null ? { id: f.id } : {}),
    name: f.name,
    address: f.address,
    imap: { host: f.imapHost, port: num(f.imapPort), tls: f.imapTls },
    smtp: f.smtpHost.trim() === '' ? null : { host: f.smtpHost, port: num(f.smtpPort), tls: f.smtpTls },
    username: f.username,
    auth: f.auth,
    ...(f.secret !== '' ? { secret: f.secret } : {}),
    syncDays: num(f.syncDays),
    sentCopy: f.sentCopy,
    archiveOnResolve: f.archiveOnResolve,
    archiveFolder: f.archiveFolder,
  };
}

/** Contract paths ("imap.port") to the form's fields. */
const FIELD_OF: Record<string, keyof FormState> = {
  name: 'name',
  address: 'address',
  'imap.host': 'imapHost',
  'imap.port': 'imapPort',
  'imap.tls': 'imapTls',
  'smtp.host': 'smtpHost',
  'smtp.port': 'smtpPort',
  'smtp.tls': 'smtpTls',
  username: 'username',
  auth: 'auth',
  secret: 'secret',
  syncDays: 'syncDays',
  sentCopy: 'sentCopy',
  archiveFolder: 'archiveFolder',
};

type Errors = Partial<Record<keyof FormState, string>>;

function validate(f: FormState): Errors {
  const parsed = requests.saveMailAccount.input.safeParse(toInput(f));
  if (parsed.success) return {};
  const errors: Errors = {};
  for (const issue of parsed.error.issues) {
    const field = FIELD_OF[issue.path.join('.')];
    if (field && !errors[field]) errors[field] = issue.message;
  }
  if (Object.keys(errors).length === 0) errors.name = parsed.error.issues[0]?.message ?? t('settings:checkForm');
  return errors;
}

function StatusBadge({ account }: { account: MailAccountView }) {
  const { text, tone } = accountStatusLabel(account);
  return <span className={`mb-status mb-${tone}`}>{text}</span>;
}

/** A field of the mailbox form. */
const Field = TextField<FormState>;

function Select({ label, field, form, onChange, options }: { label: string; field: keyof FormState; form: FormState; onChange: (field: keyof FormState, value: string) => void; options: Array<[string, string]> }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={form[field] as string} onChange={(e) => onChange(field, e.target.value)}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

const tlsOptions = (): Array<[string, string]> => [
  ['tls', 'TLS'],
  ['starttls', 'STARTTLS'],
  ['none', t('settings:tlsNone')],
];

function MailboxForm({ initial, onDone }: { initial: FormState; onDone: () => void }) {
  const [form, setForm] = useState<FormState>(initial);
  const [errors, setErrors] = useState<Errors>({});
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const onChange = (field: keyof FormState, value: string | boolean) => {
    setForm((f) => ({ ...f, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };
  const archiveId = useId();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = validate(form);
    setErrors(found);
    setSaveError(null);
    if (Object.keys(found).length > 0) return;
    setSaving(true);
    try {
      await useMailAccountsStore.getState().save(toInput(form));
      onDone();
    } catch (err) {
      setSaveError(messageOf(err, t('settings:saveFailed')));
    } finally {
      setSaving(false);
    }
  };
  const secretLabel = form.auth === 'xoauth2' ? t('settings:accessToken') : t('settings:password');
  return (
    <form className="mailbox-form" aria-label={form.id === null ? t('settings:addMailbox') : t('settings:editMailbox')} onSubmit={(e) => void submit(e)} noValidate>
      <div className="form-grid">
        <Field label={t('settings:name')} field="name" form={form} errors={errors} onChange={onChange} placeholder={t('settings:namePlaceholder')} />
        <Field label={t('settings:address')} field="address" form={form} errors={errors} onChange={onChange} type="email" placeholder="support@example.com" />
      </div>
      <fieldset>
        <legend>{t('settings:incoming')}</legend>
        <div className="form-grid form-grid-3">
          <Field label={t('settings:imapHost')} field="imapHost" form={form} errors={errors} onChange={onChange} placeholder="imap.gmail.com" />
          <Field label={t('settings:imapPort')} field="imapPort" form={form} errors={errors} onChange={onChange} type="number" />
          <Select label={t('settings:imapTls')} field="imapTls" form={form} onChange={onChange} options={tlsOptions()} />
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('settings:outgoing')}</legend>
        <div className="form-grid form-grid-3">
          <Field label={t('settings:smtpHost')} field="smtpHost" form={form} errors={errors} onChange={onChange} placeholder="smtp.gmail.com" />
          <Field label={t('settings:smtpPort')} field="smtpPort" form={form} errors={errors} onChange={onChange} type="number" />
          <Select label={t('settings:smtpTls')} field="smtpTls" form={form} onChange={onChange} options={tlsOptions()} />
        </div>
      </fieldset>
      <div className="form-grid form-grid-3">
        <Field label={t('settings:username')} field="username" form={form} errors={errors} onChange={onChange} placeholder="support@example.com" />
        <Select
          label={t('settings:signIn')}
          field="auth"
          form={form}
          onChange={onChange}
          options={[
            ['password', t('settings:authPassword')],
            ['xoauth2', t('settings:authOauth')],
          ]}
        />
        <Field
          label={secretLabel}
          field="secret"
          form={form}
          errors={errors}
          onChange={onChange}
          type="password"
          autoComplete="new-password"
          hint={form.id !== null ? t('settings:keepSecret') : t('settings:secretHint')}
        />
      </div>
      <div className="form-grid form-grid-3">
        <Field label={t('settings:syncDays')} field="syncDays" form={form} errors={errors} onChange={onChange} type="number" />
        <Select
          label={t('settings:sentCopies')}
          field="sentCopy"
          form={form}
          onChange={onChange}
          options={[
            ['append', t('settings:sentAppend')],
            ['server', t('settings:sentServer')],
          ]}
        />
      </div>
      <div className="form-grid">
        <label className="field-check" htmlFor={archiveId}>
          <input id={archiveId} type="checkbox" checked={form.archiveOnResolve} onChange={(e) => onChange('archiveOnResolve', e.target.checked)} />
          {t('settings:archiveOnResolve')}
        </label>
        {form.archiveOnResolve && (
          <Field
            label={t('settings:archiveFolder')}
            field="archiveFolder"
            form={form}
            errors={errors}
            onChange={onChange}
            placeholder={t('settings:archivePlaceholder')}
            hint={t('settings:archiveHint')}
          />
        )}
      </div>
      {saveError && (
        <p className="form-error" role="alert">
          {saveError}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="btn" onClick={onDone}>
          {t('common:cancel')}
        </button>
        <button type="submit" className="btn btn-primary" disabled={saving}>
          {saving ? t('settings:saving') : form.id === null ? t('settings:addMailbox') : t('settings:saveMailbox')}
        </button>
      </div>
    </form>
  );
}

function MailboxesSection() {
  const accounts = useMailAccountsStore((s) => s.accounts);
  const status = useMailAccountsStore((s) => s.status);
  const error = useMailAccountsStore((s) => s.error);
  const [editing, setEditing] = useState<FormState | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const headingId = useId();
  useEffect(() => {
    void useMailAccountsStore.getState().load();
  }, []);
  return (
    <section className="settings-section" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('settings:mailboxes')}</h3>
      {status === 'error' && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {accounts.length === 0 && status === 'ready' && <p className="muted">{t('settings:noMailbox')}</p>}
      {accounts.length > 0 && (
        <ul className="mailbox-list" aria-label={t('settings:mailboxes')}>
          {accounts.map((a) => (
            <li key={a.id} className="mailbox-item" aria-label={`${a.name} <${a.address}>`}>
              <div className="mailbox-main">
                <strong>{a.name}</strong> <span className="muted">{a.address}</span>
                <div className="muted small">
                  {a.imap.host}:{a.imap.port} · {a.auth === 'xoauth2' ? t('settings:oauth') : t('settings:passwordWord')}
                  {!a.hasSecret && t('settings:noSecret')}
                </div>
              </div>
              <StatusBadge account={a} />
              <div className="mailbox-actions">
                <button type="button" className="btn" onClick={() => setEditing(fromAccount(a))} aria-label={t('settings:editNamed', { name: a.name })}>
                  {t('settings:edit')}
                </button>
                <button
                  type="button"
                  className="btn"
                  aria-label={t('settings:removeNamed', { name: a.name })}
                  onClick={() => {
                    if (!window.confirm(t('settings:removeConfirm', { address: a.address }))) return;
                    setRemoveError(null);
                    useMailAccountsStore
                      .getState()
                      .remove(a.id)
                      .catch((e: unknown) => setRemoveError(messageOf(e, t('settings:removeFailed'))));
                  }}
                >
                  {t('settings:remove')}
                </button>
              </div>
              <NotImportedMail account={a} />
            </li>
          ))}
        </ul>
      )}
      {removeError && (
        <p className="form-error" role="alert">
          {removeError}
        </p>
      )}
      {editing ? (
        <MailboxForm key={editing.id ?? 'new'} initial={editing} onDone={() => setEditing(null)} />
      ) : (
        <button type="button" className="btn btn-primary" onClick={() => setEditing(EMPTY)}>
          {t('settings:addMailbox')}
        </button>
      )}
    </section>
  );
}

/** Macros are edited in their own dialog; Settings closes for it. */
function MacrosSection({ onOpen }: { onOpen: () => void }) {
  const headingId = useId();
  return (
    <section className="settings-section" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('settings:macros')}</h3>
      <button
        type="button"
        className="btn"
        onClick={() => {
          onOpen();
          useMacroEditorStore.getState().openEditor();
        }}
      >
        {t('settings:manageMacros')}
      </button>
    </section>
  );
}

export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog ref={ref} className="settings-dialog" aria-labelledby={titleId} onClose={onClose} onCancel={onClose}>
      <header className="settings-head">
        <h2 id={titleId}>{t('common:settings')}</h2>
        <button type="button" className="btn" onClick={onClose} aria-label={t('settings:closeSettings')}>
          {t('common:close')}
        </button>
      </header>
      <MailboxesSection />
      <HubSettings />
      <MacrosSection onOpen={onClose} />
      <LanguageSection />
      <ChannelConfigSection onOpen={onClose} />
    </dialog>
  );
}
