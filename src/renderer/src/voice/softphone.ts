// The softphone slice: one Twilio Voice SDK Device registered with a token from the hub (refreshed
// on tokenWillExpire), kept registered by the watchdog (shared/voice/watchdog), the incoming call
// with its screen pop, the live call (mute, hold through the hub, DTMF, timer), outbound dialing,
// wrap-up before the next offer, presence "on a call" while talking, the microphone permission and
// the audio devices (ringtone and speaker apart where the browser can route them).
import type { Call, Device } from '@twilio/voice-sdk';
import { create } from 'zustand';
import type { ScreenPop, VoiceSetup } from '../../../shared/contractVoice';
import type { Presence } from '../../../shared/contractHub';
import { telLinkNumber, toE164, type DtmfKey } from '../../../shared/voice/e164';
import { watchdogAction, type DeviceRegistration } from '../../../shared/voice/watchdog';
import { getApi } from '../api';
import { newIdempotencyKey } from '../ids';
import { useConversationStore } from '../state/conversation';
import { useCustomerStore } from '../state/customer';
import { useHubStore } from '../state/hub';
import { t } from '../i18n';
import { messageOf } from '../state/errors';
import { loadVoiceSdk } from './loadSdk';
import { SOUNDS } from './sounds';

export type Registration = 'off' | 'starting' | DeviceRegistration | 'error';
export type MicPermission = 'unknown' | 'prompt' | 'granted' | 'denied';

export interface IncomingView {
  callSid: string;
  from: string;
  pop: ScreenPop | null;
  popError: string | null;
}

export interface CallView {
  callSid: string;
  direction: 'in' | 'out';
  /** The other party: a number in E.164, or a client identity. */
  party: string;
  status: 'connecting' | 'ringing' | 'open' | 'reconnecting';
  /** When it was answered (the call timer counts from here); null before. */
  answeredAt: number | null;
  muted: boolean;
  onHold: boolean;
  /** The customer the screen pop found (call notes go there). */
  customerId: number | null;
  caseId: number | null;
}

export interface AudioChoice {
  id: string;
  label: string;
}

export interface SoftphoneState {
  setup: VoiceSetup | null;
  registration: Registration;
  /** Why the softphone is off or failing, in a sentence. */
  detail: string | null;
  identity: string | null;
  incoming: IncomingView | null;
  call: CallView | null;
  /** The screen pop of the incoming or live call (stays up while talking). */
  pop: ScreenPop | null;
  /** The call notes being written (pre-filled by the screen pop's brief). */
  notes: string;
  notesStatus: 'idle' | 'saving' | 'saved' | 'error';
  notesError: string | null;
  /** After a call: offers wait until then. */
  wrapUpUntil: number | null;
  mic: MicPermission;
  inputs: AudioChoice[];
  outputs: AudioChoice[];
  /** False where the browser cannot route audio to a chosen output (then ringtone and speaker follow the system's). */
  outputSelection: boolean;
  input: string;
  ringtoneOutput: string;
  speakerOutput: string;
  /** The last failed action ("Hold needs …"), shown until the next one. */
  error: string | null;
  /** The callback offered into the live chat ("sent" once it is on its way). */
  callbackStatus: 'idle' | 'sending' | 'sent' | 'error';
  /** The desktop app's global shortcut that answers the ringing call (null: none here). */
  answerShortcut: string | null;

  start(): Promise<void>;
  stop(): void;
  accept(): void;
  decline(): void;
  hangUp(): void;
  toggleMute(): void;
  toggleHold(): Promise<void>;
  sendDigit(key: DtmfKey): void;
  dial(number: string): Promise<boolean>;
  setNotes(notes: string): void;
  saveNotes(): Promise<void>;
  offerCallback(): Promise<void>;
  askMicrophone(): Promise<void>;
  chooseInput(id: string): Promise<void>;
  chooseRingtone(id: string): Promise<void>;
  chooseSpeaker(id: string): Promise<void>;
  endWrapUp(): void;
}

