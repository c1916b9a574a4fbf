// The voice module's configuration section. The Twilio account (accountSid, authToken, apiBaseUrl)
// is the one in channels.twilio; this section adds what a softphone and the call flows need.
// Without apiKeySid/apiKeySecret/twimlAppSid no access token can be minted: /voice answers 503
// with a sentence naming what to set.
import { z } from 'zod';

export const VoiceCredentials = z.object({
  /** An API key (SK…) and its secret, which sign the softphone's access tokens. */
  apiKeySid: z.string().default(''),
  apiKeySecret: z.string().default(''),
  /** The TwiML App (AP…) whose Voice URL is this hub's /voice/outbound. */
  twimlAppSid: z.string().default(''),
  /** The number outbound calls show (E.164); empty = channels.twilio.fromNumber. */
  callerId: z.string().default(''),
  /** How long an access token lives; the softphone refreshes it on tokenWillExpire. */
  tokenTtlSeconds: z.number().int().min(60).max(86_400).default(3_600),
});
export type VoiceCredentials = z.infer<typeof VoiceCredentials>;

export const VoiceConfig = z.object({
  credentials: VoiceCredentials.prefault({}),
});
export type VoiceConfig = z.infer<typeof VoiceConfig>;
export type VoiceConfigInput = z.input<typeof VoiceConfig>;

/** The settings a minted token needs that are still empty, by their config path. */
export function missingVoiceSettings(voice: VoiceConfig, twilio: { accountSid: string }): string[] {
  const missing: string[] = [];
  if (!twilio.accountSid) missing.push('channels.twilio.accountSid');
  if (!voice.credentials.apiKeySid) missing.push('voice.credentials.apiKeySid');
  if (!voice.credentials.apiKeySecret) missing.push('voice.credentials.apiKeySecret');
  if (!voice.credentials.twimlAppSid) missing.push('voice.credentials.twimlAppSid');
  return missing;
}
