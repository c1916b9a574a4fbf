// The composer slice: one draft per case (switching conversations keeps what was typed), saved to
// the store ~400 ms after the last change and loaded back on open (a reload or a restart keeps it);
// reply or internal-note mode, the email fields, @mentions, macros and their pending actions, and
// the idempotency key that makes a retried send store one reply or note.
import { create } from 'zustand';
import type { ComposerAttachment, ComposerMode, DraftView, MacroView, Mention } from '../../../shared/contractComposer';
import { attachmentLimit, cleanAttachmentName, refuseAttachment } from '../../../shared/composer/attachments';
import { insertAt } from '../../../shared/composer/macroTemplate';
import { mentionsIn } from '../../../shared/composer/mentions';
import { parseCc, replySubjectFor, withQuotedHistory } from '../../../shared/composer/emailReply';
import type { Channel, TimelineEvent } from '../../../shared/domain';
import { getApi } from '../api';
import { dateFormats } from '../dates';
import { t } from '../i18n';
import { channelLabel } from '../labels';
import { newIdempotencyKey } from '../ids';
import { useConversationStore } from './conversation';
import { messageOf } from './errors';
import { sentenceOf } from '../serverErrors';

export interface Draft {
  body: string;
  /** Null: the case's own channel. */
  channel: Channel | null;
  mode: ComposerMode;
  /** Email subject as edited; null: "Re: <case subject>". */
  subject: string | null;
  cc: string;
  includeQuoted: boolean;
  mentions: Mention[];
  /** Macros inserted whose actions run on send. */
  pendingMacroIds: number[];
  /** Files staged in main (stored under their SHA-256) that go with the reply. */
  attachments: ComposerAttachment[];
  /** Files on their way to main: how many bytes went so far. */
  uploading: Upload[];
  /** The key of the last attempt and what it was for; a retry of the same text reuses it. */
  key: string | null;
  keyFor: string | null;
  sending: boolean;
  error: string | null;
  /** A line about the last macro: what it did, or which variables it could not fill. */
  notice: string | null;
  /** The stored draft was read (or there was none). */
  loaded: boolean;
  /** Changed here since it was opened: a late-arriving stored draft must not overwrite it. */
  touched: boolean;
  saved: 'idle' | 'saving' | 'saved' | 'error';
}

export interface Upload {
  id: string;
  name: string;
  size: number;
  sent: number;
}

export const EMPTY_DRAFT: Draft = Object.freeze({
  body: '',
  channel: null,
  mode: 'reply' as const,
  subject: null,
  cc: '',
  includeQuoted: false,
  mentions: [],
  pendingMacroIds: [],
  attachments: [],
  uploading: [],
  key: null,
  keyFor: null,
  sending: false,
  error: null,
  notice: null,
  loaded: false,
  touched: false,
  saved: 'idle' as const,
});

/** Wait this long after the last keystroke before saving the draft. */
export const DRAFT_SAVE_MS = 400;

type Editable = Partial<Pick<Draft, 'body' | 'channel' | 'mode' | 'subject' | 'cc' | 'includeQuoted' | 'mentions' | 'pendingMacroIds' | 'attachments'>>;

export interface ComposerState {
  drafts: Record<number, Draft>;
  /** The case's own channel, remembered for saving the draft. */
  caseChannels: Record<number, Channel>;
  macros: MacroView[] | null;
  agents: Array<{ id: number; name: string }> | null;
  /** Reads the stored draft of a case once (on opening it). */
  load(caseId: number, caseChannel: Channel): Promise<void>;
  edit(caseId: number, change: Editable): void;
  setBody(caseId: number, body: string): void;
  setChannel(caseId: number, channel: Channel): void;
  loadMacros(force?: boolean): Promise<MacroView[]>;
  loadAgents(): Promise<Array<{ id: number; name: string }>>;
  /** Inserts a macro at the caret (rendered for the case by main); returns the caret after it, or null. */
  applyMacro(caseId: number, macroId: number, caret?: number): Promise<number | null>;
  /** Sends the draft of `caseId` (a reply on its channel, or an internal note); true when it was stored. */
  send(caseId: number, caseChannel: Channel): Promise<boolean>;
  /** Stages files for the reply (in chunks to main); a refused one shows its sentence and the others go on. */
  attach(caseId: number, files: readonly File[], channel: Channel): Promise<void>;
  detach(caseId: number, sha256: string): void;
}

