// The command palette (Ctrl/Cmd+K): a modal dialog with a combobox over a grouped listbox. It
// reaches every quick action of the workspace: queue views, cases by name or full-text search,
// the open conversation's actions (reply, send, resolve, reply channel, profile, transfer,
// escalate, note, macros), offers, presence, settings and the cheat sheet. Esc closes it and focus goes back.
import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PRESENCES } from '../../../shared/contractHub';
import { CHANNELS, type Channel, type SearchHit } from '../../../shared/domain';
import { QUEUE_VIEW_IDS, tagsInUse, tagView, viewCount, type QueueViewId } from '../../../shared/queueViews';
import { t } from '../i18n';
import { channelLabel, presenceLabel, viewLabel } from '../labels';
import { ariaKeyShortcuts, shortcutLabel, type ShortcutId } from '../../../shared/shortcuts';
import { getApi } from '../api';
import { openConversation } from '../state/actions';
import { useCaseActionsStore } from '../state/caseActions';
import { isClosedStatus } from '../state/caseStatus';
import { caseActionCommands } from './caseActionCommands';
import { selectDraft, useComposerStore } from '../state/composer';
import { selectOpenCaseId, useConversationStore } from '../state/conversation';
import { selectProfile, useCustomerStore } from '../state/customer';
import { messageOf } from '../state/errors';
import { hubApi, selectHubStatus, useHubStore } from '../state/hub';
import { containsWords, rankCommands, usePaletteStore, type PaletteCommand, type PaletteGroup } from '../state/palette';
import { useIsSupervisor, useSupervisorStore } from '../state/supervisor';
import { useChannelConfigStore, useIsAdmin } from '../state/channelConfig';
import { useLiveConsoleStore } from '../state/liveConsole';
import { selectViewCounts, useQueueStore } from '../state/queue';
import { SettingsDialog } from './SettingsDialog';
import { MacroEditorHost } from './MacroEditor';
import { useMacroEditorStore } from '../state/macroEditor';
import { useOpenCaseMeta, type CaseMeta } from './useOpenCaseMeta';
import { focusQueue } from './useShortcuts';
import { useDesktopStore } from '../state/desktop';
import { storedSentenceOf } from '../serverErrors';

export const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** Tooltip and aria-keyshortcuts for a control that has a shortcut. */
export function shortcutProps(id: ShortcutId, label: string): { title: string; 'aria-keyshortcuts': string } {
  return { title: `${label} (${shortcutLabel(id, IS_MAC)})`, 'aria-keyshortcuts': ariaKeyShortcuts(id) };
}

/** The top bar's button for the palette. */
export function PaletteButton() {
  return (
    <button type="button" className="btn btn-quiet palette-button" aria-haspopup="dialog" onClick={() => usePaletteStore.getState().openPalette()} {...shortcutProps('palette', t('palette:buttonTitle'))}>
      {t('palette:button')} <kbd aria-hidden="true">{shortcutLabel('palette', IS_MAC)}</kbd>
    </button>
  );
}

/** The palette and the settings dialog it can open; mounted once in the app. */
export function CommandPalette() {
  const open = usePaletteStore((s) => s.paletteOpen);
  const settingsOpen = usePaletteStore((s) => s.settingsOpen);
  return (
    <>
      {open && <PaletteDialog />}
      {settingsOpen && <SettingsDialog onClose={() => usePaletteStore.getState().closeSettings()} />}
      <MacroEditorHost />
    </>
  );
}

interface FormSpec {
  title: string;
  submitLabel: string;
  /** A choice before the text (the queue of a transfer). */
  choice?: { label: string; options: Array<{ value: string; label: string }> };
  text: { label: string; required: boolean };
  /** Resolves with the error sentence, or null when done. */
  submit(text: string, choice: string): Promise<string | null>;
}

/** After a command: close and focus something (or go back where the palette was opened), or show a form. */
type Outcome = { focus?: () => void } | { form: FormSpec };

interface Command extends PaletteCommand {
  run(): Outcome | Promise<Outcome>;
}

