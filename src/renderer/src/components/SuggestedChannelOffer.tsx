// The channel the engines suggest for a case ("This is complex — would you prefer a phone call?")
// as a one-click "Offer Phone" button: it puts a polite offer, written for the channel the reply goes
// out on, into the composer, where the agent can edit it before sending.
import { channelOfferText } from '../../../shared/contractKb';
import { CHANNEL_LABELS, type Channel } from '../../../shared/domain';
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
  if (caseId === null || !meta || meta.status === 'resolved' || meta.status === 'closed') return null;
  const via = draft.channel ?? meta.channel;
  const firstName = profile?.name.split(/\s+/)[0] ?? null;
  return (
    <button
      type="button"
      className="btn btn-small channel-offer"
      title={`Puts an offer of ${CHANNEL_LABELS[channel]} in the reply (${reason}); edit it before sending.`}
      onClick={() => {
        const at = insertIntoReply(caseId, channelOfferText(channel, via, firstName, prompt));
        const reply = document.querySelector<HTMLTextAreaElement>('textarea.composer-input');
        if (reply) {
          reply.focus();
          requestAnimationFrame(() => reply.setSelectionRange(at, at));
        }
      }}
    >
      Offer {CHANNEL_LABELS[channel]}
    </button>
  );
}
