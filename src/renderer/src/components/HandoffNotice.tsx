// Under the composer: what the channel configuration's handoff rule will add when the reply leaves on
// another channel than the customer's last one (the chat transcript on an email, the public post as a
// note). Asked from main for the case and channel picked, again when the matrix or the case changes;
// nothing is shown when no rule applies.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HandoffPlan } from '../../../shared/contractHandoff';
import type { Channel } from '../../../shared/domain';
import { getApi } from '../api';
import { useConversationStore } from '../state/conversation';

export function HandoffNotice({ caseId, channel }: { caseId: number; channel: Channel }) {
  const { t } = useTranslation('handoff');
  const [plan, setPlan] = useState<HandoffPlan | null>(null);
  const [matrixSeen, setMatrixSeen] = useState(0);
  // A new customer message on the case can change the channel they last used.
  const events = useConversationStore((s) => s.events.length);

  useEffect(() => getApi().on('channelConfigChanged', () => setMatrixSeen((n) => n + 1)), []);
  useEffect(() => {
    let live = true;
    getApi()
      .handoffPlan({ caseId, channel })
      .then((p) => live && setPlan(p))
      .catch(() => live && setPlan(null));
    return () => {
      live = false;
    };
  }, [caseId, channel, matrixSeen, events]);

  if (!plan || plan.caseId !== caseId || plan.to !== channel || !plan.rule || plan.rule.to === 'escalation') return null;
  const rule = t('rule', { from: t(`pattern.${plan.rule.from}`), to: t(`pattern.${plan.rule.to}`) });
  const from = t(`pattern.${plan.from}`);
  if (plan.kind === 'full_transcript') {
    return (
      <p className="composer-notice composer-handoff" role="status">
        {t('transcript', { channel: from, rule })}
      </p>
    );
  }
  if (plan.kind === 'public_context') {
    return (
      <p className="composer-notice composer-handoff" role="status">
        {t('publicContext', { channel: from, rule })}
      </p>
    );
  }
  return null;
}