const GROUP_LIMIT = 8;
/** The catalog key of each palette group's heading. */
const GROUP_KEYS: Record<PaletteGroup, 'conversation' | 'navigation' | 'customers' | 'found' | 'status' | 'settings'> = {
  Conversation: 'conversation',
  Navigation: 'navigation',
  'Customers and cases': 'customers',
  'Found in messages': 'found',
  Status: 'status',
  'Settings and help': 'settings',
};
const SEARCH_DEBOUNCE_MS = 200;

const focusReply = () => document.querySelector<HTMLTextAreaElement>('textarea.composer-input')?.focus();
const focusSearch = () => {
  const search = document.getElementById('global-search');
  search?.focus();
  if (search instanceof HTMLInputElement) search.select();
};
const focusProfile = () => {
  const profile = document.querySelector<HTMLElement>('aside.profile-pane');
  if (!profile) return;
  if (!profile.hasAttribute('tabindex')) profile.tabIndex = -1;
  profile.focus();
};

/** Channels a text reply can go out on (as the composer offers them). */
function replyChannels(meta: CaseMeta, used: readonly Channel[], preferred: Channel | null): Channel[] {
  const out: Channel[] = [meta.channel];
  for (const c of [preferred, ...used]) if (c && !out.includes(c) && c !== 'phone') out.push(c);
  return out;
}

