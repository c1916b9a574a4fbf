// The HTML and attachments of fetched emails, loaded once per timeline event when its row is shown
// (which also marks the mail \Seen on the server), and the "Show images from sender" choice.
import { create } from 'zustand';
import type { EmailContent } from '../../../shared/contract';
import { getApi } from '../api';

export type EmailEntry = { state: 'loading' } | { state: 'ready'; content: EmailContent | null } | { state: 'error' };

export interface EmailContentState {
  byEvent: Record<number, EmailEntry>;
  load(eventId: number): Promise<void>;
  allowRemote(sender: string): Promise<void>;
}

export const useEmailContentStore = create<EmailContentState>()((set, get) => ({
  byEvent: {},
  async load(eventId) {
    if (get().byEvent[eventId]) return;
    set({ byEvent: { ...get().byEvent, [eventId]: { state: 'loading' } } });
    try {
      const content = await getApi().emailContent({ eventId });
      set({ byEvent: { ...get().byEvent, [eventId]: { state: 'ready', content } } });
    } catch {
      set({ byEvent: { ...get().byEvent, [eventId]: { state: 'error' } } });
    }
  },
  async allowRemote(sender) {
    await getApi().allowRemoteContent({ sender });
    const next: Record<number, EmailEntry> = {};
    for (const [id, entry] of Object.entries(get().byEvent)) {
      next[Number(id)] =
        entry.state === 'ready' && entry.content?.sender === sender ? { state: 'ready', content: { ...entry.content, remoteContentAllowed: true } } : entry;
    }
    set({ byEvent: next });
  },
}));
