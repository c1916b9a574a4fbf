// The mailboxes slice: the support mail accounts with their live status (mailAccountChanged keeps
// it current), and saving / removing them. Secrets only ever travel towards the main process.
// Also each mailbox's mail that was not imported (quarantined by main; it stays on the server).
import { create } from 'zustand';
import type { MailAccountInput, MailAccountView, QuarantinedMailView } from '../../../shared/contract';
import { getApi } from '../api';
import { t } from '../i18n';
import { formatPercent } from '../numbers';
import { messageOf } from './errors';
import { storedSentenceOf } from '../serverErrors';

export interface MailAccountsState {
  accounts: MailAccountView[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  load(): Promise<void>;
  /** Resolves with the saved account, or rejects with the main process's sentence. */
  save(input: MailAccountInput): Promise<MailAccountView>;
  remove(id: number): Promise<void>;
  applyChanged(accountId: number, account: MailAccountView | null): void;
  /** Per mailbox: the newest mails that were not imported and how many in all, or 'failed' (could not be read). */
  notImported: Record<number, NotImported | 'failed'>;
  loadNotImported(accountId: number): Promise<void>;
}

export interface NotImported {
  total: number;
  messages: QuarantinedMailView[];
}

function upsert(list: MailAccountView[], account: MailAccountView): MailAccountView[] {
  const i = list.findIndex((a) => a.id === account.id);
  if (i === -1) return [...list, account].sort((a, b) => a.id - b.id);
  const next = list.slice();
  next[i] = account;
  return next;
}

export const useMailAccountsStore = create<MailAccountsState>()((set, get) => ({
  accounts: [],
  status: 'idle',
  error: null,
  async load() {
    set({ status: 'loading', error: null });
    try {
      const { accounts } = await getApi().mailAccounts({});
      set({ accounts, status: 'ready' });
    } catch (e) {
      set({ status: 'error', error: messageOf(e, t('settings:loadFailed')) });
    }
  },
  async save(input) {
    const account = await getApi().saveMailAccount(input);
    set({ accounts: upsert(get().accounts, account) });
    return account;
  },
  async remove(id) {
    await getApi().deleteMailAccount({ id });
    const { [id]: _gone, ...notImported } = get().notImported;
    set({ accounts: get().accounts.filter((a) => a.id !== id), notImported });
  },
  applyChanged(accountId, account) {
    set({ accounts: account ? upsert(get().accounts, account) : get().accounts.filter((a) => a.id !== accountId) });
  },
  notImported: {},
  async loadNotImported(accountId) {
    let read: NotImported | 'failed';
    try {
      read = await getApi().quarantinedMail({ accountId });
    } catch {
      read = 'failed';
    }
    // A mailbox removed meanwhile keeps no entry.
    if (get().accounts.some((a) => a.id === accountId)) set({ notImported: { ...get().notImported, [accountId]: read } });
  },
}));

/** "Syncing 40%", "Connected", "Error: …": the badge of an account. */
export function accountStatusLabel(
  account: Pick<MailAccountView, 'status' | 'statusDetail' | 'progress'> & Partial<Pick<MailAccountView, 'archiveProblem' | 'archiveProblemText' | 'statusText'>>,
): { text: string; tone: 'ok' | 'busy' | 'warn' | 'error' | 'muted' } {
  switch (account.status) {
    case 'syncing': {
      const { done, total } = account.progress;
      return { text: total > 0 ? t('settings:syncingPercent', { percent: formatPercent(Math.min(1, done / total)) }) : t('settings:syncing'), tone: 'busy' };
    }
    case 'idle':
      // Connected, but resolved cases' mail could not be archived: the reason stays until a move succeeds.
      return account.archiveProblem ? { text: t('settings:connectedProblem', { problem: storedSentenceOf(account.archiveProblem, account.archiveProblemText) }), tone: 'warn' } : { text: t('settings:connected'), tone: 'ok' };
    case 'error':
      return { text: t('settings:error', { detail: account.statusDetail === null ? t('settings:connectionFailed') : storedSentenceOf(account.statusDetail, account.statusText) }), tone: 'error' };
    default:
      return { text: t('settings:notConnected'), tone: 'muted' };
  }
}