function useCommands(query: string, hits: SearchHit[]): Command[] {
  const meta = useOpenCaseMeta();
  const caseId = useConversationStore(selectOpenCaseId);
  const profile = useCustomerStore(selectProfile);
  const draft = useComposerStore(selectDraft(caseId));
  const macros = useComposerStore((s) => s.macros);
  const counts = useQueueStore(selectViewCounts);
  const items = useQueueStore((s) => s.items);
  const hub = useHubStore(selectHubStatus);
  const offers = useHubStore((s) => s.offers);
  const isSupervisor = useIsSupervisor();
  const isAdmin = useIsAdmin();
  // The hook's `t` changes with the language, so the commands are rebuilt in the new one.
  const { t } = useTranslation(['palette', 'enums', 'channelConfig', 'console']);

  return useMemo(() => {
    const out: Command[] = [];
    if (meta) {
      const closed = isClosedStatus(meta.status);
      const closedReason = closed ? t('palette:caseIs', { status: t(`enums:statusWord.${meta.status}`) }) : undefined;
      const channel = draft.channel ?? meta.channel;
      out.push({ id: 'reply', group: 'Conversation', label: t('palette:reply'), keywords: 'write answer compose focus reply box', shortcut: 'reply', run: () => ({ focus: focusReply }) });
      if (draft.body.trim()) {
        out.push({
          id: 'send',
          group: 'Conversation',
          label: t('palette:sendVia', { channel: channelLabel(channel) }),
          shortcut: 'send',
          run: () => {
            void useComposerStore.getState().send(meta.caseId, meta.channel);
            return { focus: focusReply };
          },
        });
      }
      // Like the header's Resolve button: the resolution-code dialog, never a resolve without a code.
      out.push({
        id: 'resolve',
        group: 'Conversation',
        label: t('palette:resolve'),
        keywords: 'close done solved resolution code workaround duplicate spam',
        detail: `#${meta.caseId} ${meta.subject}`,
        ...(closedReason ? { disabledReason: closedReason } : {}),
        run: () => ({ focus: () => useCaseActionsStore.getState().openResolveDialog(meta) }),
      });
      out.push(...caseActionCommands(meta));
      for (const c of replyChannels(meta, profile?.channelsUsed.map((u) => u.channel) ?? [], profile?.preferredChannel ?? null)) {
        if (c === channel) continue;
        out.push({
          id: `channel:${c}`,
          group: 'Conversation',
          label: t('palette:switchTo', { channel: channelLabel(c) }),
          keywords: 'channel reply via',
          run: () => {
            useComposerStore.getState().setChannel(meta.caseId, c);
            return { focus: focusReply };
          },
        });
      }
      out.push({
        id: 'note',
        group: 'Conversation',
        label: draft.mode === 'note' ? t('palette:writeReply') : t('palette:writeNote'),
        keywords: 'note internal mention comment reply mode',
        run: () => {
          useComposerStore.getState().edit(meta.caseId, { mode: draft.mode === 'note' ? 'reply' : 'note' });
          return { focus: focusReply };
        },
      });
      for (const macro of macros ?? []) {
        out.push({
          id: `macro:${macro.id}`,
          group: 'Conversation',
          label: t('palette:insertMacro', { title: macro.title }),
          keywords: 'macro canned response template',
          ...(macro.hotkey !== null ? { detail: `Alt+${macro.hotkey}` } : {}),
          run: async () => {
            const textarea = document.querySelector<HTMLTextAreaElement>('textarea.composer-input');
            await useComposerStore.getState().applyMacro(meta.caseId, macro.id, textarea?.selectionStart);
            return { focus: focusReply };
          },
        });
      }
      out.push({ id: 'profile', group: 'Conversation', label: t('palette:openProfile'), keywords: 'customer details identities notes', run: () => ({ focus: focusProfile }) });
      out.push({
        id: 'transfer',
        group: 'Conversation',
        label: t('palette:transferQueue'),
        keywords: 'hand over move reassign',
        run: () => ({
          form: {
            title: t('palette:transferTitle', { caseId: meta.caseId }),
            submitLabel: t('palette:transfer'),
            choice: { label: t('palette:queue'), options: CHANNELS.map((c) => ({ value: c, label: channelLabel(c) })) },
            text: { label: t('palette:nextNote'), required: false },
            async submit(note, queue) {
              try {
                await hubApi().transferCase({ caseId: meta.caseId, to: { queue: queue as Channel }, ...(note.trim() ? { note } : {}) });
                return null;
              } catch (e) {
                return messageOf(e, t('palette:transferFailed'));
              }
            },
          },
        }),
      });
      out.push({
        id: 'escalate',
        group: 'Conversation',
        label: t('palette:escalate'),
        keywords: 'tier supervisor raise',
        run: () => ({
          form: {
            title: t('palette:escalateTitle', { caseId: meta.caseId }),
            submitLabel: t('palette:escalateSubmit'),
            text: { label: t('palette:reason'), required: true },
            async submit(reason) {
              try {
                await hubApi().escalateCase({ caseId: meta.caseId, reason });
                return null;
              } catch (e) {
                return messageOf(e, t('palette:escalateFailed'));
              }
            },
          },
        }),
      });
    }
    for (const offer of offers) {
      const who = t('palette:offerWho', { channel: channelLabel(offer.channel), name: offer.customerName });
      out.push({
        id: `accept:${offer.offerId}`,
        group: 'Conversation',
        label: t('palette:accept', { who }),
        detail: offer.subject,
        run: async () => {
          const placed = await useHubStore.getState().accept(offer.offerId);
          if (placed) await openConversation(placed.customerId, placed.caseId);
          return {};
        },
      });
      out.push({ id: `decline:${offer.offerId}`, group: 'Conversation', label: t('palette:decline', { who }), run: async () => (await useHubStore.getState().decline(offer.offerId), {}) });
    }

    for (const view of [...QUEUE_VIEW_IDS, ...tagsInUse(counts).map(tagView)]) {
      out.push({
        id: `view:${view}`,
        group: 'Navigation',
        label: t('palette:queueView', { view: viewLabel(view) }),
        keywords: 'view go to show',
        detail: `${viewCount(counts, view)}`,
        run: () => {
          useQueueStore.getState().setView(view as QueueViewId);
          return { focus: focusQueue };
        },
      });
    }
    out.push({ id: 'search', group: 'Navigation', label: t('palette:search'), keywords: 'find', shortcut: 'search', run: () => ({ focus: focusSearch }) });
    if (isAdmin) out.push({ id: 'channel-config', group: 'Navigation', label: t('channelConfig:paletteLabel'), keywords: 'channels sla hours routing auto-reply backup cost matrix', run: () => (useChannelConfigStore.getState().openScreen(), {}) });
    if (isSupervisor) out.push({ id: 'dashboard', group: 'Navigation', label: t('palette:dashboard'), keywords: 'metrics weekly report analytics charts', run: () => (useSupervisorStore.getState().openDashboard(), {}) });
    if (isSupervisor) out.push({ id: 'live-console', group: 'Navigation', label: t('console:openConsole'), keywords: t('console:paletteKeywords'), run: () => (useLiveConsoleStore.getState().openConsole(), {}) });

    const q = query.trim();
    if (q) {
      const shown = new Set<number>();
      for (const item of items) {
        const label = `${item.customerName} — ${item.subject}`;
        const keywords = `#${item.caseId} ${item.company ?? ''} ${channelLabel(item.channel)}`;
        // Only the queue's matches; a search hit on any other case is listed below.
        if (!containsWords(q, `${label} ${keywords}`)) continue;
        shown.add(item.caseId);
        out.push({
          id: `case:${item.caseId}`,
          group: 'Customers and cases',
          label,
          keywords,
          detail: `#${item.caseId} · ${channelLabel(item.channel)}`,
          run: async () => (await openConversation(item.customerId, item.caseId), {}),
        });
      }
      for (const hit of hits) {
        if (hit.caseId !== null && shown.has(hit.caseId)) continue;
        if (hit.caseId !== null) shown.add(hit.caseId);
        out.push({
          id: `hit:${hit.eventId}`,
          group: 'Found in messages',
          label: `${hit.customerName}${hit.subject ? ` — ${hit.subject}` : ''}`,
          detail: `${hit.caseId !== null ? `#${hit.caseId} · ` : ''}${channelLabel(hit.channel)}`,
          preRanked: true,
          run: async () => (await openConversation(hit.customerId, hit.caseId), {}),
        });
      }
    }

    const online = hub?.state === 'online';
    if (hub) {
      for (const p of PRESENCES) {
        out.push({
          id: `presence:${p}`,
          group: 'Status',
          label: t('palette:setStatus', { presence: presenceLabel(p) }),
          keywords: 'presence availability',
          ...(hub.presence === p ? { detail: t('palette:current') } : {}),
          ...(online ? {} : { disabledReason: storedSentenceOf(hub.detail, hub.detailText) }),
          run: async () => (await useHubStore.getState().setPresence(p), {}),
        });
      }
    }

    out.push({ id: 'macros', group: 'Settings and help', label: t('palette:macros'), keywords: 'macro canned responses templates edit create hotkeys', run: () => (useMacroEditorStore.getState().openEditor(), {}) });
    out.push({ id: 'settings', group: 'Settings and help', label: t('palette:settings'), keywords: 'mailboxes accounts hub preferences', run: () => (usePaletteStore.getState().openSettings(), {}) });
    out.push({ id: 'zoom-in', group: 'Settings and help', label: t('palette:zoomIn'), keywords: 'bigger larger text size', shortcut: 'zoomIn', run: () => (useDesktopStore.getState().zoomStep(1), {}) });
    out.push({ id: 'zoom-out', group: 'Settings and help', label: t('palette:zoomOut'), keywords: 'smaller text size', shortcut: 'zoomOut', run: () => (useDesktopStore.getState().zoomStep(-1), {}) });
    out.push({ id: 'zoom-reset', group: 'Settings and help', label: t('palette:zoomReset'), keywords: 'actual size 100%', shortcut: 'zoomReset', run: () => (useDesktopStore.getState().zoomStep(0), {}) });
    out.push({ id: 'cheatsheet', group: 'Settings and help', label: t('palette:shortcuts'), keywords: 'cheat sheet keys help', shortcut: 'cheatSheet', run: () => (usePaletteStore.getState().openCheatSheet(), {}) });
    return out;
  }, [meta, draft, macros, profile, offers, counts, items, hits, hub, query, isSupervisor, isAdmin, t]);
}