// The SDK objects live outside the store (they are not state the UI renders).
let device: Device | null = null;
let pending: Call | null = null;
let active: Call | null = null;
let watchdogTimer: ReturnType<typeof setInterval> | null = null;
let wrapUpTimer: ReturnType<typeof setTimeout> | null = null;
let stateSince = 0;
let confirmedAt = 0;
let acting = false;
let presenceBeforeCall: Presence | null = null;
/** The leg put on hold: Twilio ends it as the caller moves into the hold room, which is not the call's end. */
let holdLeg: string | null = null;
const ENDED: ReadonlySet<unknown> = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);
const stops: Array<() => void> = [];

const now = () => Date.now();

/** Options the SDK takes but keeps out of its public type: `chunderw` names the signaling host, `publishEvents: false` stops the insights posts. */
type DeviceOptionsWithHost = Device.Options & { chunderw?: string; publishEvents?: boolean };

export const useSoftphoneStore = create<SoftphoneState>()((set, get) => {
  const fail = (e: unknown, fallback: string) => set({ error: messageOf(e, fallback) });

  const setRegistration = (registration: Registration, detail: string | null = null) => {
    if (get().registration !== registration) stateSince = now();
    set({ registration, detail });
  };

  const setPresence = (presence: Presence) => {
    const hub = useHubStore.getState();
    if (hub.status?.state === 'online' && hub.status.presence !== presence) void hub.setPresence(presence);
  };

  const readDevices = () => {
    const audio = device?.audio;
    if (!audio) return;
    const list = (m: Map<string, MediaDeviceInfo>) => [...m.values()].map((d) => ({ id: d.deviceId, label: d.label || (d.deviceId === 'default' ? t('voice:systemDefault') : t('voice:device', { id: d.deviceId.slice(0, 6) })) }));
    set({
      inputs: list(audio.availableInputDevices),
      outputs: list(audio.availableOutputDevices),
      outputSelection: audio.isOutputSelectionSupported,
    });
  };

  const callParty = (call: Call) => call.customParameters.get('caller') ?? call.parameters.From ?? call.customParameters.get('To') ?? 'Unknown';

  /** The call is up: timer, presence "on a call". */
  const answered = (call: Call) => {
    const c = get().call;
    set({ call: c ? { ...c, status: 'open', answeredAt: c.answeredAt ?? now(), callSid: call.parameters.CallSid ?? c.callSid } : null });
    const presence = useHubStore.getState().status?.presence ?? null;
    if (presence !== 'on_call') presenceBeforeCall = presence === 'wrap_up' ? 'available' : presence;
    setPresence('on_call');
  };

  /** A leg ended: on hold the call goes on without one here; otherwise the call is over. */
  const ended = (call: Call) => {
    if (active !== call) return;
    active = null;
    const c = get().call;
    if (c && holdLeg === c.callSid) {
      set({ call: { ...c, status: 'open' } });
      return;
    }
    finish();
  };

  /** The call ended: wrap-up for the configured time, then back to the presence before the call. */
  const finish = () => {
    holdLeg = null;
    const wasAnswered = get().call?.answeredAt != null;
    set({ call: null });
    if (!wasAnswered) {
      if (presenceBeforeCall) setPresence(presenceBeforeCall);
      return;
    }
    const seconds = get().setup?.wrapUpSeconds ?? 0;
    if (seconds <= 0) {
      get().endWrapUp();
      return;
    }
    set({ wrapUpUntil: now() + seconds * 1000 });
    setPresence('wrap_up');
    if (wrapUpTimer) clearTimeout(wrapUpTimer);
    wrapUpTimer = setTimeout(() => get().endWrapUp(), seconds * 1000);
  };

  const follow = (call: Call, direction: 'in' | 'out', pop: ScreenPop | null) => {
    active = call;
    set({
      call: {
        callSid: call.parameters.CallSid ?? call.outboundConnectionId ?? 'TJS-pending',
        direction,
        party: direction === 'in' ? callParty(call) : (call.customParameters.get('To') ?? ''),
        status: 'connecting',
        answeredAt: null,
        muted: false,
        onHold: false,
        customerId: pop?.customer.id ?? null,
        caseId: pop?.openCase?.id ?? null,
      },
      error: null,
    });
    watch(call);
  };

  /**
   * Calling the open conversation's customer: the call belongs to their case (notes are saved there), and
   * the notes start with the call brief the channel configuration's handoff rule gives (email → phone).
   */
  const briefOutbound = (call: Call, e164: string) => {
    const caseId = useConversationStore.getState().caseId;
    const profile = useCustomerStore.getState().profile;
    if (caseId === null || !profile?.identities.some((i) => i.kind === 'phone' && i.value === e164)) return;
    const c = get().call;
    if (c) set({ call: { ...c, customerId: profile.id, caseId } });
    void getApi()
      .handoffCallBrief({ caseId })
      .then(({ notes }) => {
        // Only into the same call's notes, and never over what the agent typed meanwhile.
        if (notes && active === call && get().notes === '') set({ notes });
      })
      .catch(() => undefined);
  };

  /** The held call's agent leg again: the hub rang this softphone back with `resume`; taken without asking. */
  const resumeHeld = (call: Call, held: CallView) => {
    holdLeg = null;
    active = call;
    set({ call: { ...held, callSid: call.parameters.CallSid ?? held.callSid, onHold: false, muted: false, status: 'connecting' }, error: null });
    watch(call);
    call.accept();
  };

  const watch = (call: Call) => {
    call.on('ringing', () => {
      const c = get().call;
      if (c && active === call) set({ call: { ...c, status: 'ringing', callSid: call.parameters.CallSid ?? c.callSid } });
    });
    call.on('accept', () => answered(call));
    call.on('reconnecting', () => {
      const c = get().call;
      if (c && active === call) set({ call: { ...c, status: 'reconnecting' } });
    });
    call.on('reconnected', () => {
      const c = get().call;
      if (c && active === call) set({ call: { ...c, status: 'open' } });
    });
    call.on('mute', (muted: boolean) => {
      const c = get().call;
      if (c && active === call) set({ call: { ...c, muted } });
    });
    call.on('disconnect', () => ended(call));
    call.on('cancel', () => ended(call));
    call.on('reject', () => ended(call));
    call.on('error', (e: Error) => fail(e, t('voice:error.callFailed')));
  };

  /** Tells the desktop shell a call rings or stopped (it holds the global answer shortcut meanwhile). */
  const ringing = (on: boolean, from: string | null) => {
    getApi()
      .setCallRinging({ ringing: on, from })
      .then(
        ({ shortcut }) => set({ answerShortcut: on ? shortcut : null }),
        () => set({ answerShortcut: null }),
      );
  };

  const onIncoming = (call: Call) => {
    const held = get().call;
    if (held?.onHold && active === null && call.customParameters.get('resume') === held.callSid) {
      resumeHeld(call, held);
      return;
    }
    // The latency the agent feels runs from here to the painted pop (bench: screen-pop measure).
    performance.clearMarks('voice-incoming');
    performance.mark('voice-incoming');
    pending = call;
    const callSid = call.parameters.CallSid ?? '';
    const from = callParty(call);
    set({ incoming: { callSid, from, pop: null, popError: null }, pop: null, notes: '', callbackStatus: 'idle' });
    ringing(true, from === 'Unknown' ? null : from);
    const conversationId = call.customParameters.get('conversationId');
    getApi()
      .screenPop({ callSid, caller: from === 'Unknown' ? null : from, conversationId: conversationId ? Number(conversationId) : null })
      .then(
        (pop) => {
          if (get().incoming?.callSid !== callSid) return;
          performance.measure('screen-pop-data', 'voice-incoming');
          set((s) => ({ incoming: s.incoming && { ...s.incoming, pop }, pop, notes: pop.callNotes, notesStatus: 'idle', notesError: null }));
        },
        (e: unknown) => {
          if (get().incoming?.callSid !== callSid) return;
          set((s) => ({ incoming: s.incoming && { ...s.incoming, popError: messageOf(e, t('voice:error.lookup')) } }));
        },
      );
    const gone = () => {
      if (pending !== call) return;
      pending = null;
      ringing(false, null);
      set({ incoming: null, pop: null });
    };
    call.on('cancel', gone);
    call.on('disconnect', gone);
    call.on('reject', gone);
  };

  const refreshToken = async () => {
    try {
      const { token } = await getApi().voiceToken({});
      device?.updateToken(token);
    } catch (e) {
      setRegistration(get().registration, t('voice:error.tokenRenew', { reason: messageOf(e, t('voice:error.hubSilent')) }));
      setTimeout(() => void refreshToken(), 5_000);
    }
  };

  const build = async (setup: VoiceSetup) => {
    const { token, identity } = await getApi().voiceToken({});
    const sdk = await loadVoiceSdk(setup.insecureSignaling);
    const options: DeviceOptionsWithHost = {
      publishEvents: false,
      sounds: SOUNDS as Device.Options['sounds'],
      allowIncomingWhileBusy: true,
      closeProtection: false,
      logLevel: 'error',
      ...(setup.signalingHost ? { chunderw: setup.signalingHost } : {}),
    };
    const d = new sdk.Device(token, options);
    device = d;
    set({ identity });
    d.on('registering', () => device === d && setRegistration('registering'));
    d.on('registered', () => {
      if (device !== d) return;
      confirmedAt = now();
      setRegistration('registered');
    });
    d.on('unregistered', () => device === d && setRegistration('unregistered'));
    d.on('destroyed', () => device === d && setRegistration('destroyed'));
    d.on('error', (e: Error) => {
      if (device === d) set({ detail: `Twilio: ${e.message}` });
    });
    d.on('incoming', (call: Call) => device === d && onIncoming(call));
    d.on('tokenWillExpire', () => device === d && void refreshToken());
    d.audio?.on('deviceChange', readDevices);
    readDevices();
    await d.register();
  };

  const rebuild = async () => {
    const setup = get().setup;
    if (!setup) return;
    const old = device;
    device = null;
    old?.destroy();
    setRegistration('registering', t('voice:error.reconnecting'));
    await build(setup);
  };

  const watchdog = async () => {
    if (acting || !device || !get().setup) return;
    const action = watchdogAction(
      { wanted: true, state: device.state as DeviceRegistration, stateSince, confirmedAt, onCall: active !== null || pending !== null, now: now() },
      get().setup!.watchdog,
    );
    if (action === 'none') return;
    acting = true;
    try {
      if (action === 'register') await device.register();
      else if (action === 'reconfirm') {
        await device.unregister();
        await device.register();
      } else await rebuild();
    } catch (e) {
      set({ detail: t('voice:error.register', { reason: messageOf(e, t('voice:error.noAnswer')) }) });
    } finally {
      acting = false;
    }
  };

  return {
    setup: null,
    registration: 'off',
    detail: null,
    identity: null,
    incoming: null,
    call: null,
    pop: null,
    notes: '',
    notesStatus: 'idle',
    notesError: null,
    wrapUpUntil: null,
    mic: 'unknown',
    inputs: [],
    outputs: [],
    outputSelection: false,
    input: 'default',
    ringtoneOutput: 'default',
    speakerOutput: 'default',
    error: null,
    callbackStatus: 'idle',
    answerShortcut: null,

    async start() {
      if (get().registration !== 'off' && get().registration !== 'error') return;
      setRegistration('starting');
      void readMicPermission().then((mic) => set({ mic }));
      let setup: VoiceSetup;
      try {
        setup = await getApi().voiceSetup({});
      } catch (e) {
        setRegistration('error', messageOf(e, t('voice:error.settings')));
        return;
      }
      set({ setup });
      if (!setup.available) {
        setRegistration('off', setup.reason);
        return;
      }
      try {
        await build(setup);
      } catch (e) {
        setRegistration('error', t('voice:error.start', { reason: messageOf(e, t('voice:error.noToken')) }));
      }
      // The desktop app's global shortcut (or its notice's Answer) while a call rings.
      stops.push(getApi().on('callAnswerRequested', () => get().accept()));
      // A caller who hangs up while on hold ends the call here too (the hub's call row says so).
      stops.push(
        getApi().on('timelineAppended', ({ event }) => {
          const c = get().call;
          if (!c?.onHold || active !== null || event.kind !== 'call' || !ENDED.has(event.metadata['status'])) return;
          if ((c.caseId !== null && event.caseId === c.caseId) || (c.customerId !== null && event.customerId === c.customerId)) finish();
        }),
      );
      if (!watchdogTimer) {
        watchdogTimer = setInterval(() => void watchdog(), setup.watchdog.checkEveryMs);
        // A window coming back to the front, or the network returning, is checked at once.
        const check = () => void watchdog();
        const visible = () => document.visibilityState === 'visible' && check();
        document.addEventListener('visibilitychange', visible);
        window.addEventListener('online', check);
        stops.push(() => {
          document.removeEventListener('visibilitychange', visible);
          window.removeEventListener('online', check);
        });
      }
    },

    stop() {
      if (watchdogTimer) clearInterval(watchdogTimer);
      watchdogTimer = null;
      if (wrapUpTimer) clearTimeout(wrapUpTimer);
      for (const s of stops.splice(0)) s();
      device?.destroy();
      device = null;
      pending = null;
      active = null;
      set({ registration: 'off', incoming: null, call: null });
    },

    accept() {
      const call = pending;
      const incoming = get().incoming;
      if (!call || !incoming) return;
      pending = null;
      ringing(false, null);
      set({ incoming: null });
      follow(call, 'in', incoming.pop);
      const c = get().call;
      if (c) set({ call: { ...c, party: incoming.pop?.caller?.e164 ?? incoming.from } });
      call.accept();
      if (get().mic !== 'granted') void readMicPermission().then((mic) => set({ mic }));
    },

    decline() {
      const call = pending;
      if (call) ringing(false, null);
      pending = null;
      set({ incoming: null, pop: null });
      call?.reject();
    },

    hangUp() {
      if (active) {
        active.disconnect();
        return;
      }
      // On hold there is no leg here: the hub ends the caller's.
      const c = get().call;
      if (!c?.onHold) return;
      getApi()
        .callControl({ callSid: c.callSid, action: 'hangup' })
        .then(
          () => finish(),
          (e: unknown) => fail(e, t('voice:error.hangupFailed')),
        );
    },

    toggleMute() {
      if (!active) return;
      active.mute(!active.isMuted());
    },

    async toggleHold() {
      const c = get().call;
      if (!c) return;
      const action = c.onHold ? 'unhold' : 'hold';
      set({ error: null });
      if (action === 'hold') holdLeg = c.callSid;
      try {
        await getApi().callControl({ callSid: c.callSid, action });
        const now2 = get().call;
        // Resuming: the hub rings this softphone back (see onIncoming); until then the call stays held.
        // (The ring-back can arrive before this answer: a call already resumed is left as it is.)
        if (now2 && action === 'hold') set({ call: { ...now2, onHold: true } });
        else if (now2?.onHold && active === null) set({ call: { ...now2, status: 'connecting' } });
      } catch (e) {
        if (action === 'hold') holdLeg = null;
        fail(e, action === 'hold' ? t('voice:error.hold') : t('voice:error.unhold'));
      }
    },

    sendDigit(key) {
      active?.sendDigits(key);
    },

    async dial(number) {
      set({ error: null });
      const setup = get().setup;
      if (!device || !setup || get().registration !== 'registered') {
        set({ error: t('voice:error.notReady') });
        return false;
      }
      if (active) {
        set({ error: t('voice:error.finishFirst') });
        return false;
      }
      const target = toE164(number, setup.defaultRegion);
      if (!target.ok) {
        set({ error: target.message });
        return false;
      }
      try {
        const call = await device.connect({ params: { To: target.e164 } });
        set({ pop: null, notes: '' });
        follow(call, 'out', null);
        const c = get().call;
        if (c) set({ call: { ...c, party: target.e164 } });
        briefOutbound(call, target.e164);
        return true;
      } catch (e) {
        fail(e, t('voice:error.place'));
        return false;
      }
    },

    setNotes(notes) {
      set({ notes, notesStatus: 'idle' });
    },

    async saveNotes() {
      const c = get().call;
      const customerId = c?.customerId;
      if (!c || !customerId) return;
      set({ notesStatus: 'saving', notesError: null });
      try {
        await getApi().saveCallNotes({ callSid: c.callSid, customerId, caseId: c.caseId, body: get().notes });
        set({ notesStatus: 'saved' });
      } catch (e) {
        set({ notesStatus: 'error', notesError: messageOf(e, t('voice:error.notes')) });
      }
    },

    async offerCallback() {
      const incoming = get().incoming;
      const chat = incoming?.pop?.activeChat;
      if (!incoming?.pop || !chat) return;
      set({ callbackStatus: 'sending' });
      const number = incoming.pop.caller?.display ?? 'your number';
      try {
        await getApi().sendReply({
          caseId: chat.caseId,
          channel: chat.channel,
          body: `I see you are calling us. I'm finishing another call and will call you back at ${number} in a few minutes.`,
          idempotencyKey: newIdempotencyKey(),
        });
        set({ callbackStatus: 'sent' });
        get().decline();
      } catch (e) {
        set({ callbackStatus: 'error', error: messageOf(e, t('voice:error.callback')) });
      }
    },

    async askMicrophone() {
      try {
        const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
        for (const track of stream.getTracks()) track.stop();
        set({ mic: 'granted' });
        readDevices();
      } catch {
        set({ mic: 'denied' });
      }
    },

    async chooseInput(id) {
      try {
        await device?.audio?.setInputDevice(id);
        set({ input: id });
      } catch (e) {
        fail(e, t('voice:error.mic'));
      }
    },

    async chooseRingtone(id) {
      try {
        await device?.audio?.ringtoneDevices.set(id);
        set({ ringtoneOutput: id });
      } catch (e) {
        fail(e, t('voice:error.ringtone'));
      }
    },

    async chooseSpeaker(id) {
      try {
        await device?.audio?.speakerDevices.set(id);
        set({ speakerOutput: id });
      } catch (e) {
        fail(e, t('voice:error.speaker'));
      }
    },

    endWrapUp() {
      if (wrapUpTimer) clearTimeout(wrapUpTimer);
      wrapUpTimer = null;
      set({ wrapUpUntil: null });
      setPresence(presenceBeforeCall ?? 'available');
      presenceBeforeCall = null;
    },
  };
});

async function readMicPermission(): Promise<MicPermission> {
  try {
    const status = await navigator.permissions.query({ name: 'microphone' as PermissionName });
    return status.state === 'granted' ? 'granted' : status.state === 'denied' ? 'denied' : 'prompt';
  } catch {
    return 'unknown';
  }
}

/** `tel:` links anywhere in the workspace dial through the softphone. Returns the stop. */
export function startTelLinks(doc: Document = document): () => void {
  const onClick = (e: MouseEvent) => {
    const link = (e.target as Element | null)?.closest?.('a[href^="tel:"]');
    if (!link) return;
    e.preventDefault();
    const number = telLinkNumber(link.getAttribute('href') ?? '');
    if (number) void useSoftphoneStore.getState().dial(number);
  };
  doc.addEventListener('click', onClick);
  return () => doc.removeEventListener('click', onClick);
}
