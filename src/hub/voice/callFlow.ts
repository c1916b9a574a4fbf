// The hub's side of a phone call, between Twilio's webhooks and the core: the IVR, routing the call
// to one agent's softphone (the routing engine decides: VIP to senior, language, stickiness), the
// queue when nobody is free, voicemail after hours or when nobody answers, and the call record
// every status callback updates in place. Each step commits before its TwiML leaves (the hub's
// HTTP responses wait for the commit). No HTTP parsing here; module.ts checks signatures first.
import { normalizePhone } from '../../shared/identity';
import type { CallStatus, HubConversation } from '../../shared/hub/agentProtocol';
import type { IssueType } from '../../shared/domain';
import { isOpen, type BusinessCalendar } from '../../shared/time';
import { channelCalendar } from '../../shared/channelConfig';
import { say } from '../../shared/serverErrors';
import type { HubContext } from '../services';
import type { VoiceConfig } from './config';
import { chooseOption, menuOptions, statusSentence } from './ivr';
import {
  agentOfIdentity,
  dialAgentTwiml,
  emptyTwiml,
  enqueueTwiml,
  leaveTwiml,
  menuTwiml,
  noteTwiml,
  sayThenHangup,
  type Urls,
  voicemailTwiml,
  waitTwiml,
} from './twiml';
import type { CallChange, CallRecord, VoiceStore } from './voiceStore';

/** Called with a voicemail's transcription once it is stored (the e-mail to the support address). */
export type TranscriptionListener = (v: { call: CallRecord; conversation: HubConversation; transcription: string }) => void;

const TERMINAL: ReadonlySet<CallStatus> = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);
const RANK: Record<CallStatus, number> = { queued: 0, ringing: 1, 'in-progress': 2, completed: 3, busy: 3, 'no-answer': 3, failed: 3, canceled: 3 };

export function isCallStatus(s: string): s is CallStatus {
  return s in RANK;
}

export class CallFlow {
  onTranscription: TranscriptionListener = () => {};

  constructor(
    private readonly ctx: HubContext,
    private readonly voice: VoiceConfig,
    private readonly store: VoiceStore,
    private readonly region: string,
  ) {
  }

  /** The phone line's hours: the channel configuration's (seeded from voice.hours), as saved now. */
  private get calendar(): BusinessCalendar {
    return channelCalendar(this.ctx.channelMatrix(), 'phone');
  }

  /** The hub's public address the webhook URLs in TwiML and REST calls start with. */
  get urls(): Urls {
    return { base: this.ctx.publicUrl().replace(/\/+$/, '') };
  }

  private get conversations() {
    return this.ctx.conversations;
  }

  /** The caller's number in E.164 when it is one (withheld and SIP callers keep what Twilio sent). */
  e164(raw: string): string {
    const n = normalizePhone(raw, this.region);
    return n.ok ? n.identifier.value : raw.trim();
  }

  // ------------------------------------------------------------------ webhooks

  /** A call arrives: voicemail after hours, else the IVR menu (or straight to routing without one). */
  incoming(p: { CallSid: string; From: string; To: string }): string {
    const call = this.store.insert({ callSid: p.CallSid, conversationId: null, direction: 'in', from: this.e164(p.From), to: p.To, status: 'ringing' }, this.ctx.now());
    if (!isOpen(this.calendar, this.ctx.now())) {
      this.conversations.transaction(() => {
        this.ticket(call, `Call from ${call.from} after hours`);
        this.change(call.callSid, { outcome: 'after-hours' });
      });
      return voicemailTwiml(this.voice, this.urls, true);
    }
    if (!this.voice.ivr.enabled) return this.route(call, {});
    const open = this.conversations.openConversationsByPhone(call.from);
    const status = open[0] ? statusSentence(this.voice.ivr, open[0]) : null;
    return menuTwiml(this.voice, this.urls, menuOptions(this.voice.ivr, open.length > 0), status);
  }

