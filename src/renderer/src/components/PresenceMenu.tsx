// The agent's presence for routing (Available takes offers; Busy, Away and the rest stop them), as
// a labelled select in the top bar. Disabled while the hub is not connected, with the reason.
import { useId } from 'react';
import { PRESENCES, type Presence } from '../../../shared/contractHub';
import { t } from '../i18n';
import { presenceLabel } from '../labels';
import { selectHubStatus, useHubStore } from '../state/hub';
import { storedSentenceOf } from '../serverErrors';

export function PresenceMenu() {
  const id = useId();
  const status = useHubStore(selectHubStatus);
  const error = useHubStore((s) => s.presenceError);
  if (!status) return null;
  const online = status.state === 'online';
  return (
    <div className="presence-menu">
      <label htmlFor={id}>{t('shell:status')}</label>
      <select
        id={id}
        value={status.presence ?? ''}
        disabled={!online}
        title={online ? undefined : storedSentenceOf(status.detail, status.detailText)}
        onChange={(e) => void useHubStore.getState().setPresence(e.target.value as Presence)}
      >
        {status.presence === null && (
          <option value="" disabled>
            {t('shell:choose')}
          </option>
        )}
        {PRESENCES.map((p) => (
          <option key={p} value={p}>
            {presenceLabel(p)}
          </option>
        ))}
      </select>
      {error && (
        <span className="presence-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
