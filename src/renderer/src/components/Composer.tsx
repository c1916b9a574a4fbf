// The reply box under the timeline: text, the channel to answer on (the case's own by default),
// Send (or Ctrl/Cmd+Enter). The sent reply shows up in the timeline through its event.
import { useId, type KeyboardEvent } from 'react';
import { CHANNEL_LABELS, type Channel } from '../../../shared/domain';
import { selectDraft, useComposerStore } from '../state/composer';
import { selectOpenCaseId, useConversationStore } from '../state/conversation';
import { selectProfile, useCustomerStore } from '../state/customer';
import { useOpenCaseMeta } from './useOpenCaseMeta';

/** Channels a text reply can go out on. */
const NOT_FOR_REPLIES: ReadonlySet<Channel> = new Set<Channel>(['phone']);

function replyChannels(caseChannel: Channel, used: readonly Channel[], preferred: Channel | null): Channel[] {
  const out: Channel[] = [caseChannel];
  for (const c of [preferred, ...used]) if (c && !out.includes(c) && !NOT_FOR_REPLIES.has(c)) out.push(c);
  return out;
}

const SEND_SHORTCUT = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘+Enter' : 'Ctrl+Enter';

export function Composer() {
  const caseId = useConversationStore(selectOpenCaseId);
  const meta = useOpenCaseMeta();
  const draft = useComposerStore(selectDraft(caseId));
  const profile = useCustomerStore(selectProfile);
  const errorId = useId();
  const hintId = useId();

  if (caseId === null || !meta) {
    return (
      <div className="composer composer-disabled">
        <p>This customer has no open case to reply on.</p>
      </div>
    );
  }

  const channel = draft.channel ?? meta.channel;
  const channels = replyChannels(meta.channel, profile?.channelsUsed.map((c) => c.channel) ?? [], profile?.preferredChannel ?? null);
  const firstName = profile?.name.split(/\s+/)[0];
  const send = () => void useComposerStore.getState().send(caseId, meta.channel);

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      send();
    }
  };

  return (
    <form
      className="composer"
      aria-label="Reply composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <textarea
        className="composer-input"
        aria-label="Reply"
        aria-describedby={draft.error ? `${errorId} ${hintId}` : hintId}
        aria-invalid={draft.error ? true : undefined}
        placeholder={`Reply to ${firstName ?? 'the customer'} via ${CHANNEL_LABELS[channel]}…`}
        rows={3}
        value={draft.body}
        onChange={(e) => useComposerStore.getState().setBody(caseId, e.target.value)}
        onKeyDown={onKeyDown}
      />
      {draft.error && (
        <p id={errorId} className="composer-error" role="alert">
          {draft.error}
        </p>
      )}
      <div className="composer-bar">
        <label className="composer-channel">
          <span>Reply via</span>
          <select aria-label="Channel" value={channel} onChange={(e) => useComposerStore.getState().setChannel(caseId, e.target.value as Channel)}>
            {channels.map((c) => (
              <option key={c} value={c}>
                {CHANNEL_LABELS[c]}
              </option>
            ))}
          </select>
        </label>
        <span id={hintId} className="composer-hint">
          {SEND_SHORTCUT} to send
        </span>
        <button type="submit" className="btn btn-primary" disabled={draft.sending || !draft.body.trim()}>
          {draft.sending ? 'Sending…' : 'Send'}
        </button>
      </div>
    </form>
  );
}