  /** The caller pressed a key or spoke (or neither: `choice=none`). */
  menu(p: { CallSid: string; From: string; To: string; Digits?: string | undefined; SpeechResult?: string | undefined }, none: boolean): string {
    const call = this.store.call(p.CallSid) ?? this.store.insert({ callSid: p.CallSid, conversationId: null, direction: 'in', from: this.e164(p.From), to: p.To, status: 'ringing' }, this.ctx.now());
    const open = this.conversations.openConversationsByPhone(call.from);
    const option = none ? null : chooseOption(menuOptions(this.voice.ivr, open.length > 0), p.Digits, p.SpeechResult);
    if (option?.action === 'note' && open[0]) return noteTwiml(this.voice, this.urls, open[0].id);
    return this.route(call, { issueType: option?.action === 'route' ? option.issueType : undefined, language: option?.language });
  }

  /** Rings the agent the routing engine picks, or queues the call when nobody fits now. */
  route(call: CallRecord, how: { issueType?: IssueType | undefined; language?: string | undefined }): string {
    return this.conversations.transaction(() => {
      const conversationId = this.ticket(call, `Call from ${call.from}`);
      const vip = this.voice.vipNumbers.includes(call.from);
      this.conversations.setRouting(conversationId, {
        ...(how.issueType ? { issueType: how.issueType } : {}),
        ...(vip ? { vip: true } : {}),
        ...(how.language ? { language: how.language } : {}),
      });
      this.change(call.callSid, { issueType: how.issueType ?? null });
      const pick = this.conversations.pickAgent(conversationId);
      if (pick) return this.ring(call.callSid, conversationId, pick.agentId);
      // Held by an agent who is not free now: waiting again, so the first free agent gets it.
      const conv = this.conversations.conversation(conversationId);
      if (conv?.status === 'assigned') this.conversations.requeue(conversationId, say('movedCallWaits'));
      this.change(call.callSid, { status: 'queued', agentId: null });
      this.emit(call.callSid);
      return enqueueTwiml(this.voice, this.urls);
    });
  }

  /** Each turn of the queue's wait loop: leave when someone took the call (or it waited too long). */
  wait(p: { CallSid: string; QueuePosition?: string | undefined; QueueTime?: string | undefined }): string {
    const position = Number(p.QueuePosition);
    const call = this.store.call(p.CallSid);
    const conv = call?.conversationId != null ? this.conversations.conversation(call.conversationId) : null;
    if (!call || !conv) return waitTwiml(this.voice, Number.isFinite(position) ? position : null);
    if (conv.status === 'assigned' && conv.assignedAgentId !== null) return leaveTwiml();
    if (Number(p.QueueTime) >= this.voice.queue.maxWaitSeconds) return leaveTwiml();
    const pick = this.conversations.pickAgent(conv.id);
    if (pick) {
      this.conversations.assignTo(conv.id, pick.agentId);
      return leaveTwiml();
    }
    return waitTwiml(this.voice, Number.isFinite(position) ? position : null);
  }

  /** The <Enqueue> ended: dial whoever took the call, or take a voicemail. */
  queued(p: { CallSid: string; QueueResult?: string | undefined }): string {
    const call = this.store.call(p.CallSid);
    if (!call || call.conversationId === null) return voicemailTwiml(this.voice, this.urls, false);
    if (p.QueueResult === 'hangup') {
      this.conversations.transaction(() => {
        this.change(call.callSid, { outcome: 'abandoned' });
        this.emit(call.callSid);
      });
      return emptyTwiml();
    }
    const conv = this.conversations.conversation(call.conversationId);
    if (p.QueueResult === 'leave' && conv?.status === 'assigned' && conv.assignedAgentId !== null) {
      return this.conversations.transaction(() => this.ring(call.callSid, conv.id, conv.assignedAgentId!));
    }
    this.conversations.transaction(() => {
      this.change(call.callSid, { outcome: 'no-answer', voicemail: true });
      this.emit(call.callSid);
    });
    return voicemailTwiml(this.voice, this.urls, false);
  }

  /** The <Dial> to an agent ended: answered and done, or not answered → voicemail, back to the queue as a ticket. */
  dialed(p: { CallSid: string; DialCallStatus?: string | undefined; DialCallDuration?: string | undefined }): string {
    const call = this.store.call(p.CallSid);
    const status = p.DialCallStatus ?? 'failed';
    if (!call) return emptyTwiml();
    if (status === 'completed' || status === 'answered') {
      const duration = Number(p.DialCallDuration);
      this.conversations.transaction(() => {
        this.change(call.callSid, { outcome: call.outcome ?? 'answered', ...(Number.isFinite(duration) && call.durationSec === null ? { durationSec: duration } : {}) });
        this.emit(call.callSid);
      });
      return emptyTwiml();
    }
    this.conversations.transaction(() => {
      this.change(call.callSid, { outcome: status === 'busy' ? 'busy' : 'no-answer', voicemail: true });
      this.emit(call.callSid);
      if (call.conversationId !== null) this.conversations.requeue(call.conversationId, say('movedVoicemail'));
    });
    return voicemailTwiml(this.voice, this.urls, false);
  }

