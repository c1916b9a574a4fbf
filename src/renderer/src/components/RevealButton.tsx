// Under a masked message: what was hidden ("Masked card number"), and for supervisors and admins a
// Reveal button that asks why (the reason is audited) and then shows the raw text of that event.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TimelineEvent } from '../../../shared/domain';
import { maskedKinds } from '../../../shared/privacy/maskRecords';
import { piiLabel } from '../labels';
import { getApi } from '../api';
import { useSessionStore } from '../state/session';
import { PrivacyDialog } from './PrivacyDialog';
import './privacy.css';

export function MaskedNotice({ event, onRevealed }: { event: TimelineEvent; onRevealed(body: string): void }) {
  const kinds = maskedKinds(event);
  const role = useSessionStore((s) => s.info?.agent.role ?? null);
  const [asking, setAsking] = useState(false);
  const { t } = useTranslation('privacy');
  if (kinds.length === 0) return null;
  const allowed = role === 'supervisor' || role === 'admin';
  return (
    <div className="pii-row">
      {kinds.map((k) => (
        <span key={k} className="pii-badge">
          {t('masked', { kind: piiLabel(k) })}
        </span>
      ))}
      {allowed && (
        <button type="button" className="btn btn-small" onClick={() => setAsking(true)} aria-label={t('revealLabel', { author: event.authorName })}>
          {t('reveal')}
        </button>
      )}
      {asking && (
        <PrivacyDialog
          title={t('revealTitle')}
          intro={<p>{t('revealIntro')}</p>}
          label={t('reason')}
          multiline
          confirmLabel={t('reveal')}
          ready={(v) => v.trim().length >= 3}
          onConfirm={async (reason) => {
            const revealed = await getApi().revealEvent({ eventId: event.id, reason });
            onRevealed(revealed.body);
          }}
          onClose={() => setAsking(false)}
        />
      )}
    </div>
  );
}

export function RevealedBody({ body }: { body: string }) {
  const { t } = useTranslation('privacy');
  return (
    <div className="pii-revealed" role="note" aria-label={t('revealed')}>
      {body}
    </div>
  );
}
