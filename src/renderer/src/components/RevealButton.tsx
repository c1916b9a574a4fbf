// Under a masked message: what was hidden ("Masked card number"), and for supervisors and admins a
// Reveal button that asks why (the reason is audited) and then shows the raw text of that event.
import { useState } from 'react';
import type { TimelineEvent } from '../../../shared/domain';
import { maskedKinds } from '../../../shared/privacy/maskRecords';
import { PII_LABELS } from '../../../shared/privacy/masking';
import { getApi } from '../api';
import { useSessionStore } from '../state/session';
import { PrivacyDialog } from './PrivacyDialog';
import './privacy.css';

export function MaskedNotice({ event, onRevealed }: { event: TimelineEvent; onRevealed(body: string): void }) {
  const kinds = maskedKinds(event);
  const role = useSessionStore((s) => s.info?.agent.role ?? null);
  const [asking, setAsking] = useState(false);
  if (kinds.length === 0) return null;
  const allowed = role === 'supervisor' || role === 'admin';
  return (
    <div className="pii-row">
      {kinds.map((k) => (
        <span key={k} className="pii-badge">
          Masked {PII_LABELS[k]}
        </span>
      ))}
      {allowed && (
        <button type="button" className="btn btn-small" onClick={() => setAsking(true)} aria-label={`Reveal the masked text of this message from ${event.authorName}`}>
          Reveal
        </button>
      )}
      {asking && (
        <PrivacyDialog
          title="Reveal masked text"
          intro={<p>The unmasked text is shown to you only, and the reveal is recorded in the privacy audit with your reason.</p>}
          label="Reason"
          multiline
          confirmLabel="Reveal"
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
  return (
    <div className="pii-revealed" role="note" aria-label="Revealed text">
      {body}
    </div>
  );
}
