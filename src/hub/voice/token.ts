// The softphone's access token: a Twilio AccessToken with a VoiceGrant (incoming calls to the
// agent's client identity, outgoing calls through the TwiML App), signed with the API key. Minted
// per request, never stored; without the account, key or TwiML App it refuses with the settings
// to fill in.
import twilio from 'twilio';
import { HubError } from '../core/errors';
import type { HubConfig } from '../config';
import { missingVoiceSettings } from './config';
import { say } from '../../shared/serverErrors';

/** The agreed Twilio Client identity of a hub agent: `agent-7` dials `<Client><Identity>agent-7</Identity>`. */
export function clientIdentity(agentId: number): string {
  return `agent-${agentId}`;
}

export interface VoiceToken {
  token: string;
  identity: string;
  expiresAt: number;
}

export function mintVoiceToken(config: Pick<HubConfig, 'voice' | 'channels'>, agentId: number): VoiceToken {
  const account = config.channels.twilio;
  const missing = missingVoiceSettings(config.voice, account);
  if (missing.length > 0) {
    throw new HubError('voice/not-configured', say('voiceTwilioMissing', { settings: missing.join(', ') }));
  }
  const { apiKeySid, apiKeySecret, twimlAppSid, tokenTtlSeconds } = config.voice.credentials;
  const identity = clientIdentity(agentId);
  const { AccessToken } = twilio.jwt;
  const token = new AccessToken(account.accountSid, apiKeySid, apiKeySecret, { identity, ttl: tokenTtlSeconds });
  token.addGrant(new AccessToken.VoiceGrant({ incomingAllow: true, outgoingApplicationSid: twimlAppSid }));
  const jwt = token.toJwt();
  // The package stamps the expiry from its own clock; the answer repeats the token's, not a guess.
  return { token: jwt, identity, expiresAt: expiryOf(jwt) * 1000 };
}

function expiryOf(jwt: string): number {
  const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
  if (typeof payload.exp !== 'number') throw new HubError('internal', 'The minted access token has no expiry.');
  return payload.exp;
}
