// Agents' control of a live call, carried out by REST calls from the hub to Twilio's documented API
// (the official client; the base URL moved for a stand-in the way the SMS sender does): hold and
// resume through a conference with hold music, hang up, cold transfer (new TwiML for the caller's
// leg: another agent's softphone, the queue, a number) and warm transfer (caller, transferring
// agent and target in one conference, added with the Participants API).
import twilio from 'twilio';
import type { AgentRequest, HubAgent } from '../../shared/hub/agentProtocol';
import { say } from '../../shared/serverErrors';
import { baseUrlClient } from '../channels/twilio';
import type { ChannelsConfig } from '../channels/config';
import type { HubContext } from '../services';
import type { CallFlow } from './callFlow';
import type { VoiceConfig } from './config';
import { agentIdentity, conferenceTwiml, dialAgentTwiml, dialNumberTwiml, enqueueTwiml, url, VOICE_PATHS } from './twiml';
import type { CallRecord, VoiceStore } from './voiceStore';

type CallControlRequest = Extract<AgentRequest, { type: 'callControl' }>;
type TransferCallRequest = Extract<AgentRequest, { type: 'transferCall' }>;

/** A refused voice request: a stable code and a sentence (the gateway passes both to the desktop). */
export class VoiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'VoiceError';
  }
}

export class CallControl {
  private readonly client: twilio.Twilio;

  constructor(
    private readonly ctx: HubContext,
    private readonly voice: VoiceConfig,
    private readonly account: ChannelsConfig['twilio'],
    private readonly store: VoiceStore,
    private readonly flow: CallFlow,
  ) {
    this.client = twilio(account.accountSid, account.authToken, account.apiBaseUrl ? { httpClient: baseUrlClient(account.apiBaseUrl) } : {});
  }

  private get callerId(): string {
    return this.voice.credentials.callerId || this.account.fromNumber;
  }

  /** The call a leg SID names, if this agent may control it (theirs, or any call for a supervisor). */
  private callFor(agent: HubAgent, callSid: string): CallRecord & { customerLeg: string } {
    const call = this.store.callOfLeg(callSid);
    if (!call) throw new VoiceError('voice/call-not-found', `There is no call ${callSid} on this hub.`);
    if (agent.role === 'agent' && call.agentId !== agent.id && call.answeredBy !== agent.id) {
      throw new VoiceError('voice/not-your-call', 'This call is handled by another agent.');
    }
    const customerLeg = call.direction === 'in' ? call.callSid : call.otherLegSid;
    if (!customerLeg) throw new VoiceError('voice/call-not-connected', 'The customer is not on this call yet.');
    return { ...call, customerLeg };
  }