  /** The caller finished the voicemail recording. */
  recorded(): string {
    return sayThenHangup(this.voice, 'Thank you, goodbye.');
  }

  /** The recording is ready: an answered call's goes on its record; a voicemail becomes a message on the ticket. */
  recording(
    p: { CallSid: string; RecordingSid: string; RecordingUrl: string; RecordingStatus?: string | undefined; RecordingDuration?: string | undefined },
    kind: 'call' | 'voicemail' = 'voicemail',
  ): void {
    if (p.RecordingStatus !== undefined && p.RecordingStatus !== 'completed') return;
    const call = this.store.callOfLeg(p.CallSid);
    if (!call) {
      this.ctx.log.info(`voice: a recording for an unknown call ${p.CallSid} was ignored`);
      return;
    }
    if (kind === 'call') {
      this.conversations.transaction(() => {
        this.change(call.callSid, { recordingUrl: p.RecordingUrl, recordingSid: p.RecordingSid });
        this.emit(call.callSid);
      });
      return;
    }
    const duration = Number(p.RecordingDuration);
    const durationSec = Number.isFinite(duration) && duration >= 0 ? Math.round(duration) : null;
    this.conversations.transaction(() => {
      const conversationId = this.ticket(call, `Call from ${call.from}`);
      this.conversations.ingestInbound({
        channel: 'phone',
        providerId: p.RecordingSid,
        threadKey: call.from,
        contact: { address: call.from, phone: call.from.startsWith('+') ? call.from : null },
        text: `Voicemail${durationSec !== null ? ` (${durationSec} s)` : ''}. The transcription follows when it is ready.`,
        attachments: [{ name: `voicemail-${call.callSid}${durationSec !== null ? `-${durationSec}s` : ''}.mp3`, contentType: 'audio/mpeg', size: 0, url: `${p.RecordingUrl}.mp3` }],
        receivedAt: this.ctx.now(),
        metadata: { callSid: call.callSid, recordingSid: p.RecordingSid, durationSec },
      });
      const updated = this.change(call.callSid, {
        voicemail: true,
        recordingUrl: p.RecordingUrl,
        recordingSid: p.RecordingSid,
        outcome: 'voicemail',
        ...(call.durationSec === null && durationSec !== null ? { durationSec } : {}),
      });
      this.emit(call.callSid);
      this.emitVoicemail(updated, conversationId, durationSec);
    });
  }

  /** The voicemail's transcription: a note on the ticket, the agent's timeline, the e-mail. */
  transcription(p: { CallSid: string; TranscriptionStatus?: string | undefined; TranscriptionText?: string | undefined; RecordingUrl?: string | undefined }): void {
    const call = this.store.call(p.CallSid);
    if (!call || call.conversationId === null) {
      this.ctx.log.info(`voice: a transcription for an unknown call ${p.CallSid} was ignored`);
      return;
    }
    const text = p.TranscriptionStatus === 'completed' ? (p.TranscriptionText ?? '').trim() : '';
    const transcription = text || '(Twilio could not transcribe this voicemail; listen to the recording.)';
    const conversationId = call.conversationId;
    this.conversations.transaction(() => {
      const updated = this.change(call.callSid, { transcription, ...(call.recordingUrl === null && p.RecordingUrl ? { recordingUrl: p.RecordingUrl } : {}) });
      this.conversations.addNote(conversationId, `Voicemail transcription: ${transcription}`, 'Voicemail', { callSid: call.callSid });
      this.emitVoicemail(updated, conversationId, null);
    });
    const conversation = this.conversations.conversation(conversationId);
    const stored = this.store.call(call.callSid);
    if (conversation && stored) this.conversations.afterCommit(() => this.onTranscription({ call: stored, conversation, transcription }));
  }

