// Settings' entry to the channel configuration (admins only); Settings closes for the screen.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useChannelConfigStore, useIsAdmin } from '../state/channelConfig';

export function ChannelConfigSection({ onOpen }: { onOpen: () => void }) {
  const { t } = useTranslation('channelConfig');
  const headingId = useId();
  const hintId = useId();
  if (!useIsAdmin()) return null;
  return (
    <section className="settings-section" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('title')}</h3>
      <p id={hintId} className="field-hint">
        {t('settingsHint')}
      </p>
      <button
        type="button"
        className="btn"
        aria-describedby={hintId}
        onClick={() => {
          onOpen();
          useChannelConfigStore.getState().openScreen();
        }}
      >
        {t('open')}
      </button>
    </section>
  );
}