/** Full-text hits for the query (debounced); empty for short queries. */
function useSearchHits(query: string): { hits: SearchHit[]; note: string | null } {
  const [state, setState] = useState<{ query: string; hits: SearchHit[]; error: string | null }>({ query: '', hits: [], error: null });
  const q = query.trim();
  useEffect(() => {
    if (q.length < 2) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      getApi()
        .search({ query: q, limit: GROUP_LIMIT })
        .then(
          (r) => !cancelled && setState({ query: q, hits: r.hits, error: null }),
          (e: unknown) => !cancelled && setState({ query: q, hits: [], error: messageOf(e, t('palette:searchFailed')) }),
        );
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [q]);
  if (q.length < 2 || state.query !== q) return { hits: [], note: null };
  return { hits: state.hits, note: state.error };
}

function PaletteDialog() {
  const ref = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  // Where focus goes back to when the palette closes without a command that moves it.
  const [returnTo] = useState(() => document.activeElement as HTMLElement | null);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [form, setForm] = useState<FormSpec | null>(null);
  const [busy, setBusy] = useState(false);
  const [runError, setRunError] = useState<string | null>(null);
  const baseId = useId();
  const listId = `${baseId}-list`;
  const { hits, note } = useSearchHits(query);
  const commands = useCommands(query, hits);
  const groups = useMemo(() => rankCommands(commands, query).map((g) => ({ ...g, items: g.items.slice(0, GROUP_LIMIT) })), [commands, query]);
  const flat = useMemo(() => groups.flatMap((g) => g.items), [groups]);
  const current = flat[Math.min(active, flat.length - 1)];
  const optionId = (c: Command) => `${baseId}-opt-${c.id}`;

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    inputRef.current?.focus();
    // The macros are listed as commands; a failure leaves them out (the composer says why on its own).
    useComposerStore
      .getState()
      .loadMacros()
      .catch(() => undefined);
    return () => dialog?.close();
  }, []);

  useEffect(() => {
    if (current) document.getElementById(optionId(current))?.scrollIntoView({ block: 'nearest' });
  });

  const close = (focus?: () => void) => {
    usePaletteStore.getState().closePalette();
    // After the dialog has gone (and the browser has put focus back), move it where the command asks.
    setTimeout(() => (focus ? focus() : returnTo?.isConnected ? returnTo.focus() : focusQueue()), 0);
  };

  const run = async (command: Command | undefined) => {
    if (!command || command.disabledReason || busy) return;
    setBusy(true);
    setRunError(null);
    try {
      const outcome = await command.run();
      if ('form' in outcome) {
        setForm(outcome.form);
        return;
      }
      // A command that opened another dialog leaves focus to that dialog.
      const state = usePaletteStore.getState();
      if (state.cheatSheetOpen || state.settingsOpen || useMacroEditorStore.getState().open) return;
      close(outcome.focus);
    } catch (e) {
      setRunError(messageOf(e, t('palette:failed')));
    } finally {
      setBusy(false);
    }
  };

  const onInputKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (flat.length === 0) return;
      const at = Math.min(active, flat.length - 1);
      setActive((at + (e.key === 'ArrowDown' ? 1 : flat.length - 1)) % flat.length);
    } else if (e.key === 'PageDown' || e.key === 'PageUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, Math.min(flat.length - 1, a + (e.key === 'PageDown' ? 8 : -8))));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      void run(current);
    }
  };

  const escape = () => {
    if (form) {
      setForm(null);
      setRunError(null);
      setTimeout(() => inputRef.current?.focus(), 0);
    } else close();
  };

  const onDialogKey = (e: KeyboardEvent<HTMLDialogElement>) => {
    if (e.key !== 'Escape') return;
    // The workspace's Escape (leave the field for the queue) must not run behind the dialog.
    e.preventDefault();
    e.stopPropagation();
    escape();
  };

  return (
    <dialog
      ref={ref}
      className="palette-dialog"
      aria-label={t('palette:dialog')}
      onKeyDown={onDialogKey}
      onCancel={(e) => {
        // Esc with focus on nothing inside the dialog reaches it as a cancel.
        e.preventDefault();
        escape();
      }}
      onClick={(e) => {
        // A click on the backdrop (the dialog element itself, outside its content) closes it.
        if (e.target === ref.current) close();
      }}
    >
      {form ? (
        <PaletteForm
          spec={form}
          onDone={() => close()}
          onBack={() => {
            setForm(null);
            setTimeout(() => inputRef.current?.focus(), 0);
          }}
        />
      ) : (
        <>
          <div className="palette-search">
            <input
              ref={inputRef}
              className="palette-input"
              role="combobox"
              aria-label={t('palette:input')}
              aria-expanded={flat.length > 0}
              aria-controls={listId}
              aria-autocomplete="list"
              aria-activedescendant={current ? optionId(current) : undefined}
              placeholder={t('palette:placeholder')}
              autoComplete="off"
              spellCheck={false}
              value={query}
              onChange={(e) => {
                setQuery(e.target.value);
                setActive(0);
                setRunError(null);
              }}
              onKeyDown={onInputKey}
            />
          </div>
          <div ref={listRef} id={listId} className="palette-list" role="listbox" aria-label={t('palette:list')}>
            {groups.map((g, gi) => (
              <div key={g.group} role="group" aria-labelledby={`${baseId}-g${gi}`} className="palette-group">
                <div id={`${baseId}-g${gi}`} className="palette-group-label" role="presentation">
                  {t(`palette:group.${GROUP_KEYS[g.group]}`)}
                </div>
                {g.items.map((c) => (
                  <div
                    key={c.id}
                    id={optionId(c)}
                    role="option"
                    aria-selected={c === current}
                    aria-disabled={c.disabledReason ? true : undefined}
                    className={`palette-option${c === current ? ' is-active' : ''}`}
                    onMouseMove={() => setActive(flat.indexOf(c))}
                    onClick={() => void run(c)}
                  >
                    <span className="palette-label">{c.label}</span>
                    {(c.disabledReason ?? c.detail) && <span className="palette-detail">{c.disabledReason ?? c.detail}</span>}
                    {c.shortcut && <kbd className="palette-kbd">{shortcutLabel(c.shortcut, IS_MAC)}</kbd>}
                  </div>
                ))}
              </div>
            ))}
          </div>
          <p className="palette-status" role="status">
            {runError ?? note ?? (flat.length === 0 ? t('palette:nothing', { query: query.trim() }) : busy ? t('palette:working') : '')}
          </p>
        </>
      )}
    </dialog>
  );
}

