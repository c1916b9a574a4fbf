// The bell's slice: notifications from the team ("Ann Lee mentioned you on case #12"), newest first,
// and the unread count. Loaded when the bell mounts; `notificationsChanged` makes it read again.
import { create } from 'zustand';
import type { NotificationView } from '../../../shared/contractHub';
import { t } from '../i18n';
import { messageOf } from './errors';
import { hubApi } from './hub';

export interface NotificationsState {
  items: NotificationView[];
  unread: number;
  error: string | null;
  load(): Promise<void>;
  markRead(ids: number[]): Promise<void>;
}

export const useNotificationsStore = create<NotificationsState>()((set) => ({
  items: [],
  unread: 0,
  error: null,
  async load() {
    try {
      const { items, unread } = await hubApi().notifications({});
      set({ items, unread, error: null });
    } catch (e) {
      set({ error: messageOf(e, t('errors:notifications')) });
    }
  },
  async markRead(ids) {
    if (ids.length === 0) return;
    set((s) => ({ items: s.items.map((n) => (ids.includes(n.id) ? { ...n, read: true } : n)) }));
    try {
      const { unread } = await hubApi().markNotificationsRead({ ids });
      set({ unread });
    } catch (e) {
      set({ error: messageOf(e, t('errors:markRead')) });
    }
  },
}));

/** Wires the event and loads the list; returns the stop. */
export function startNotifications(): () => void {
  const stop = hubApi().on('notificationsChanged', () => void useNotificationsStore.getState().load());
  void useNotificationsStore.getState().load();
  return stop;
}

/** "Ann Lee mentioned you on case #12". */
export function notificationText(n: NotificationView): string {
  return t('shell:mentioned', { by: n.by, caseId: n.caseId });
}
