// The handlers of contractDesktop: the update flow through the shell's hook (Electron: the real
// updater; headless: off with the reason, or the same updater over a test feed), links parsed here
// (deepLinks.ts) so the page and the OS agree, and the zoom and pane widths kept in the store.
import type { DesktopParsedInput, DesktopRequestName, DesktopRequestOutput } from '../../shared/contractDesktop';
import { DesktopLayout, type DeepLinkPayload, type UpdateStateAnswer, type UpdateStateView } from '../../shared/contractDesktop';
import { AppError } from '../../shared/errors';
import type { Repository } from '../store/repository';
import { parseDeepLink } from './deepLinks';
import { say } from '../../shared/serverErrors';

/** What the desktop shell (or the headless mode) provides; every part is optional. */
export interface DesktopHook {
  /** The update flow; absent: updates are not available here (`updatesOff` says why). */
  updates?: {
    state(): UpdateStateView & { detail?: string | null };
    requestRestart(): void;
    setCallActive(active: boolean): void;
  };
  /** Why updates are off when there is no updater. */
  updatesOff?: string;
  setViewingCase?(caseId: number | null): void;
  /** The softphone rings or stopped: hold the global answer shortcut meanwhile; returns its accelerator, or null. */
  setCallRinging?(ringing: boolean, from: string | null): string | null;
  /** The region a tel: number without a country code is read in. */
  defaultRegion?: string;
  /** Keeps the workspace's language for the app's next start (absent: a browser, which has its own). */
  rememberLanguage?(language: string): void;
}

export type DesktopHandlers = {
  [K in DesktopRequestName]: (input: DesktopParsedInput<K>) => DesktopRequestOutput<K>;
};

export const LAYOUT_SETTING = 'desktop.layout';
export const HEADLESS_UPDATES_OFF = say('updatesHeadless');

export function createDesktopService(options: { repo: Repository; hook?: DesktopHook | null }): { handlers: DesktopHandlers } {
  const { repo } = options;
  const hook = options.hook ?? {};
  const answer = (): UpdateStateAnswer => {
    if (!hook.updates) return { phase: 'disabled', version: null, percent: null, banner: null, detail: hook.updatesOff ?? HEADLESS_UPDATES_OFF.message };
    const { detail, ...state } = hook.updates.state();
    return { ...state, detail: detail ?? null };
  };
  const layout = (): DesktopLayout => {
    const parsed = DesktopLayout.safeParse(repo.getSetting<unknown>(LAYOUT_SETTING) ?? {});
    return parsed.success ? parsed.data : DesktopLayout.parse({});
  };

  const customerOf = (link: DeepLinkPayload): number | null => {
    switch (link.kind) {
      case 'case': {
        const found = repo.db.prepare(`SELECT customer_id FROM cases WHERE id = ?`).pluck().get(link.caseId) as number | undefined;
        if (found === undefined) throw new AppError('not-found', say('linkCaseNotHere', { caseId: link.caseId }));
        return found;
      }
      case 'customer':
        return link.customerId;
      case 'email': {
        const addresses = link.to.map((a) => a.trim().toLowerCase());
        const found = repo.db
          .prepare(`SELECT customer_id FROM identities WHERE kind = 'email' AND value IN (SELECT value FROM json_each(?)) ORDER BY verified DESC, last_seen_at DESC LIMIT 1`)
          .pluck()
          .get(JSON.stringify(addresses)) as number | undefined;
        return found ?? null;
      }
      default:
        return null;
    }
  };

  const handlers: DesktopHandlers = {
    updateState: () => answer(),
    restartToUpdate: () => {
      if (!hook.updates) throw new AppError('not-found', hook.updatesOff ?? HEADLESS_UPDATES_OFF);
      hook.updates.requestRestart();
      return answer();
    },
    setCallActive: ({ active }) => {
      hook.updates?.setCallActive(active);
      return answer();
    },
    setCallRinging: ({ ringing, from }) => ({ shortcut: hook.setCallRinging?.(ringing, from) ?? null }),
    setViewingCase: ({ caseId }) => {
      hook.setViewingCase?.(caseId);
      return { caseId };
    },
    openLink: ({ url }) => {
      const parsed = parseDeepLink(url, hook.defaultRegion ? { defaultRegion: hook.defaultRegion } : {});
      if (!parsed.ok) throw new AppError(parsed.error.code, parsed.error);
      return { link: parsed.link, customerId: customerOf(parsed.link) };
    },
    resolveLink: ({ link }) => ({ customerId: customerOf(link) }),
    rememberLanguage: ({ language }) => {
      if (!hook.rememberLanguage) return { remembered: false };
      hook.rememberLanguage(language);
      return { remembered: true };
    },
    desktopLayout: () => layout(),
    saveDesktopLayout: (changes) => {
      const next = DesktopLayout.parse({ ...layout(), ...changes });
      repo.setSetting(LAYOUT_SETTING, next);
      return next;
    },
  };
  return { handlers };
}