  /** A caller's note on their open case: spoken (SpeechResult), recorded, or the recording's transcription. */
  note(
    p: { CallSid: string; From: string; SpeechResult?: string | undefined; RecordingUrl?: string | undefined; TranscriptionText?: string | undefined },
    conversationId: number,
    part: string | null,
  ): string {
    const caller = this.e164(p.From);
    // Only a case of this caller's: the URL is signed, but the number must match too.
    const conv = this.conversations.openConversationsByPhone(caller).find((c) => c.id === conversationId);
    if (!conv) return sayThenHangup(this.voice, 'Sorry, that case is no longer open. Goodbye.');
    if (part === 'transcription') {
      const text = p.TranscriptionText?.trim();
      if (text) this.conversations.addNote(conv.id, `Transcription of the caller's recorded note: ${text}`, 'Phone note');
      return emptyTwiml();
    }
    const speech = p.SpeechResult?.trim();
    if (speech) {
      this.conversations.addNote(conv.id, `Note left by the caller by phone: "${speech}"`, 'Phone note', { callSid: p.CallSid });
      return sayThenHangup(this.voice, this.voice.ivr.noteThanks);
    }
    if (p.RecordingUrl) {
      this.conversations.addNote(conv.id, `The caller left a recorded note: ${p.RecordingUrl}.mp3`, 'Phone note', { callSid: p.CallSid, recordingUrl: p.RecordingUrl });
      return sayThenHangup(this.voice, this.voice.ivr.noteThanks);
    }
    return sayThenHangup(this.voice, 'Nothing was recorded. Goodbye.');
  }

  /**
   * A status callback of any leg: the caller's call, the agent's softphone leg (ParentCallSid is the
   * caller's), an agent's outbound call or its customer leg. Statuses only move forward.
   */
  status(p: { CallSid: string; CallStatus: string; CallDuration?: string | undefined; From?: string | undefined; To?: string | undefined; ParentCallSid?: string | undefined; LegOf?: string }): void {
    if (!isCallStatus(p.CallStatus)) return;
    const status = p.CallStatus;
    this.conversations.transaction(() => {
      const parent = p.ParentCallSid ?? p.LegOf;
      let call = this.store.callOfLeg(p.CallSid) ?? (parent ? this.store.call(parent) : null);
      call ??= this.unknownCall(p);
      if (!call) return;
      const ownLeg = call.callSid === p.CallSid;
      const duration = Number(p.CallDuration);
      const held = call.conference !== null && call.conference.startsWith('hold-');
      // Hold moves the caller into a conference, and Twilio ends the agent's leg: that end is not the call's.
      if (!ownLeg && call.outcome === 'on hold' && TERMINAL.has(status)) return;
      if (!ownLeg && call.otherLegSid === null) call = this.change(call.callSid, { otherLegSid: p.CallSid });
      if (TERMINAL.has(call.status) && TERMINAL.has(status)) {
        // After a hold the caller's own leg spans the whole call (talk and hold); it ends last.
        if (ownLeg && held && Number.isFinite(duration) && Math.round(duration) > (call.durationSec ?? 0)) {
          this.change(call.callSid, { durationSec: Math.round(duration) });
          this.emit(call.callSid);
        }
        return;
      }
      if (RANK[status] < RANK[call.status]) return;
      const change: CallChange = { status };
      if (status === 'in-progress' && call.answeredBy === null) {
        // Inbound: the agent's softphone leg answering (its To is client:agent-N). Outbound: the agent placed it.
        const agent = call.direction === 'out' ? call.agentId : (agentOfIdentity(p.To) ?? (ownLeg ? null : call.agentId));
        if (agent !== null) change.answeredBy = agent;
      }
      if (TERMINAL.has(status)) {
        // The talk time is the other leg's (the agent's, or the customer's on an outbound call).
        if (Number.isFinite(duration) && (call.durationSec === null || ownLeg === held)) change.durationSec = Math.round(duration);
        if (call.outcome === null) change.outcome = (change.answeredBy ?? call.answeredBy) !== null ? 'answered' : status;
        else if (call.outcome === 'on hold' && ownLeg) change.outcome = 'caller hung up on hold';
      }
      this.change(call.callSid, change);
      this.emit(call.callSid);
    });
  }