function PaletteForm({ spec, onDone, onBack }: { spec: FormSpec; onDone: () => void; onBack: () => void }) {
  const [text, setText] = useState('');
  const [choice, setChoice] = useState(spec.choice?.options[0]?.value ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const choiceRef = useRef<HTMLSelectElement>(null);
  const id = useId();
  useEffect(() => {
    (choiceRef.current ?? textRef.current)?.focus();
  }, []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (spec.text.required && !text.trim()) {
      setError(t('palette:enterField', { field: spec.text.label }));
      textRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    const failed = await spec.submit(text, choice);
    setBusy(false);
    if (failed) setError(failed);
    else onDone();
  };
  return (
    <form className="palette-form" aria-labelledby={`${id}-t`} onSubmit={(e) => void submit(e)}>
      <h3 id={`${id}-t`}>{spec.title}</h3>
      {spec.choice && (
        <label className="field">
          <span>{spec.choice.label}</span>
          <select ref={choiceRef} value={choice} onChange={(e) => setChoice(e.target.value)}>
            {spec.choice.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="field">
        <span>
          {spec.text.label}
          {spec.text.required ? '' : t('palette:optional')}
        </span>
        <textarea ref={textRef} rows={3} value={text} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-e` : undefined} onChange={(e) => setText(e.target.value)} />
      </label>
      {error && (
        <p id={`${id}-e`} className="palette-form-error" role="alert">
          {error}
        </p>
      )}
      <div className="palette-form-actions">
        <button type="button" className="btn" onClick={onBack}>
          {t('palette:back')}
        </button>
        {/* Not disabled while busy: the button keeps focus, so the keyboard user stays in the form. */}
        <button type="submit" className="btn btn-primary" aria-disabled={busy || undefined}>
          {busy ? t('palette:working') : spec.submitLabel}
        </button>
      </div>
    </form>
  );
}
