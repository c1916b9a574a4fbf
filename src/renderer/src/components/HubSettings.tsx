// Settings → Team hub: which hub the desktop uses (the built-in one, with its chat widget demo, or a
// team hub with the user signed in and the link's state), a sign-in form for a team hub and the way
// back to the built-in hub. The form checks its input with the contract's schema so errors show
// next to their fields; a refusal shows the main process's sentence. The password is write-only.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { HubSignInInput, type HubSettingsView, type HubStatusView } from '../../../shared/contractHub';
import { t } from '../i18n';
import { messageOf } from '../state/errors';
import { selectHubSettings, selectHubStatus, useHubStore } from '../state/hub';
import { TextField } from './TextField';
import { storedSentenceOf } from '../serverErrors';

interface HubForm {
  url: string;
  username: string;
  password: string;
}
type HubFormErrors = Partial<Record<keyof HubForm, string>>;

function validate(form: HubForm): HubFormErrors {
  const parsed = HubSignInInput.safeParse(form);
  if (parsed.success) return {};
  const errors: HubFormErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if ((field === 'url' || field === 'username' || field === 'password') && !errors[field]) errors[field] = issue.message;
  }
  return errors;
}

const STATE_TONE: Record<HubStatusView['state'], 'ok' | 'busy' | 'error'> = { online: 'ok', connecting: 'busy', offline: 'error' };

/** A field of the sign-in form. */
const HubField = TextField<HubForm>;

/** What the desktop is linked to now, in a sentence or two. */
function CurrentHub({ settings, status }: { settings: HubSettingsView; status: HubStatusView }) {
  const tone = STATE_TONE[status.state];
  return (
    <div className="mailbox-item" role="group" aria-label={t('settings:hub.current')}>
      <div className="mailbox-main">
        {settings.mode === 'team' ? (
          <>
            <strong>{t('settings:hub.team')}</strong> <span className="muted">{settings.url}</span>
            <div className="muted small">
              {status.state === 'online' ? t('settings:hub.signedInAs', { name: settings.username }) : t('settings:hub.userName', { name: settings.username })}
              {status.state === 'online' && status.agent && status.agent.displayName !== settings.username ? t('settings:hub.agentName', { name: status.agent.displayName }) : ''}
              {!settings.passwordStored && t('settings:hub.noPassword')}
            </div>
          </>
        ) : settings.mode === 'embedded' ? (
          <>
            <strong>{t('settings:hub.builtIn')}</strong> <span className="muted">{t('settings:hub.builtInHint')}</span>
            {status.widgetDemoUrl && (
              <div className="muted small">
                {t('settings:hub.widgetDemo')}{' '}
                <a href={status.widgetDemoUrl} target="_blank" rel="noreferrer">
                  {status.widgetDemoUrl}
                </a>
              </div>
            )}
          </>
        ) : (
          <strong>{t('settings:hub.none')}</strong>
        )}
        <div className="muted small">{storedSentenceOf(status.detail, status.detailText)}</div>
        {settings.source === 'config' && settings.mode !== 'none' && <div className="muted small">{t('settings:hub.fromConfig')}</div>}
      </div>
      <span className={`mb-status mb-${tone}`}>{t(`settings:hub.state.${status.state}`)}</span>
    </div>
  );
}

export function HubSettings() {
  const settings = useHubStore(selectHubSettings);
  const liveStatus = useHubStore(selectHubStatus);
  const loadError = useHubStore((s) => s.hubSettingsError);
  const switching = useHubStore((s) => s.switchingHub);
  // What the agent typed; untouched fields show the team hub in use (a new password is all a re-sign-in needs).
  const [draft, setDraft] = useState<Partial<HubForm>>({});
  const [errors, setErrors] = useState<HubFormErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const headingId = useId();

  useEffect(() => {
    void useHubStore.getState().loadHubSettings();
  }, []);
  const team = settings?.mode === 'team';
  const form: HubForm = { url: team ? (settings.url ?? '') : '', username: team ? (settings.username ?? '') : '', password: '', ...draft };

  const onChange = (field: keyof HubForm, value: string) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const signIn = async (e: FormEvent) => {
    e.preventDefault();
    const found = validate(form);
    setErrors(found);
    setFailure(null);
    setDone(null);
    if (Object.keys(found).length > 0) return;
    try {
      const next = await useHubStore.getState().signInToHub(form);
      setDraft({});
      setDone(t('settings:hub.signedIn', { url: next.url ?? form.url, name: next.username ?? form.username }));
    } catch (err) {
      setFailure(messageOf(err, t('settings:hub.signInFailed')));
    }
  };

  const builtIn = async () => {
    setFailure(null);
    setDone(null);
    setErrors({});
    try {
      await useHubStore.getState().switchToBuiltInHub();
      setDraft({});
      setDone(t('settings:hub.backToBuiltIn'));
    } catch (err) {
      setFailure(messageOf(err, t('settings:hub.builtInFailed')));
    }
  };

  const status = liveStatus ?? settings?.status ?? null;
  const locked = settings !== null && !settings.switchable;
  return (
    <section className="settings-section" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('settings:hub.team')}</h3>
      {loadError && (
        <p className="form-error" role="alert">
          {loadError}
        </p>
      )}
      {settings && status && <CurrentHub settings={settings} status={status} />}
      {locked && <p className="muted">{t('settings:hub.locked')}</p>}
      <form className="mailbox-form" aria-label={t('settings:hub.signInForm')} onSubmit={(e) => void signIn(e)} noValidate>
        <div className="form-grid form-grid-3">
          <HubField label={t('settings:hub.address')} field="url" form={form} errors={errors} onChange={onChange} type="url" placeholder="https://hub.example.com" />
          <HubField label={t('settings:hub.username')} field="username" form={form} errors={errors} onChange={onChange} autoComplete="username" />
          <HubField
            label={t('settings:hub.password')}
            field="password"
            form={form}
            errors={errors}
            onChange={onChange}
            type="password"
            autoComplete="current-password"
            hint={t('settings:secretHint')}
          />
        </div>
        {failure && (
          <p className="form-error" role="alert">
            {failure}
          </p>
        )}
        {done && (
          <p className="muted" role="status">
            {done}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="btn" disabled={locked || switching !== null || settings?.mode === 'embedded'} onClick={() => void builtIn()}>
            {switching === 'builtIn' ? t('settings:hub.starting') : t('settings:hub.useBuiltIn')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={locked || switching !== null}>
            {switching === 'signIn' ? t('settings:hub.signingIn') : t('settings:hub.signIn')}
          </button>
        </div>
      </form>
    </section>
  );
}
