// The composer slice: one draft per case (switching conversations keeps what was typed), the
// channel picked for it, and the idempotency key that makes a retried send store one reply.
import { create } from 'zustand';
import type { Channel, TimelineEvent } from '../../../shared/domain';
import { getApi } from '../api';
import { newIdempotencyKey } from '../ids';
import { useConversationStore } from './conversation';
import { messageOf } from './errors';

export interface Draft {
  body: string;
  /** Null: the case's own channel. */
  channel: Channel | null;
  /** The key of the last attempt and what it was for; a retry of the same text reuses it. */
  key: string | null;
  keyFor: string | null;
  sending: boolean;
  error: string | null;
}

export const EMPTY_DRAFT: Draft = Object.freeze({ body: '', channel: null, key: null, keyFor: null, sending: false, error: null });

export interface ComposerState {
  drafts: Record<number, Draft>;
  setBody(caseId: number, body: string): void;
  setChannel(caseId: number, channel: Channel): void;
  /** Sends the draft of `caseId` on its channel (or `caseChannel`); true when it was stored. */
  send(caseId: number, caseChannel: Channel): Promise<boolean>;
}

/** The idempotency key for an attempt: the previous one while the same text goes to the same channel. */
export function keyForAttempt(draft: Draft, channel: Channel, makeKey: () => string = newIdempotencyKey): { key: string; keyFor: string } {
  const keyFor = `${channel}\n${draft.body.trim()}`;
  return draft.key && draft.keyFor === keyFor ? { key: draft.key, keyFor } : { key: makeKey(), keyFor };
}

export const useComposerStore = create<ComposerState>()((set, get) => {
  const patch = (caseId: number, change: Partial<Draft>) =>
    set((s) => ({ drafts: { ...s.drafts, [caseId]: { ...(s.drafts[caseId] ?? EMPTY_DRAFT), ...change } } }));

  return {
    drafts: {},
    setBody: (caseId, body) => patch(caseId, { body }),
    setChannel: (caseId, channel) => patch(caseId, { channel }),

    async send(caseId, caseChannel) {
      const draft = get().drafts[caseId] ?? EMPTY_DRAFT;
      if (draft.sending) return false;
      if (!draft.body.trim()) {
        patch(caseId, { error: 'Write a reply before sending.' });
        return false;
      }
      const channel = draft.channel ?? caseChannel;
      const { key, keyFor } = keyForAttempt(draft, channel);
      patch(caseId, { key, keyFor, sending: true, error: null });
      let event: TimelineEvent;
      try {
        event = await getApi().sendReply({ caseId, channel, body: draft.body, idempotencyKey: key });
      } catch (e) {
        patch(caseId, { sending: false, error: messageOf(e, 'The reply could not be sent; try again.') });
        return false;
      }
      // The timelineAppended event brings it too; applying the answer covers a missed event.
      useConversationStore.getState().applyAppended(event);
      useConversationStore.getState().follow();
      const current = get().drafts[caseId] ?? EMPTY_DRAFT;
      // Text typed while the reply was on its way stays as the next draft.
      const rest = current.body === draft.body ? '' : current.body;
      patch(caseId, { body: rest, key: null, keyFor: null, sending: false, error: null });
      return true;
    },
  };
});

export const selectDraft = (caseId: number | null) => (s: ComposerState) => (caseId === null ? EMPTY_DRAFT : (s.drafts[caseId] ?? EMPTY_DRAFT));
