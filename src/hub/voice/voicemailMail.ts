// The voicemail e-mail: each transcription goes to the support address over SMTP (nodemailer), as
// the auto-responder table asks. Sent after the ticket is committed; a failure is logged, the
// ticket and its transcription are kept either way.
import nodemailer from 'nodemailer';
import type { HubConversation } from '../../shared/hub/agentProtocol';
import type { HubLog } from '../services';
import type { VoiceConfig } from './config';
import type { CallRecord } from './voiceStore';

export interface VoicemailMailer {
  send(v: { call: CallRecord; conversation: HubConversation; transcription: string }): Promise<void>;
  close(): void;
}

/** Null when no SMTP host or no support address is configured (voicemails still become tickets). */
export function createVoicemailMailer(voice: VoiceConfig, log: HubLog): VoicemailMailer | null {
  const { smtp, voicemail } = voice;
  if (!smtp.host || !voicemail.supportAddress) return null;
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.tls === 'tls',
    requireTLS: smtp.tls === 'starttls',
    ignoreTLS: smtp.tls === 'none',
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password } } : {}),
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  return {
    async send({ call, conversation, transcription }) {
      const who = conversation.contact.displayName ? `${conversation.contact.displayName} (${call.from})` : call.from;
      try {
        await transport.sendMail({
          from: voicemail.fromAddress,
          to: voicemail.supportAddress,
          subject: `Voicemail from ${who} [hub conversation ${conversation.id}]`,
          text: [
            `${who} left a voicemail${call.durationSec !== null ? ` (${call.durationSec} s)` : ''}.`,
            '',
            'Transcription:',
            transcription,
            '',
            call.recordingUrl ? `Recording: ${call.recordingUrl}.mp3` : 'No recording URL was received.',
            `Call SID: ${call.callSid}`,
          ].join('\n'),
        });
      } catch (e) {
        log.warn(`voice: the voicemail e-mail for ${call.callSid} to ${voicemail.supportAddress} could not be sent: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    close: () => transport.close(),
  };
}
