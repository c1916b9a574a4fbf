// Who else is on this conversation, for its header: "Sam is viewing", "Sam is typing…", and when the
// customer is typing. Mounting it tells the hub this agent is viewing the case (and leaving it, not).
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { collisionText, selectViewers, useHubStore } from '../state/hub';

export function CollisionBadge({ caseId }: { caseId: number }) {
  const viewers = useHubStore(selectViewers(caseId));
  const customerTyping = useHubStore((s) => s.customerTyping[caseId] === true);
  useEffect(() => {
    const hub = useHubStore.getState();
    hub.viewing(caseId);
    void hub.loadCollision(caseId);
    return () => useHubStore.getState().viewing(null);
  }, [caseId]);
  const { t } = useTranslation('conversation');
  const text = collisionText(viewers);
  return (
    <span className="collision" role="status">
      {text && <span className={`badge collision-badge${viewers.some((v) => v.typing) ? ' collision-typing' : ''}`}>{text}</span>}
      {customerTyping && <span className="badge badge-muted">{t('customerTyping')}</span>}
    </span>
  );
}
