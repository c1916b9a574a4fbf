// The softphone strip under the top bar: registration state, the incoming call with its screen pop,
// the live call (timer, mute, hold, keypad, hang up, notes), wrap-up, the dial pad and the audio
// devices. Everything is a labelled control; the incoming call is announced as an alert.
import { useEffect, useId, useLayoutEffect, useState, type FormEvent } from 'react';
import { DTMF_KEYS } from '../../../shared/voice/e164';
import { previousContactLine } from './popText';
import type { ScreenPop } from '../../../shared/contractVoice';
import { dateFormats } from '../dates';
import { currentLocale, t } from '../i18n';
import { channelLabel, statusLabel } from '../labels';
import { openConversation } from '../state/actions';
import { hubApi, useHubStore } from '../state/hub';
import { messageOf } from '../state/errors';
import { getApi } from '../api';
import type { DirectoryAgent } from '../../../shared/contractHub';
import { startTelLinks, useSoftphoneStore } from './softphone';
import './softphone.css';
import { sentenceOf } from '../serverErrors';


function useTicker(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

export function formatTimer(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`;
}

const timeOnly = { format: (at: number) => new Intl.DateTimeFormat(currentLocale(), { hour: 'numeric', minute: '2-digit' }).format(at) };

export function Softphone() {
  const registration = useSoftphoneStore((s) => s.registration);
  const detail = useSoftphoneStore((s) => s.detail);
  const incoming = useSoftphoneStore((s) => s.incoming);
  const call = useSoftphoneStore((s) => s.call);
  const wrapUpUntil = useSoftphoneStore((s) => s.wrapUpUntil);
  const mic = useSoftphoneStore((s) => s.mic);
  const error = useSoftphoneStore((s) => s.error);
  const [dialOpen, setDialOpen] = useState(false);
  const now = useTicker(call?.answeredAt != null || wrapUpUntil !== null);

  useEffect(() => {
    void useSoftphoneStore.getState().start();
    const stopLinks = startTelLinks();
    // A phone that could not start (no hub yet, a hub restarting) tries again when the hub is back.
    const stopRetry = useHubStore.subscribe((s, before) => {
      if (s.status?.state === 'online' && before.status?.state !== 'online' && useSoftphoneStore.getState().registration === 'error') void useSoftphoneStore.getState().start();
    });
    return () => {
      stopRetry();
      stopLinks();
      useSoftphoneStore.getState().stop();
    };
  }, []);

  return (
    <section className="softphone" aria-label={t('voice:softphone')}>
      <div className="softphone-bar">
        <span className={`softphone-state softphone-${registration}`} role="status">
          <span className="softphone-dot" aria-hidden="true" />
          {t(`voice:registration.${registration}`)}
          {detail && <span className="softphone-detail"> — {detail}</span>}
        </span>
        {wrapUpUntil !== null && !call && (
          <span className="softphone-wrapup" role="status">
            {t('voice:wrapUp', { time: formatTimer(wrapUpUntil - now) })}
            <button type="button" className="btn btn-quiet" onClick={() => useSoftphoneStore.getState().endWrapUp()}>
              {t('voice:readyNow')}
            </button>
          </span>
        )}
        <button type="button" className="btn btn-quiet" aria-expanded={dialOpen} aria-controls="softphone-dialpad" onClick={() => setDialOpen((o) => !o)}>
          {t('voice:dialPad')}
        </button>
        <AudioSettings />
      </div>
      {mic !== 'granted' && registration === 'registered' && <MicNotice />}
      {error && (
        <p className="softphone-error" role="alert">
          {error}
        </p>
      )}
      {dialOpen && <DialPad onPlaced={() => setDialOpen(false)} />}
      {incoming && <IncomingCall />}
      {call && <LiveCall now={now} />}
    </section>
  );
}

function MicNotice() {
  const mic = useSoftphoneStore((s) => s.mic);
  if (mic === 'denied') {
    return (
      <p className="softphone-mic denied" role="alert">
        {t('voice:micBlocked')}
      </p>
    );
  }
  return (
    <p className="softphone-mic">
      {t('voice:micNeeded')}{' '}
      <button type="button" className="btn" onClick={() => void useSoftphoneStore.getState().askMicrophone()}>
        {t('voice:allowMic')}
      </button>
    </p>
  );
}

function AudioSettings() {
  const inputs = useSoftphoneStore((s) => s.inputs);
  const outputs = useSoftphoneStore((s) => s.outputs);
  const outputSelection = useSoftphoneStore((s) => s.outputSelection);
  const input = useSoftphoneStore((s) => s.input);
  const ringtone = useSoftphoneStore((s) => s.ringtoneOutput);
  const speaker = useSoftphoneStore((s) => s.speakerOutput);
  const ids = { mic: useId(), ring: useId(), speaker: useId() };
  const store = useSoftphoneStore.getState;
  const options = (list: { id: string; label: string }[]) => (list.length ? list : [{ id: 'default', label: t('voice:systemDefault') }]).map((d) => (
    <option key={d.id} value={d.id}>
      {d.label}
    </option>
  ));
  return (
    <details className="softphone-audio">
      <summary>{t('voice:audio')}</summary>
      <div className="softphone-audio-body">
        <label htmlFor={ids.mic}>{t('voice:microphone')}</label>
        <select id={ids.mic} value={input} onChange={(e) => void store().chooseInput(e.target.value)}>
          {options(inputs)}
        </select>
        <label htmlFor={ids.ring}>{t('voice:ringtone')}</label>
        <select id={ids.ring} value={ringtone} disabled={!outputSelection} onChange={(e) => void store().chooseRingtone(e.target.value)}>
          {options(outputs)}
        </select>
        <label htmlFor={ids.speaker}>{t('voice:callAudio')}</label>
        <select id={ids.speaker} value={speaker} disabled={!outputSelection} onChange={(e) => void store().chooseSpeaker(e.target.value)}>
          {options(outputs)}
        </select>
        {!outputSelection && <p className="softphone-note">{t('voice:noOutputChoice')}</p>}
      </div>
    </details>
  );
}

function DialPad({ onPlaced }: { onPlaced: () => void }) {
  const [number, setNumber] = useState('');
  const id = useId();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await useSoftphoneStore.getState().dial(number)) onPlaced();
  };
  return (
    <form id="softphone-dialpad" className="softphone-dialpad" aria-label={t('voice:dialPad')} onSubmit={(e) => void submit(e)}>
      <label htmlFor={id}>{t('voice:numberToCall')}</label>
      <input id={id} type="tel" inputMode="tel" autoComplete="off" value={number} onChange={(e) => setNumber(e.target.value)} placeholder="+1 415 555 0134" />
      <div className="softphone-keys" role="group" aria-label={t('voice:keys')}>
        {DTMF_KEYS.map((k) => (
          <button key={k} type="button" className="btn softphone-key" onClick={() => setNumber((n) => n + k)}>
            {k}
          </button>
        ))}
      </div>
      <button type="submit" className="btn btn-primary">
        {t('voice:call')}
      </button>
    </form>
  );
}

function PopDetails({ pop }: { pop: ScreenPop }) {
  const c = pop.customer;
  const previous = previousContactLine(pop.lastContacts, (at) => timeOnly.format(at));
  return (
    <div className="screen-pop">
      <div className="screen-pop-who">
        <strong className="screen-pop-name">{c.name}</strong>
        {pop.caller && <span className="screen-pop-number">{pop.caller.display}</span>}
        {c.vip && <span className="badge badge-vip">VIP</span>}
        {c.tier !== 'standard' && <span className={`badge tier-${c.tier}`}>{t(`enums:tier.${c.tier}`)}</span>}
        {c.company && <span className="screen-pop-company">{c.company}</span>}
        {pop.provisional && <span className="badge">{t('voice:newCaller')}</span>}
      </div>
      {previous && <p className="screen-pop-previous">{previous}</p>}
      {pop.activeChat && (
        <p className="screen-pop-chat">
          {t('voice:activeChat', { channel: channelLabel(pop.activeChat.channel), caseId: pop.activeChat.caseId })}
        </p>
      )}
      <dl className="screen-pop-facts">
        <dt>{t('voice:openCase')}</dt>
        <dd>
          {pop.openCase ? (
            <button type="button" className="link-btn" onClick={() => void openConversation(c.id, pop.openCase!.id)}>
              {t('voice:openCaseLink', { id: pop.openCase.id, subject: pop.openCase.subject, status: statusLabel(pop.openCase.status) })}
            </button>
          ) : (
            t('voice:none')
          )}
        </dd>
        {pop.lastContacts.map((l) => (
          <div key={l.eventId} className="screen-pop-contact">
            <dt>{t('voice:lastContact', { channel: channelLabel(l.channel) })}</dt>
            <dd>
              <time dateTime={new Date(l.at).toISOString()}>{dateFormats().eventTime(l.at)}</time>
              {l.subject ? ` — ${l.subject}` : ''}: {l.preview}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function IncomingCall() {
  const incoming = useSoftphoneStore((s) => s.incoming)!;
  // Busy: on another call, or the agent said so.
  const onCall = useSoftphoneStore((s) => s.call !== null);
  const presence = useHubStore((s) => s.status?.presence ?? null);
  const busy = onCall || presence === 'busy' || presence === 'on_call';
  const callback = useSoftphoneStore((s) => s.callbackStatus);
  const store = useSoftphoneStore.getState;
  const pop = incoming.pop;
  useLayoutEffect(() => {
    if (!pop) return;
    // Painted on the next frame: the screen-pop measure runs from the SDK's incoming event to here.
    requestAnimationFrame(() => {
      performance.mark('screen-pop-painted');
      try {
        performance.measure('screen-pop', 'voice-incoming', 'screen-pop-painted');
      } catch {
        /* no incoming mark (a pop restored without a call) */
      }
    });
  }, [pop]);
  const shortcut = useSoftphoneStore((s) => s.answerShortcut);
  return (
    <div className="softphone-incoming" role="alert" aria-label={t('voice:incoming')}>
      <p className="softphone-incoming-title">{t('voice:incomingFrom', { caller: pop?.caller?.display ?? incoming.from })}</p>
      {pop ? <PopDetails pop={pop} /> : incoming.popError ? <p className="softphone-error">{incoming.popError}</p> : <p>{t('voice:lookingUp')}</p>}
      <CallNotes />
      <div className="softphone-actions">
        <button type="button" className="btn btn-primary" onClick={() => store().accept()} aria-keyshortcuts={shortcut ? ariaKeys(shortcut) : undefined}>
          {t('voice:accept')}
        </button>
        {shortcut && <kbd className="softphone-shortcut">{shortcutLabel(shortcut)}</kbd>}
        <button type="button" className="btn" onClick={() => store().decline()}>
          {t('voice:decline')}
        </button>
        {pop?.activeChat && busy && (
          <button type="button" className="btn" disabled={callback === 'sending'} onClick={() => void store().offerCallback()}>
            {t('voice:offerCallback')}
          </button>
        )}
      </div>
    </div>
  );
}

function CallNotes() {
  const notes = useSoftphoneStore((s) => s.notes);
  const status = useSoftphoneStore((s) => s.notesStatus);
  const error = useSoftphoneStore((s) => s.notesError);
  const canSave = useSoftphoneStore((s) => s.call?.customerId != null);
  const id = useId();
  return (
    <div className="softphone-notes">
      <label htmlFor={id}>{t('voice:notes')}</label>
      <textarea id={id} rows={3} value={notes} onChange={(e) => useSoftphoneStore.getState().setNotes(e.target.value)} />
      {canSave && (
        <button type="button" className="btn" disabled={status === 'saving' || notes.trim() === ''} onClick={() => void useSoftphoneStore.getState().saveNotes()}>
          {status === 'saved' ? t('voice:notesSaved') : t('voice:saveNotes')}
        </button>
      )}
      {error && <span role="alert">{error}</span>}
    </div>
  );
}

function LiveCall({ now }: { now: number }) {
  const call = useSoftphoneStore((s) => s.call)!;
  const pop = useSoftphoneStore((s) => s.pop);
  const [keypad, setKeypad] = useState(false);
  const [transferring, setTransferring] = useState(false);
  const store = useSoftphoneStore.getState;
  const status = t(`voice:status.${call.onHold && call.status === 'connecting' ? 'resuming' : call.status === 'open' ? (call.onHold ? 'onHold' : 'connected') : call.status === 'ringing' ? 'ringing' : call.status === 'reconnecting' ? 'reconnecting' : 'connecting'}`);
  const party = pop?.customer.name ?? call.party;
  return (
    <div className="softphone-call" role="region" aria-label={t('voice:currentCall')}>
      <p className="softphone-call-title">
        {call.direction === 'in' ? t('voice:callWith', { party }) : t('voice:calling', { party })} <span className="softphone-call-status">{status}</span>
        {call.answeredAt !== null && (
          <span className="softphone-timer" aria-label={t('voice:duration')}>
            {formatTimer(now - call.answeredAt)}
          </span>
        )}
      </p>
      {pop && call.direction === 'in' && <PopDetails pop={pop} />}
      <div className="softphone-actions">
        <button type="button" className="btn" aria-pressed={call.muted} onClick={() => store().toggleMute()}>
          {call.muted ? t('voice:unmute') : t('voice:mute')}
        </button>
        <button type="button" className="btn" aria-pressed={call.onHold} disabled={call.status !== 'open'} onClick={() => void store().toggleHold()}>
          {call.onHold ? t('voice:resume') : t('voice:hold')}
        </button>
        <button type="button" className="btn" aria-expanded={keypad} onClick={() => setKeypad((k) => !k)}>
          {t('voice:keypad')}
        </button>
        <button type="button" className="btn" aria-expanded={transferring} disabled={call.status !== 'open'} onClick={() => setTransferring((on) => !on)}>
          {t('voice:transferOpen')}
        </button>
        <button type="button" className="btn btn-danger-solid" onClick={() => store().hangUp()}>
          {t('voice:hangUp')}
        </button>
      </div>
      {keypad && (
        <div className="softphone-keys" role="group" aria-label={t('voice:sendTones')}>
          {DTMF_KEYS.map((k) => (
            <button key={k} type="button" className="btn softphone-key" aria-label={t('voice:tone', { key: k })} onClick={() => store().sendDigit(k)}>
              {k}
            </button>
          ))}
        </div>
      )}
      {transferring && <TransferCall callSid={call.callSid} onDone={() => setTransferring(false)} />}
      {call.direction === 'in' && <CallNotes />}
    </div>
  );
}

/** Hands the live call on: to a teammate (from the hub's directory), the phone queue or a number; cold or warm. */
function TransferCall({ callSid, onDone }: { callSid: string; onDone: () => void }) {
  const [agents, setAgents] = useState<DirectoryAgent[] | null>(null);
  const [target, setTarget] = useState('queue');
  const [number, setNumber] = useState('');
  const [mode, setMode] = useState<'cold' | 'warm'>('cold');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  useEffect(() => {
    let live = true;
    hubApi()
      .agentDirectory({ channel: 'phone' })
      .then(({ agents: list, self }) => live && setAgents(list.filter((a) => a.agentId !== self)))
      .catch((e: unknown) => live && (setAgents([]), setProblem(messageOf(e, t('voice:teamFailed')))));
    return () => {
      live = false;
    };
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const to = target === 'queue' ? { queue: 'phone' as const } : target === 'number' ? { number } : { agentId: Number(target) };
    setBusy(true);
    setProblem(null);
    getApi()
      .transferCall({ callSid, to, mode })
      .then(() => onDone())
      .catch((err: unknown) => setProblem(messageOf(err, t('voice:transferFailed'))))
      .finally(() => setBusy(false));
  };
  return (
    <form className="softphone-transfer" aria-label={t('voice:transferCall')} onSubmit={submit}>
      <label htmlFor={`${id}-to`}>{t('voice:transferTo')}</label>
      <select id={`${id}-to`} value={target} onChange={(e) => setTarget(e.target.value)}>
        <option value="queue">{t('voice:phoneQueue')}</option>
        {(agents ?? []).map((a) => (
          <option key={a.agentId} value={String(a.agentId)} disabled={!a.available}>
            {a.displayName}
            {a.available ? '' : t('voice:unavailableReason', { reason: a.unavailableReason ? sentenceOf({ message: a.unavailableReason, ...(a.unavailableText ?? {}) }) : t('voice:unavailable') })}
          </option>
        ))}
        <option value="number">{t('voice:aNumber')}</option>
      </select>
      {target === 'number' && (
        <>
          <label htmlFor={`${id}-number`}>{t('voice:number')}</label>
          <input id={`${id}-number`} type="tel" value={number} required onChange={(e) => setNumber(e.target.value)} />
        </>
      )}
      <fieldset>
        <legend>{t('voice:how')}</legend>
        <label>
          <input type="radio" name={`${id}-mode`} checked={mode === 'cold'} onChange={() => setMode('cold')} /> {t('voice:cold')}
        </label>
        <label>
          <input type="radio" name={`${id}-mode`} checked={mode === 'warm'} onChange={() => setMode('warm')} /> {t('voice:warm')}
        </label>
      </fieldset>
      <button type="submit" className="btn" disabled={busy || (target === 'number' && number.trim() === '')}>
        {t('voice:transfer')}
      </button>
      <button type="button" className="btn" onClick={onDone}>
        {t('voice:cancel')}
      </button>
      {problem && <p role="alert">{problem}</p>}
    </form>
  );
}

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

/** "CommandOrControl+Shift+A" as this keyboard reads it: "Ctrl+Shift+A" or "⌘+Shift+A". */
function shortcutLabel(accelerator: string): string {
  return accelerator.replace(/CommandOrControl|CmdOrCtrl/, isMac ? '⌘' : 'Ctrl');
}

/** The same for aria-keyshortcuts (Control, Meta). */
function ariaKeys(accelerator: string): string {
  return accelerator.replace(/CommandOrControl|CmdOrCtrl/, isMac ? 'Meta' : 'Control').replace(/\bCtrl\b/, 'Control').replace(/\bCmd\b|\bCommand\b/, 'Meta');
}
