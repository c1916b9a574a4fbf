// The channel the engines suggest for a case ("This is complex — would you prefer a phone call?")
// as a one-click "Offer Phone" button: it puts a polite offer, written for the channel the reply goes
// out on, into the composer, where the agent can edit it before sending.
import { useTranslation } from 'react-i18next';
import { channelOfferText } from '../../../shared/contractKb';
import type { Channel } from '../../../shared/domain';
import { channelLabel } from '../labels';
import { selectDraft, useComposerStore } from '../state/composer';
import { selectOpenCaseId, useConversationStore } from '../state/conversation';
import { selectProfile, useCustomerStore } from '../state/customer';
import { insertIntoReply } from '../state/kb';
import { useOpenCaseMeta } from './useOpenCaseMeta';

export function SuggestedChannelOffer({ channel, reason, prompt }: { channel: Channel; reason: string; prompt: string }) {
  const caseId = useConversationStore(selectOpenCaseId);
  const meta = useOpenCaseMeta();
  const draft = useComposerStore(selectDraft(caseId));
  const profile = useCustomerStore(selectProfile);
  const { t } = useTranslation('conversation');
  if (caseId === null || !meta || meta.status === 'resolved' || meta.status === 'closed') return null;
  const via = draft.channel ?? meta.channel;
  const firstName = profile?.name.split(/\s+/)[0] ?? null;
  return (
    <button
      type="button"
      className="btn btn-small channel-offer"
      title={t('offerChannelHint', { channel: channelLabel(channel), reason })}
      onClick={() => {
        const at = insertIntoReply(caseId, channelOfferText(channel, via, firstName, prompt));
        const reply = document.querySelector<HTMLTextAreaElement>('textarea.composer-input');
        if (reply) {
          reply.focus();
          requestAnimationFrame(() => reply.setSelectionRange(at, at));
        }
      }}
    >
      {t('offerChannel', { channel: channelLabel(channel) })}
    </button>
  );
}
