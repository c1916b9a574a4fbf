// The customer slice: the open customer's profile for the sidebar.
import { create } from 'zustand';
import type { CustomerProfile } from '../../../shared/domain';
import { getApi } from '../api';
import { t } from '../i18n';
import { messageOf } from './errors';

export interface CustomerState {
  customerId: number | null;
  profile: CustomerProfile | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  load(customerId: number): Promise<CustomerProfile | null>;
  /** Re-reads the open profile in place (counts and open cases move as the queue does). */
  reload(): Promise<void>;
  clear(): void;
}

let generation = 0;

export const useCustomerStore = create<CustomerState>()((set, get) => ({
  customerId: null,
  profile: null,
  status: 'idle',
  error: null,

  async load(customerId) {
    const mine = ++generation;
    const keep = get().customerId === customerId ? get().profile : null;
    set({ customerId, profile: keep, status: keep ? 'ready' : 'loading', error: null });
    try {
      const profile = await getApi().customerProfile({ customerId });
      if (mine !== generation) return null;
      set({ profile, status: 'ready' });
      return profile;
    } catch (e) {
      if (mine !== generation) return null;
      set({ status: 'error', error: messageOf(e, t('errors:profile')) });
      return null;
    }
  },

  async reload() {
    const { customerId } = get();
    if (customerId !== null) await get().load(customerId);
  },

  clear() {
    generation++;
    set({ customerId: null, profile: null, status: 'idle', error: null });
  },
}));

export const selectProfile = (s: CustomerState) => s.profile;
export const selectProfileStatus = (s: CustomerState) => s.status;
export const selectProfileError = (s: CustomerState) => s.error;
