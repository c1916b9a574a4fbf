// The Content-Security-Policy of the workspace, one string for both ways it is served (the
// Electron app:// protocol and the headless HTTP server). Scripts only from the app itself.
// HTML email is shown in sandboxed srcdoc frames, which inherit this policy on top of their own
// stricter one: so inline styles (emails are made of them) and https images (shown only after
// the agent allows a sender; each frame's own CSP decides) must pass here. The page itself never
// renders markup from outside: React escapes text, and email HTML only ever goes into a frame.
// The softphone (Twilio Voice SDK) adds exactly one WebSocket origin, its signaling host; its
// sounds are served by the app itself and its media is WebRTC, which CSP does not govern.
/** Twilio's signaling origin when no edge is chosen (the SDK's wss://voice-js.roaming.twilio.com/signal). */
export const TWILIO_SIGNALING_ORIGIN = 'wss://voice-js.roaming.twilio.com';

export function contentSecurityPolicy(options: { voiceSignaling?: string } = {}): string {
  const voice = options.voiceSignaling ?? TWILIO_SIGNALING_ORIGIN;
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self' data:",
    // 'self' covers the headless WebSocket on the same host and port.
    `connect-src 'self' ${voice}`,
    "media-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
