// The softphone's settings in the desktop configuration (`voice`): where the Voice SDK signals
// (Twilio's own unless a test stand-in is named), wrap-up time, watchdog timing, and the region
// numbers without a country code are read from. Also the CSP sources the SDK needs, nothing more.
import { z } from 'zod';

/** Twilio's signaling host when no edge is chosen (the SDK's `voice-js.roaming.twilio.com`). */
export const TWILIO_SIGNALING_HOST = 'voice-js.roaming.twilio.com';
const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/;

export const DesktopVoiceSettings = z
  .object({
    /** host[:port] of the signaling WebSocket (wss://HOST/signal); null: Twilio's. */
    signalingHost: z
      .string()
      .regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[::1\](:\d{1,5})?$/, 'must be a host name with an optional :port')
      .nullable()
      .default(null),
    /** ws:// instead of wss://: only for a stand-in on this machine (tests). */
    insecureSignaling: z.boolean().default(false),
    wrapUpSeconds: z.number().int().min(0).max(3600).default(30),
    defaultRegion: z.string().length(2).default('US'),
    watchdog: z
      .object({
        checkEveryMs: z.number().int().min(200).default(15_000),
        stuckAfterMs: z.number().int().min(500).default(20_000),
        staleAfterMs: z.number().int().min(1_000).default(10 * 60_000),
      })
      .prefault({}),
  })
  .superRefine((v, ctx) => {
    if (v.insecureSignaling && !(v.signalingHost && LOOPBACK_HOST.test(v.signalingHost))) {
      ctx.addIssue({ code: 'custom', path: ['insecureSignaling'], message: 'is only allowed with a loopback signalingHost (a local stand-in)' });
    }
  })
  .prefault({});
export type DesktopVoiceSettings = z.output<typeof DesktopVoiceSettings>;

/** The WebSocket origin the SDK opens: the CSP's connect-src gets exactly this one. */
export function signalingOrigin(v: Pick<DesktopVoiceSettings, 'signalingHost' | 'insecureSignaling'>): string {
  return `${v.insecureSignaling ? 'ws' : 'wss'}://${v.signalingHost ?? TWILIO_SIGNALING_HOST}`;
}