/** The base64 of part of a file (FileReader: no whole-file copy in memory). */
function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error(t('composer:error.fileRead')));
    reader.readAsDataURL(blob);
  });
}

let uploadSeq = 0;

/** The idempotency key for an attempt: the previous one while the same text goes to the same channel. */
export function keyForAttempt(draft: Pick<Draft, 'key' | 'keyFor' | 'body'> & { attachments?: readonly ComposerAttachment[] }, channel: Channel | 'note', makeKey: () => string = newIdempotencyKey): { key: string; keyFor: string } {
  const files = (draft.attachments ?? []).map((a) => a.sha256).join(',');
  const keyFor = `${channel}\n${files}\n${draft.body.trim()}`;
  return draft.key && draft.keyFor === keyFor ? { key: draft.key, keyFor } : { key: makeKey(), keyFor };
}

/** The customer's last message on the case, for "On <date>, Jane wrote:". */
function lastCustomerMessage(caseId: number): TimelineEvent | null {
  const events = useConversationStore.getState().events;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.caseId === caseId && e.direction === 'in' && e.kind === 'message') return e;
  }
  return null;
}

export function quotedFor(caseId: number): { authorName: string; when: string; body: string } | null {
  const last = lastCustomerMessage(caseId);
  return last ? { authorName: last.authorName, when: dateFormats().eventTime(last.occurredAt), body: last.body } : null;
}

