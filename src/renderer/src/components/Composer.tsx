// The reply box under the timeline, one for every channel: email with subject, cc and the quoted
// history; chat, SMS and social as plain text with the channel's limit (SMS in segments); an
// internal-note mode (yellow, never sent) with @mentions; macros from a menu or Alt+1..9; files on
// email replies (button, drop or paste). What is typed is saved as a draft. Send (or Ctrl/Cmd+Enter)
// goes out on the channel picked.
import { useEffect, useId, useRef, useState, type ClipboardEvent, type DragEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { attachmentLimit, refuseAttachmentSet } from '../../../shared/composer/attachments';
import { continueList, isRichChannel, type TextEdit } from '../../../shared/composer/richText';
import { CHANNEL_LIMITS, checkLength } from '../../../shared/composer/channelLimits';
import { replySubjectFor } from '../../../shared/composer/emailReply';
import { applyMention, matchAgents, mentionAt } from '../../../shared/composer/mentions';
import { countSmsSegments } from '../../../shared/composer/smsSegments';
import type { Channel } from '../../../shared/domain';
import { channelLabel } from '../labels';
import { formatNumber } from '../numbers';
import { rememberSubject, selectAgents, selectDraft, selectMacros, useComposerStore } from '../state/composer';
import { selectOpenCaseId, useConversationStore } from '../state/conversation';
import { selectProfile, useCustomerStore } from '../state/customer';
import { AttachButton, AttachmentList } from './ComposerAttachments';
import { HandoffNotice } from './HandoffNotice';
import { KbSearch } from './KbSearch';
import './composer.css';
import { MacroMenu } from './MacroMenu';
import { MentionList, type MentionCandidate } from './MentionList';
import { RichToolbar, formatEdit, shortcutFormat } from './RichToolbar';
import { useOpenCaseMeta } from './useOpenCaseMeta';
import { sentenceOf } from '../serverErrors';

/** Channels a text reply can go out on. */
const NOT_FOR_REPLIES: ReadonlySet<Channel> = new Set<Channel>(['phone']);

function replyChannels(caseChannel: Channel, used: readonly Channel[], preferred: Channel | null): Channel[] {
  const out: Channel[] = [caseChannel];
  for (const c of [preferred, ...used]) if (c && !out.includes(c) && !NOT_FOR_REPLIES.has(c)) out.push(c);
  return out;
}

const SEND_SHORTCUT = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘+Enter' : 'Ctrl+Enter';

/** "312 / 1,000" or, for SMS, "2 segments (160/153 chars each) · 200 / 1,600". */
function LengthMeter({ id, channel, body }: { id: string; channel: Channel; body: string }) {
  const { t } = useTranslation('composer');
  const check = checkLength(channel, body);
  if (check.max === null) return null;
  const sms = CHANNEL_LIMITS[channel].segments ? countSmsSegments(body.trim()) : null;
  return (
    <span id={id} className={`composer-meter${check.over > 0 ? ' is-over' : ''}`} aria-live="polite">
      {sms && sms.segments > 0 && (
        <span className="composer-segments" title={sms.encoding === 'UCS-2' ? t('gsmUnicode') : 'GSM-7'}>
          {t('segments', { count: sms.segments, single: sms.single, perSegment: sms.perSegment })} · {sms.encoding} ·{' '}
        </span>
      )}
      {t('length', { length: formatNumber(check.length), max: formatNumber(check.max) })}
      {check.over > 0 && t('overLimit', { over: formatNumber(check.over), channel: channelLabel(channel) })}
    </span>
  );
}

export function Composer() {
  const caseId = useConversationStore(selectOpenCaseId);
  const meta = useOpenCaseMeta();
  const draft = useComposerStore(selectDraft(caseId));
  const macros = useComposerStore(selectMacros);
  const agents = useComposerStore(selectAgents);
  const profile = useCustomerStore(selectProfile);
  const errorId = useId();
  const hintId = useId();
  const meterId = useId();
  const mentionListId = useId();
  const plainId = useId();
  const input = useRef<HTMLTextAreaElement>(null);
  const [caret, setCaret] = useState(0);
  const [activeMention, setActiveMention] = useState(0);
  const [mentionClosed, setMentionClosed] = useState(false);
  const [dropping, setDropping] = useState(false);
  const { t } = useTranslation('composer');

  const caseChannel = meta?.channel ?? null;
  useEffect(() => {
    if (caseId === null || caseChannel === null) return;
    void useComposerStore.getState().load(caseId, caseChannel);
    void useComposerStore.getState().loadMacros().catch(() => undefined);
  }, [caseId, caseChannel]);
  useEffect(() => {
    if (caseId !== null && meta) rememberSubject(caseId, meta.subject);
  }, [caseId, meta]);

  // Alt+1..9 inserts the macro with that hotkey (by key position, so it works on every layout).
  useEffect(() => {
    if (caseId === null) return;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const m = /^Digit([1-9])$/.exec(e.code);
      if (!m) return;
      const macro = useComposerStore.getState().macros?.find((x) => x.hotkey === Number(m[1]));
      if (!macro) return;
      e.preventDefault();
      void insertMacro(macro.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (caseId === null || !meta) {
    return (
      <div className="composer composer-disabled">
        <p>{t('noOpenCase')}</p>
      </div>
    );
  }

  const store = useComposerStore.getState();
  const note = draft.mode === 'note';
  const channel = draft.channel ?? meta.channel;
  const email = !note && channel === 'email';
  const channels = replyChannels(meta.channel, profile?.channelsUsed.map((c) => c.channel) ?? [], profile?.preferredChannel ?? null);
  const firstName = profile?.name.split(/\s+/)[0];
  const over = !note && checkLength(channel, draft.body).over > 0;
  const canAttach = !note && attachmentLimit(channel) !== null;
  const rich = !note && isRichChannel(channel);
  const applyEdit = (edit: TextEdit) => {
    store.edit(caseId, { body: edit.text });
    input.current?.focus();
    requestAnimationFrame(() => input.current?.setSelectionRange(edit.start, edit.end));
  };
  // Files staged for email stay with the draft; on a channel without files the reply cannot go until they are removed.
  const fileProblem = note ? null : refuseAttachmentSet(channel, draft.attachments);
  const uploading = draft.uploading.length > 0;
  const attach = (files: File[]) => {
    if (note) return;
    void store.attach(caseId, files, channel);
  };
  const onDrop = (e: DragEvent<HTMLFormElement>) => {
    if (!e.dataTransfer.types.includes('Files')) return;
    e.preventDefault();
    setDropping(false);
    attach([...e.dataTransfer.files]);
  };
  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = [...e.clipboardData.files];
    if (files.length === 0 || note) return;
    e.preventDefault();
    attach(files);
  };
  const send = () => {
    if (over || fileProblem || uploading) return;
    void store.send(caseId, meta.channel);
  };

  async function insertMacro(macroId: number) {
    const at = await useComposerStore.getState().applyMacro(caseId!, macroId, input.current?.selectionStart ?? undefined);
    if (at !== null && input.current) {
      input.current.focus();
      requestAnimationFrame(() => input.current?.setSelectionRange(at, at));
    }
  }

  const mention = note && !mentionClosed ? mentionAt(draft.body, caret) : null;
  const candidates: MentionCandidate[] = mention && agents ? matchAgents(agents, mention.query) : [];
  const pickMention = (agent: MentionCandidate) => {
    if (!mention) return;
    const { text, caret: at } = applyMention(draft.body, mention, agent.name);
    store.edit(caseId, { body: text, mentions: [...draft.mentions.filter((m) => m.agentId !== agent.id), { agentId: agent.id, name: agent.name }] });
    setCaret(at);
    requestAnimationFrame(() => input.current?.setSelectionRange(at, at));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (candidates.length > 0) {
      const active = Math.min(activeMention, candidates.length - 1);
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setActiveMention((active + (e.key === 'ArrowDown' ? 1 : candidates.length - 1)) % candidates.length);
        return;
      }
      if ((e.key === 'Enter' && !e.ctrlKey && !e.metaKey) || e.key === 'Tab') {
        e.preventDefault();
        pickMention(candidates[active]!);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        setMentionClosed(true);
        return;
      }
    }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      send();
      return;
    }
    if (!rich) return;
    const format = shortcutFormat(e);
    if (format) {
      e.preventDefault();
      applyEdit(formatEdit(format, e.currentTarget.value, e.currentTarget.selectionStart, e.currentTarget.selectionEnd));
      return;
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && e.currentTarget.selectionStart === e.currentTarget.selectionEnd) {
      const edit = continueList(e.currentTarget.value, e.currentTarget.selectionStart);
      if (edit) {
        e.preventDefault();
        applyEdit(edit);
      }
    }
  };
  const trackCaret = () => setCaret(input.current?.selectionStart ?? 0);

  const describedBy = [draft.error ? errorId : null, hintId, CHANNEL_LIMITS[channel].maxChars !== null && !note ? meterId : null, !note && !rich ? plainId : null].filter(Boolean).join(' ');
  const placeholder = note
    ? t('notePlaceholder')
    : t('replyPlaceholder', { name: firstName ?? t('theCustomer'), channel: channelLabel(channel) });

  return (
    <form
      className={`composer${note ? ' composer-note' : ''}${dropping ? ' is-dropping' : ''}`}
      aria-label={note ? t('noteComposer') : t('replyComposer')}
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
      onDragOver={(e) => {
        if (note || !e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = canAttach ? 'copy' : 'none';
        setDropping(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDropping(false);
      }}
      onDrop={onDrop}
    >
      <div className="composer-top">
        <button
          type="button"
          className={`btn btn-small composer-note-toggle${note ? ' is-on' : ''}`}
          aria-pressed={note}
          title={t('noteToggleHint')}
          onClick={() => {
            store.edit(caseId, { mode: note ? 'reply' : 'note' });
            if (!note) void store.loadAgents().catch(() => undefined);
            input.current?.focus();
          }}
        >
          {t('note')}
        </button>
        {note ? (
          <span className="composer-note-label">{t('noteLabel')}</span>
        ) : (
          <>
            <MacroMenu macros={macros} onOpen={() => void store.loadMacros(true).catch(() => undefined)} onPick={(m) => void insertMacro(m.id)} />
            <KbSearch caseId={caseId} caret={() => input.current?.selectionStart ?? undefined} onInserted={(at) => (input.current?.focus(), requestAnimationFrame(() => input.current?.setSelectionRange(at, at)))} />
            {canAttach && <AttachButton onFiles={attach} />}
          </>
        )}
        <span className="composer-saved" role="status">
          {draft.saved === 'saving' ? t('savingDraft') : draft.saved === 'saved' && draft.body.trim() ? t('draftSaved') : draft.saved === 'error' ? t('draftNotSaved') : ''}
        </span>
      </div>
      {rich && <RichToolbar input={() => input.current} onEdit={applyEdit} />}
      {!note && !rich && (
        <p className="composer-plain" id={plainId}>
          {t('plainText', { channel: channelLabel(channel) })}
        </p>
      )}
      {email && (
        <div className="composer-email">
          <label>
            <span>{t('subject')}</span>
            <input type="text" aria-label={t('subject')} value={draft.subject ?? replySubjectFor(meta.subject)} onChange={(e) => store.edit(caseId, { subject: e.target.value })} />
          </label>
          <label>
            <span>{t('cc')}</span>
            <input type="text" aria-label={t('cc')} placeholder={t('ccPlaceholder')} value={draft.cc} onChange={(e) => store.edit(caseId, { cc: e.target.value })} />
          </label>
          <label className="composer-quote">
            <input type="checkbox" checked={draft.includeQuoted} onChange={(e) => store.edit(caseId, { includeQuoted: e.target.checked })} />
            <span>{t('includeQuoted')}</span>
          </label>
        </div>
      )}
      <textarea
        ref={input}
        className="composer-input"
        aria-label={note ? t('internalNote') : t('reply')}
        data-note={note ? 'true' : undefined}
        aria-describedby={describedBy}
        aria-invalid={draft.error || over ? true : undefined}
        role={note ? 'combobox' : undefined}
        aria-multiline={note ? true : undefined}
        aria-autocomplete={note ? 'list' : undefined}
        aria-expanded={note ? candidates.length > 0 : undefined}
        aria-controls={note && candidates.length > 0 ? mentionListId : undefined}
        aria-activedescendant={candidates.length > 0 ? `${mentionListId}-${candidates[Math.min(activeMention, candidates.length - 1)]!.id}` : undefined}
        placeholder={placeholder}
        rows={3}
        value={draft.body}
        onChange={(e) => {
          store.edit(caseId, { body: e.target.value });
          setCaret(e.target.selectionStart);
          setMentionClosed(false);
          setActiveMention(0);
        }}
        onKeyDown={onKeyDown}
        onKeyUp={trackCaret}
        onClick={trackCaret}
        onPaste={onPaste}
      />
      {!note && <AttachmentList files={draft.attachments} uploading={draft.uploading} onRemove={(sha) => store.detach(caseId, sha)} />}
      {fileProblem && (
        <p className="composer-error" role="alert">
          {sentenceOf(fileProblem)}
        </p>
      )}
      {note && <MentionList id={mentionListId} agents={candidates} active={Math.min(activeMention, candidates.length - 1)} onPick={pickMention} />}
      {!note && <HandoffNotice caseId={caseId} channel={channel} />}
      {draft.notice && !note && (
        <p className="composer-notice" role="status">
          {draft.notice}
        </p>
      )}
      {draft.error && (
        <p id={errorId} className="composer-error" role="alert">
          {draft.error}
        </p>
      )}
      <div className="composer-bar">
        <label className="composer-channel">
          <span>{t('replyVia')}</span>
          <select aria-label={t('channel')} value={channel} disabled={note} onChange={(e) => store.setChannel(caseId, e.target.value as Channel)}>
            {channels.map((c) => (
              <option key={c} value={c}>
                {channelLabel(c)}
              </option>
            ))}
          </select>
        </label>
        {!note && <LengthMeter id={meterId} channel={channel} body={draft.body} />}
        <span id={hintId} className="composer-hint">
          {t(note ? 'toSave' : 'toSend', { shortcut: SEND_SHORTCUT })}
        </span>
        <button type="submit" className={`btn ${note ? 'btn-note' : 'btn-primary'}`} disabled={draft.sending || !draft.body.trim() || over || !!fileProblem || uploading}>
          {draft.sending ? (note ? t('saving') : t('sending')) : note ? t('addNote') : t('send')}
        </button>
      </div>
    </form>
  );
}
