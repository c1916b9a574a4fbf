// Settings → Team hub: which hub the desktop uses (the built-in one, with its chat widget demo, or a
// team hub with the user signed in and the link's state), a sign-in form for a team hub and the way
// back to the built-in hub. The form checks its input with the contract's schema so errors show
// next to their fields; a refusal shows the main process's sentence. The password is write-only.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { HubSignInInput, type HubSettingsView, type HubStatusView } from '../../../shared/contractHub';
import { messageOf } from '../state/errors';
import { selectHubSettings, selectHubStatus, useHubStore } from '../state/hub';
import { TextField } from './TextField';

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

const STATE_TONE: Record<HubStatusView['state'], { text: string; tone: 'ok' | 'busy' | 'error' }> = {
  online: { text: 'Online', tone: 'ok' },
  connecting: { text: 'Connecting', tone: 'busy' },
  offline: { text: 'Offline', tone: 'error' },
};

/** A field of the sign-in form. */
const HubField = TextField<HubForm>;

/** What the desktop is linked to now, in a sentence or two. */
function CurrentHub({ settings, status }: { settings: HubSettingsView; status: HubStatusView }) {
  const badge = STATE_TONE[status.state];
  return (
    <div className="mailbox-item" role="group" aria-label="Current hub">
      <div className="mailbox-main">
        {settings.mode === 'team' ? (
          <>
            <strong>Team hub</strong> <span className="muted">{settings.url}</span>
            <div className="muted small">
              {status.state === 'online' ? `Signed in as ${settings.username}` : `User name ${settings.username}`}
              {status.state === 'online' && status.agent && status.agent.displayName !== settings.username ? ` (${status.agent.displayName})` : ''}
              {!settings.passwordStored && ' · no password stored: sign in again'}
            </div>
          </>
        ) : settings.mode === 'embedded' ? (
          <>
            <strong>Built-in hub</strong> <span className="muted">runs inside this desktop</span>
            {status.widgetDemoUrl && (
              <div className="muted small">
                Chat widget demo (a customer&apos;s side of a chat):{' '}
                <a href={status.widgetDemoUrl} target="_blank" rel="noreferrer">
                  {status.widgetDemoUrl}
                </a>
              </div>
            )}
          </>
        ) : (
          <strong>No hub</strong>
        )}
        <div className="muted small">{status.detail}</div>
        {settings.source === 'config' && settings.mode !== 'none' && <div className="muted small">From the configuration; signing in here overrides it.</div>}
      </div>
      <span className={`mb-status mb-${badge.tone}`}>{badge.text}</span>
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
      setDone(`Signed in to the team hub at ${next.url ?? form.url} as ${next.username ?? form.username}.`);
    } catch (err) {
      setFailure(messageOf(err, 'The sign-in did not work; nothing was changed.'));
    }
  };

  const builtIn = async () => {
    setFailure(null);
    setDone(null);
    setErrors({});
    try {
      await useHubStore.getState().switchToBuiltInHub();
      setDraft({});
      setDone('This desktop uses the built-in hub again; the team hub password was forgotten.');
    } catch (err) {
      setFailure(messageOf(err, 'The built-in hub could not be started; nothing was changed.'));
    }
  };

  const status = liveStatus ?? settings?.status ?? null;
  const locked = settings !== null && !settings.switchable;
  return (
    <section className="settings-section" aria-labelledby={headingId}>
      <h3 id={headingId}>Team hub</h3>
      {loadError && (
        <p className="form-error" role="alert">
          {loadError}
        </p>
      )}
      {settings && status && <CurrentHub settings={settings} status={status} />}
      {locked && <p className="muted">This desktop was started with a fixed hub; it cannot be changed here.</p>}
      <form className="mailbox-form" aria-label="Sign in to a team hub" onSubmit={(e) => void signIn(e)} noValidate>
        <div className="form-grid form-grid-3">
          <HubField label="Hub address" field="url" form={form} errors={errors} onChange={onChange} type="url" placeholder="https://hub.example.com" />
          <HubField label="Hub user name" field="username" form={form} errors={errors} onChange={onChange} autoComplete="username" />
          <HubField
            label="Hub password"
            field="password"
            form={form}
            errors={errors}
            onChange={onChange}
            type="password"
            autoComplete="current-password"
            hint="Kept in the OS keychain or the encrypted secrets file, never in the database."
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
            {switching === 'builtIn' ? 'Starting the built-in hub…' : 'Use the built-in hub'}
          </button>
          <button type="submit" className="btn btn-primary" disabled={locked || switching !== null}>
            {switching === 'signIn' ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
    </section>
  );
}