  /**
   * A callback for a call the flow did not start (placed with the REST API, or by a softphone test
   * peer): an agent's leg is recognized by its client identity, the customer by the other number.
   */
  private unknownCall(p: { CallSid: string; CallStatus: string; From?: string | undefined; To?: string | undefined }): CallRecord | null {
    const toAgent = agentOfIdentity(p.To);
    const fromAgent = agentOfIdentity(p.From);
    const agentId = toAgent ?? fromAgent;
    const other = toAgent !== null ? p.From : p.To;
    if (agentId === null || !other) {
      this.ctx.log.info(`voice: a status callback for an unknown call ${p.CallSid} was ignored`);
      return null;
    }
    const number = this.e164(other);
    const direction = toAgent !== null ? 'in' : 'out';
    const conversationId = this.conversations.outboundConversation(agentId, number, direction === 'in' ? `Call from ${number}` : `Call to ${number}`);
    return this.store.insert(
      { callSid: p.CallSid, conversationId, direction, from: direction === 'in' ? number : `client:agent-${agentId}`, to: direction === 'in' ? `client:agent-${agentId}` : number, status: 'queued', agentId },
      this.ctx.now(),
    );
  }

  /** An agent's softphone places a call (the TwiML App's Voice URL): their conversation with that number. */
  outbound(agentId: number, callSid: string, number: string): void {
    this.conversations.transaction(() => {
      const conversationId = this.conversations.outboundConversation(agentId, number, `Call to ${number}`);
      this.store.insert({ callSid, conversationId, direction: 'out', from: `client:agent-${agentId}`, to: number, status: 'ringing', agentId }, this.ctx.now());
      this.emit(callSid);
    });
  }

  // ------------------------------------------------------------------ shared steps

  /** The call's conversation: made (or continued: the caller's open phone conversation) the first time. */
  private ticket(call: CallRecord, text: string): number {
    const fresh = this.store.call(call.callSid);
    if (fresh?.conversationId != null) return fresh.conversationId;
    const result = this.conversations.ingestInbound({
      channel: 'phone',
      providerId: call.callSid,
      threadKey: call.from,
      contact: { address: call.from, phone: call.from.startsWith('+') ? call.from : null },
      text,
      subject: `Phone call from ${call.from}`,
      receivedAt: this.ctx.now(),
      metadata: { callSid: call.callSid },
    });
    this.change(call.callSid, { conversationId: result.conversationId });
    return result.conversationId;
  }

  ring(callSid: string, conversationId: number, agentId: number): string {
    this.conversations.assignTo(conversationId, agentId);
    const call = this.change(callSid, { agentId, status: 'ringing' });
    this.emit(callSid);
    const conv = this.conversations.conversation(conversationId)!;
    return dialAgentTwiml(this.voice, this.urls, agentId, {
      caller: call.from,
      customerId: String(conv.contact.id),
      conversationId,
      issueType: call.issueType ?? (conv.issueType !== 'other' ? conv.issueType : null),
    });
  }

  change(callSid: string, change: CallChange): CallRecord {
    return this.store.update(callSid, change, this.ctx.now())!;
  }

  /** The call's state to the agent who has it (rung, answered, or holding its conversation). */
  emit(callSid: string): void {
    const call = this.store.call(callSid);
    if (!call || call.conversationId === null) return;
    const conv = this.conversations.conversation(call.conversationId);
    const agentId = call.agentId ?? conv?.assignedAgentId ?? null;
    if (agentId === null) return;
    this.conversations.notifyAgent(agentId, {
      type: 'call',
      conversationId: call.conversationId,
      callSid: call.callSid,
      direction: call.direction,
      from: call.from,
      to: call.to,
      status: call.status,
      answeredByAgentId: call.answeredBy,
      durationSec: call.durationSec,
      recordingUrl: call.recordingUrl,
      outcome: call.outcome,
      at: this.ctx.now(),
    });
  }

  private emitVoicemail(call: CallRecord, conversationId: number, durationSec: number | null): void {
    const conv = this.conversations.conversation(conversationId);
    const agentId = conv?.assignedAgentId ?? null;
    if (agentId === null) return;
    this.conversations.notifyAgent(agentId, {
      type: 'voicemail',
      conversationId,
      callSid: call.callSid,
      from: call.from,
      recordingUrl: call.recordingUrl,
      durationSec,
      transcription: call.transcription,
      at: this.ctx.now(),
    });
  }
}
