// Follows the core's event bus for the shell: the queue count (tray, dock and taskbar badge) and
// which conversations are this agent's, so a customer message on one of them becomes an Alert
// for the notification rules. Re-reads the queue at most once per `settleMs` however busy it is.
import type { EventName, EventPayload } from '../../shared/contract';
import type { Dispatch } from '../../shared/rpc';
import type { TimelineEvent } from '../../shared/domain';
import type { Alert } from './notificationRules';
import { MASKED_KEY } from '../../shared/privacy/maskRecords';
import { SHELL_LOCALE, shellSayer, type ShellLanguage } from '../../shared/shellText';
import { storedSentence } from '../../shared/storedSentence';
import type { ConsoleAlert } from '../../shared/supervisor/consoleAlerts';

export interface CoreEvents {
  dispatch: Dispatch;
  subscribe(listener: (name: EventName, payload: unknown) => void): () => void;
}

export interface QueueWatchOptions {
  core: CoreEvents;
  onCount: (count: number) => void;
  onAlert: (alert: Alert) => void;
  /** The agent's language, read at each alert (English when not given). */
  language?: () => ShellLanguage;
  log?: (line: string) => void;
  settleMs?: number;
  timers?: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
}

export interface QueueWatch {
  /** Reads the count and the agent's conversations now (also done at start). */
  refresh(): Promise<void>;
  /** The conversations assigned to this agent, as last read. */
  mine(): ReadonlySet<number>;
  stop(): void;
}

/** A live-console alert as the OS notice says it, in the agent's language (the same sentences as the workspace's banners). */
export function supervisorAlert(a: ConsoleAlert, language: ShellLanguage = 'en'): Alert {
  const say = shellSayer(language);
  const channel = a.channel;
  const who = a.contact ?? say('aCustomer');
  const since = a.since === null ? say('alertNow') : new Intl.DateTimeFormat(SHELL_LOCALE[language], { hour: '2-digit', minute: '2-digit' }).format(a.since);
  const [sender, preview] =
    a.kind === 'outage'
      ? [say('alertDown', { channel }), a.backup ? say('alertDownBackup', { since, backup: a.backup }) : say('alertDownNoBackup', { since })]
      : a.kind === 'breached'
        ? [say('alertBreached', { channel }), say('alertBreachedBody', { who })]
        : [say('alertRisk', { channel }), say('alertRiskBody', { who })];
  return { kind: 'supervisor', key: a.key, caseId: 0, channel: a.channel, sender, preview, at: a.since ?? 0 };
}

/**
 * What a customer's row says in an OS notice: its text, or for a line the hub wrote for them (a
 * voicemail, a rating) that line in the agent's language. A masked row keeps its masked text (the
 * line's params would hold what the masking hid).
 */
export function noticePreview(event: TimelineEvent, language: ShellLanguage): string {
  const said = event.metadata[MASKED_KEY] === undefined ? storedSentence(event.metadata) : null;
  const text = (name: string) => String(said?.params[name] ?? '');
  const say = shellSayer(language);
  switch (said?.key) {
    case 'lineVoicemail':
      return say('noticeVoicemail');
    case 'lineVoicemailText':
      return say('noticeVoicemailText', { text: text('text') });
    case 'lineRated':
      return say('noticeRated', { score: text('score') });
    case 'lineRatedComment':
      return say('noticeRatedComment', { score: text('score'), comment: text('comment') });
    default:
      return event.body.trim() !== '' ? event.body : (event.subject ?? '');
  }
}

export function watchQueue(options: QueueWatchOptions): QueueWatch {
  const log = options.log ?? ((line: string) => console.warn(line));
  const settleMs = options.settleMs ?? 1500;
  const timers = options.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
  let mine = new Set<number>();
  let pending: unknown = null;
  let stopped = false;

  const refresh = async () => {
    const [all, own] = await Promise.all([
      options.core.dispatch('queueSnapshot', { view: 'all' }, { transport: 'direct' }),
      options.core.dispatch('queueSnapshot', { view: 'mine' }, { transport: 'direct' }),
    ]);
    if (stopped) return;
    if (all.ok) options.onCount((all.value as { total: number }).total);
    else log(`Could not count the queue: ${all.error.message}`);
    if (own.ok) mine = new Set((own.value as { items: Array<{ caseId: number }> }).items.map((i) => i.caseId));
  };

  const schedule = () => {
    if (pending !== null || stopped) return;
    pending = timers.setTimeout(() => {
      pending = null;
      refresh().catch((e: Error) => log(`Could not read the queue: ${e.message}`));
    }, settleMs);
  };

  const unsubscribe = options.core.subscribe((name, payload) => {
    if (name === 'queueChanged') schedule();
    if (name === 'offerReceived') {
      const { offer } = payload as EventPayload<'offerReceived'>;
      options.onAlert({ kind: 'offer', caseId: 0, offerId: offer.offerId, channel: offer.channel, sender: offer.customerName, preview: offer.subject, at: offer.receivedAt });
      return;
    }
    if (name === 'supervisorConsoleUpdated') {
      for (const alert of (payload as EventPayload<'supervisorConsoleUpdated'>).alerts) options.onAlert(supervisorAlert(alert, options.language?.() ?? 'en'));
      return;
    }
    if (name !== 'timelineAppended') return;
    const event = (payload as { event: TimelineEvent }).event;
    if (event.direction !== 'in' || event.authorType !== 'customer' || event.caseId === null || !mine.has(event.caseId)) return;
    options.onAlert({
      kind: 'message',
      caseId: event.caseId,
      channel: event.channel,
      sender: event.authorName,
      preview: noticePreview(event, options.language?.() ?? 'en'),
      at: event.occurredAt,
    });
  });

  refresh().catch((e: Error) => log(`Could not read the queue: ${e.message}`));
  return {
    refresh,
    mine: () => mine,
    stop() {
      stopped = true;
      unsubscribe();
      if (pending !== null) timers.clearTimeout(pending);
      pending = null;
    },
  };
}
