// Settings → Language: the workspace's strings, dates and numbers switch at once, no restart.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLocale, isLocale, LOCALES, setLocale } from '../i18n';

export function LanguageSection() {
  const { t } = useTranslation();
  const headingId = useId();
  const selectId = useId();
  const hintId = useId();
  return (
    <section className="settings-section" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('language')}</h3>
      <label htmlFor={selectId}>{t('language')}</label>
      <select
        id={selectId}
        aria-describedby={hintId}
        value={currentLocale()}
        onChange={(e) => {
          if (isLocale(e.target.value)) setLocale(e.target.value);
        }}
      >
        {LOCALES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
      <p id={hintId} className="field-hint">
        {t('languageHint')}
      </p>
    </section>
  );
}