  private async rest<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof twilio.RestException) throw new VoiceError('voice/twilio-refused', `Twilio refused to ${what}: ${e.message}${e.code ? ` (error ${e.code})` : ''}.`);
      throw new VoiceError('voice/twilio-unreachable', `Twilio could not be reached to ${what}: ${e instanceof Error ? e.message : String(e)}.`);
    }
  }

  async control(agent: HubAgent, req: CallControlRequest): Promise<{ callSid: string; action: CallControlRequest['action'] }> {
    const call = this.callFor(agent, req.callSid);
    const legs = this.client.calls(call.customerLeg);
    const room = `hold-${call.callSid}`;
    switch (req.action) {
      case 'hold':
        // The caller waits alone in a conference, hearing the hold music, until the agent is added back.
        // Marked first: Twilio ends the agent's leg as the caller leaves the <Dial>, and that status
        // callback may come before the REST answer; a refusal puts the mark back.
        this.ctx.conversations.transaction(() => this.flow.change(call.callSid, { conference: room, outcome: 'on hold' }));
        try {
          await this.rest('put the call on hold', () =>
            legs.update({ twiml: conferenceTwiml(room, { waitUrl: this.voice.queue.holdMusicUrl, startOnEnter: false, endOnExit: true }) }),
          );
        } catch (e) {
          this.ctx.conversations.transaction(() => this.flow.change(call.callSid, { conference: call.conference, outcome: call.outcome }));
          throw e;
        }
        break;
      case 'unhold': {
        // Twilio dropped the agent's leg when the caller moved into the hold room; the agent's
        // softphone is rung back with `resume` = the leg it held, and accepts on its own. The new
        // leg becomes the call's agent leg (its status callbacks and the next hold name it).
        const agentId = call.answeredBy ?? call.agentId ?? agent.id;
        const resume = new URLSearchParams({ resume: req.callSid });
        if (call.conversationId !== null) resume.set('conversationId', String(call.conversationId));
        const participant = await this.rest('take the call off hold', () =>
          this.client.conferences(room).participants.create({
            from: this.callerId,
            to: `client:${agentIdentity(agentId)}?${resume.toString()}`,
            startConferenceOnEnter: true,
            endConferenceOnExit: true,
            label: 'agent',
            statusCallback: url(this.flow.urls, VOICE_PATHS.status, { call: call.callSid }),
            statusCallbackEvent: ['ringing', 'answered', 'completed'],
            statusCallbackMethod: 'POST',
          }),
        );
        this.ctx.conversations.transaction(() => this.flow.change(call.callSid, { outcome: null, ...(participant.callSid ? { otherLegSid: participant.callSid } : {}) }));
        break;
      }
      case 'hangup':
        await this.rest('hang up the call', () => legs.update({ status: 'completed' }));
        break;
    }
    this.ctx.conversations.transaction(() => this.flow.emit(call.callSid));
    return { callSid: req.callSid, action: req.action };
  }

  async transfer(agent: HubAgent, req: TransferCallRequest): Promise<{ callSid: string; mode: TransferCallRequest['mode']; conference: string | null }> {
    const call = this.callFor(agent, req.callSid);
    const conversationId = call.conversationId;
    const base = this.flow.urls;
    const target = req.to;
    if ('agentId' in target && !this.ctx.conversations.agent(target.agentId)) throw new VoiceError('voice/no-such-agent', `There is no agent ${target.agentId} to transfer to.`);
    if (req.mode === 'cold') {
      let twiml: string;
      if ('agentId' in target) {
        const conv = conversationId !== null ? this.ctx.conversations.conversation(conversationId) : null;
        twiml = dialAgentTwiml(this.voice, base, target.agentId, {
          caller: call.direction === 'in' ? call.from : call.to,
          customerId: conv ? String(conv.contact.id) : null,
          conversationId,
          issueType: conv && conv.issueType !== 'other' ? conv.issueType : null,
        });
      } else if ('queue' in target) twiml = enqueueTwiml(this.voice, base);
      else twiml = dialNumberTwiml(this.callerId, target.number);
      await this.rest('transfer the call', () => this.client.calls(call.customerLeg).update({ twiml }));
      this.ctx.conversations.transaction(() => {
        if ('agentId' in target) {
          if (conversationId !== null) this.ctx.conversations.assignTo(conversationId, target.agentId, `Call transferred by ${agent.displayName}`);
          this.flow.change(call.callSid, { agentId: target.agentId, answeredBy: null, status: 'ringing', outcome: null });
        } else if ('queue' in target) {
          this.flow.change(call.callSid, { outcome: 'transferred to the queue' });
          this.flow.emit(call.callSid);
          if (conversationId !== null) this.ctx.conversations.requeue(conversationId, say('movedCallToQueue', { agent: agent.displayName }));
          this.flow.change(call.callSid, { agentId: null, answeredBy: null, status: 'queued', outcome: null });
        } else this.flow.change(call.callSid, { outcome: `transferred to ${target.number}` });
        this.flow.emit(call.callSid);
      });
      return { callSid: req.callSid, mode: 'cold', conference: null };
    }
    if ('queue' in target) throw new VoiceError('voice/invalid-transfer', 'A warm transfer needs a person to talk to: choose an agent or a number.');
    // Warm: the caller waits in a conference; the transferring agent and the target join it.
    const room = `transfer-${call.callSid}`;
    const waitUrl = this.voice.queue.holdMusicUrl;
    const from = this.callerId;
    await this.rest('move the caller into the transfer conference', () =>
      this.client.calls(call.customerLeg).update({ twiml: conferenceTwiml(room, { waitUrl, startOnEnter: false, endOnExit: true }) }),
    );
    await this.rest('add you to the transfer conference', () =>
      this.client.conferences(room).participants.create({ from, to: `client:${agentIdentity(agent.id)}`, startConferenceOnEnter: true, endConferenceOnExit: false, label: 'transferring agent' }),
    );
    const to = 'agentId' in target ? `client:${agentIdentity(target.agentId)}` : target.number;
    await this.rest('call the transfer target', () =>
      this.client.conferences(room).participants.create({ from, to, startConferenceOnEnter: true, endConferenceOnExit: false, label: 'transfer target' }),
    );
    this.ctx.conversations.transaction(() => {
      if ('agentId' in target && conversationId !== null) this.ctx.conversations.assignTo(conversationId, target.agentId, `Warm transfer from ${agent.displayName}`);
      this.flow.change(call.callSid, { conference: room, ...('agentId' in target ? { agentId: target.agentId } : { outcome: `transferred to ${target.number}` }) });
      this.flow.emit(call.callSid);
    });
    return { callSid: req.callSid, mode: 'warm', conference: room };
  }
}