export const useComposerStore = create<ComposerState>()((set, get) => {
  const patch = (caseId: number, change: Partial<Draft>) =>
    set((s) => ({ drafts: { ...s.drafts, [caseId]: { ...(s.drafts[caseId] ?? EMPTY_DRAFT), ...change } } }));
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  const cancelSave = (caseId: number) => {
    const t = timers.get(caseId);
    if (t) clearTimeout(t);
    timers.delete(caseId);
  };

  const save = async (caseId: number) => {
    timers.delete(caseId);
    const d = get().drafts[caseId];
    const caseChannel = get().caseChannels[caseId];
    if (!d || !caseChannel || d.sending) return;
    patch(caseId, { saved: 'saving' });
    try {
      await getApi().saveDraft({
        caseId,
        channel: d.channel ?? caseChannel,
        mode: d.mode,
        body: d.body,
        subject: d.subject,
        cc: d.cc,
        includeQuoted: d.includeQuoted,
        mentions: d.mentions,
        pendingMacroIds: d.pendingMacroIds,
        attachments: d.attachments,
      });
      patch(caseId, { saved: 'saved' });
    } catch {
      patch(caseId, { saved: 'error' });
    }
  };
  const scheduleSave = (caseId: number) => {
    cancelSave(caseId);
    timers.set(
      caseId,
      setTimeout(() => void save(caseId), DRAFT_SAVE_MS),
    );
  };

  const fromStored = (stored: DraftView): Partial<Draft> => ({
    body: stored.body,
    channel: stored.channel,
    mode: stored.mode,
    subject: stored.subject,
    cc: stored.cc,
    includeQuoted: stored.includeQuoted,
    mentions: stored.mentions,
    pendingMacroIds: stored.pendingMacroIds,
    attachments: stored.attachments,
    saved: 'saved',
  });

  return {
    drafts: {},
    caseChannels: {},
    macros: null,
    agents: null,

    async load(caseId, caseChannel) {
      set((s) => ({ caseChannels: { ...s.caseChannels, [caseId]: caseChannel } }));
      if (get().drafts[caseId]?.loaded) return;
      let stored: DraftView | undefined;
      try {
        stored = (await getApi().draft({ caseId })).drafts[0];
      } catch {
        stored = undefined;
      }
      const current = get().drafts[caseId] ?? EMPTY_DRAFT;
      const channel = stored && stored.channel !== caseChannel ? stored.channel : null;
      patch(caseId, current.touched || !stored ? { loaded: true } : { ...fromStored(stored), channel, loaded: true });
    },

    edit(caseId, change) {
      // Erasing the text drops the macros it came from (their actions would otherwise run on the next send).
      const cleared = change.body !== undefined && change.body.trim() === '' ? { pendingMacroIds: [], notice: null } : {};
      patch(caseId, { ...change, ...cleared, touched: true, error: null });
      scheduleSave(caseId);
    },
    setBody: (caseId, body) => get().edit(caseId, { body }),
    setChannel: (caseId, channel) => get().edit(caseId, { channel }),

    async loadMacros(force = false) {
      const known = get().macros;
      if (known && !force) return known;
      const { macros } = await getApi().macros({});
      set({ macros });
      return macros;
    },
    async loadAgents() {
      const known = get().agents;
      if (known) return known;
      const { agents } = await getApi().mentionableAgents({});
      set({ agents });
      return agents;
    },

    async applyMacro(caseId, macroId, caret) {
      const macro = get().macros?.find((m) => m.id === macroId);
      let result;
      try {
        result = await getApi().applyMacro({ caseId, macroId });
      } catch (e) {
        patch(caseId, { error: messageOf(e, t('composer:error.macroInsert')) });
        return null;
      }
      const d = get().drafts[caseId] ?? EMPTY_DRAFT;
      const inserted = insertAt(d.body, caret ?? d.body.length, result.text);
      const notes: string[] = [];
      if (result.applied.length) notes.push(t('composer:error.done', { actions: result.applied.join(', ') }));
      if (result.pendingOnSend && macro) notes.push(t('composer:error.onSend', { count: macro.actions.length, title: macro.title }));
      const unfilled = [...result.unknown, ...result.missing];
      if (unfilled.length) notes.push(t('composer:error.fillIn', { variables: unfilled.map((v) => `{{${v}}}`).join(', ') }));
      get().edit(caseId, {
        body: inserted.body,
        mode: 'reply',
        pendingMacroIds: result.pendingOnSend && !d.pendingMacroIds.includes(macroId) ? [...d.pendingMacroIds, macroId] : d.pendingMacroIds,
      });
      patch(caseId, { notice: notes.length ? notes.join(' ') : null });
      return inserted.caret;
    },

    async send(caseId, caseChannel) {
      const draft = get().drafts[caseId] ?? EMPTY_DRAFT;
      if (draft.sending) return false;
      const note = draft.mode === 'note';
      if (!draft.body.trim()) {
        patch(caseId, { error: note ? t('composer:error.emptyNote') : t('composer:error.emptyReply') });
        return false;
      }
      const channel = draft.channel ?? caseChannel;
      let cc: string[] = [];
      if (!note && channel === 'email' && draft.cc.trim()) {
        const parsed = parseCc(draft.cc);
        if (parsed.invalid.length) {
          patch(caseId, { error: t('composer:error.badCc', { addresses: parsed.invalid.join(', ') }) });
          return false;
        }
        cc = parsed.addresses;
      }
      cancelSave(caseId);
      const { key, keyFor } = keyForAttempt(draft, note ? 'note' : channel);
      patch(caseId, { key, keyFor, sending: true, error: null });
      let event: TimelineEvent;
      try {
        if (note) {
          event = await getApi().addNote({ caseId, body: draft.body, mentions: mentionsIn(draft.body, draft.mentions), idempotencyKey: key });
        } else {
          const email = channel === 'email';
          const subject = email ? (draft.subject ?? replySubjectFor(subjectOf(caseId) ?? '')) : undefined;
          const body = email && draft.includeQuoted ? withQuotedHistory(draft.body, quotedFor(caseId)) : draft.body;
          event = await getApi().sendComposed({
            caseId,
            channel,
            body,
            idempotencyKey: key,
            ...(subject !== undefined ? { subject } : {}),
            ...(cc.length ? { cc } : {}),
            macroIds: draft.pendingMacroIds,
            ...(draft.attachments.length ? { attachments: draft.attachments.map((a) => ({ sha256: a.sha256, name: a.name })) } : {}),
          });
        }
      } catch (e) {
        patch(caseId, { sending: false, error: messageOf(e, note ? t('composer:error.noteFailed') : t('composer:error.replyFailed')) });
        return false;
      }
      // The timelineAppended event brings it too; applying the answer covers a missed event.
      useConversationStore.getState().applyAppended(event);
      useConversationStore.getState().follow();
      const current = get().drafts[caseId] ?? EMPTY_DRAFT;
      // Text typed while the reply was on its way stays as the next draft.
      const rest = current.body === draft.body ? '' : current.body;
      // Files attached while it was on its way stay too.
      const sentFiles = new Set(draft.attachments.map((a) => a.sha256));
      const restFiles = note ? current.attachments : current.attachments.filter((a) => !sentFiles.has(a.sha256));
      patch(caseId, { ...EMPTY_DRAFT, body: rest, attachments: restFiles, uploading: current.uploading, mode: current.mode, channel: current.channel, loaded: true, touched: rest !== '' || restFiles.length > 0 });
      if (rest || restFiles.length) scheduleSave(caseId);
      return true;
    },

    async attach(caseId, files, channel) {
      if (attachmentLimit(channel) === null) {
        patch(caseId, { error: t('composer:error.textOnly', { channel: channelLabel(channel) }) });
        return;
      }
      const api = getApi();
      const problems: string[] = [];
      const uploadOne = async (file: File) => {
        const name = cleanAttachmentName(file.name);
        const refusal = refuseAttachment({ name, size: file.size });
        if (refusal) {
          problems.push(sentenceOf(refusal));
          return;
        }
        const upload: Upload = { id: `u${++uploadSeq}`, name, size: file.size, sent: 0 };
        const progress = (sent: number) => {
          const d = get().drafts[caseId] ?? EMPTY_DRAFT;
          patch(caseId, { uploading: d.uploading.map((u) => (u.id === upload.id ? { ...u, sent } : u)) });
        };
        patch(caseId, { uploading: [...(get().drafts[caseId] ?? EMPTY_DRAFT).uploading, upload] });
        try {
          const { uploadId, chunkBytes } = await api.stageAttachmentStart({ name, size: file.size });
          for (let at = 0; at < file.size; at += chunkBytes) {
            const data = await base64Of(file.slice(at, at + chunkBytes));
            const { received } = await api.stageAttachmentChunk({ uploadId, offset: at, data });
            progress(received);
          }
          const staged = await api.stageAttachmentFinish({ uploadId });
          const d = get().drafts[caseId] ?? EMPTY_DRAFT;
          if (!d.attachments.some((a) => a.sha256 === staged.sha256 && a.name === staged.name)) get().edit(caseId, { attachments: [...d.attachments, staged] });
        } catch (e) {
          problems.push(messageOf(e, t('serverErrors:attachFailed', { name })));
        } finally {
          const d = get().drafts[caseId] ?? EMPTY_DRAFT;
          patch(caseId, { uploading: d.uploading.filter((u) => u.id !== upload.id) });
        }
      };
      // One file after the other: main holds a few uploads at once, and the order is the agent's.
      for (const file of files) await uploadOne(file);
      if (problems.length) patch(caseId, { error: problems.join(' ') });
    },

    detach(caseId, sha256) {
      const d = get().drafts[caseId] ?? EMPTY_DRAFT;
      get().edit(caseId, { attachments: d.attachments.filter((a) => a.sha256 !== sha256) });
    },
  };
});

/** The subject of the open case, from the queue row the conversation header uses (set by the Composer). */
const subjects = new Map<number, string>();
export function rememberSubject(caseId: number, subject: string): void {
  subjects.set(caseId, subject);
}
function subjectOf(caseId: number): string | null {
  return subjects.get(caseId) ?? null;
}

export const selectDraft = (caseId: number | null) => (s: ComposerState) => (caseId === null ? EMPTY_DRAFT : (s.drafts[caseId] ?? EMPTY_DRAFT));
export const selectMacros = (s: ComposerState) => s.macros;
export const selectAgents = (s: ComposerState) => s.agents;
