// "Export data" and "Erase customer…" in the profile pane. The export arrives as text and is offered
// as a download (a Blob behind a temporary link; the page does not navigate). Erase is for admins and
// asks for the customer's name.
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { CustomerProfile } from '../../../shared/domain';
import { getApi } from '../api';
import { useConversationStore } from '../state/conversation';
import { useCustomerStore } from '../state/customer';
import { messageOf } from '../state/errors';
import { storedSentenceOf } from '../serverErrors';
import { useSessionStore } from '../state/session';
import { PrivacyDialog } from './PrivacyDialog';
import './privacy.css';

function download(fileName: string, mimeType: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function PrivacyActions({ profile }: { profile: CustomerProfile }) {
  const role = useSessionStore((s) => s.info?.agent.role ?? null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [erasing, setErasing] = useState(false);
  const { t } = useTranslation('privacy');

  const exportData = async (format: 'csv' | 'json') => {
    setError(null);
    setStatus(t('preparing'));
    try {
      const out = await getApi().exportCustomer({ customerId: profile.id, format });
      download(out.fileName, out.mimeType, out.content);
      const notes = out.excluded.map((x) => x.note).join(' ');
      setStatus(notes ? t('exportedExcluded', { count: out.events, notes }) : t('exported', { count: out.events }));
    } catch (e) {
      setStatus(null);
      setError(messageOf(e, t('exportFailed')));
    }
  };

  return (
    <section className="profile-section" aria-label={t('section')}>
      <h3>{t('section')}</h3>
      <div className="privacy-actions">
        <button type="button" className="btn btn-small" onClick={() => void exportData('csv')}>
          {t('exportData')}
        </button>
        <button type="button" className="btn btn-small" onClick={() => void exportData('json')} aria-label={t('exportJson')}>
          {t('json')}
        </button>
        {role === 'admin' && (
          <button type="button" className="btn btn-small btn-danger" onClick={() => setErasing(true)}>
            {t('erase')}
          </button>
        )}
      </div>
      {status && (
        <p className="muted" role="status">
          {status}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {erasing && (
        <PrivacyDialog
          title={t('eraseTitle', { name: profile.name })}
          intro={
            <p>
              <Trans t={t} i18nKey="eraseIntro" values={{ name: profile.name }} components={{ strong: <strong /> }} />
            </p>
          }
          label={t('eraseName')}
          confirmLabel={t('eraseConfirm')}
          danger
          ready={(v) => v.trim() === profile.name.trim()}
          onConfirm={async (confirm) => {
            const result = await getApi().eraseCustomer({ customerId: profile.id, confirm });
            useCustomerStore.getState().clear();
            useConversationStore.getState().close();
            setStatus(t('erased', { detail: storedSentenceOf(result.hub.detail, result.hubText) }));
          }}
          onClose={() => setErasing(false)}
        />
      )}
    </section>
  );
}
