// Settings → Language: the workspace's strings, dates and numbers switch at once, no restart; the
// native date and time pickers follow Chromium's language (the app: after a restart; a browser: its own).
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLocale, isLocale, LOCALES, setLocale } from '../i18n';
import { rememberLanguage, selectMode, useSessionStore } from '../state/session';

export function LanguageSection() {
  const { t } = useTranslation(['common', 'locale']);
  const mode = useSessionStore(selectMode);
  const headingId = useId();
  const selectId = useId();
  const hintId = useId();
  return (
    <section className="settings-section" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('language')}</h3>
      <div className="field language-field">
        <label htmlFor={selectId}>{t('language')}</label>
        <select
        id={selectId}
        aria-describedby={hintId}
        value={currentLocale()}
        onChange={(e) => {
          if (!isLocale(e.target.value)) return;
          setLocale(e.target.value);
          rememberLanguage();
        }}
      >
        {LOCALES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
        </select>
      </div>
      <p id={hintId} className="field-hint">
        {t('languageHint')} {mode === 'electron' ? t('locale:pickersAfterRestart') : t('locale:pickersBrowser')}
      </p>
    </section>
  );
}
