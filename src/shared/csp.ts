// The Content-Security-Policy of the workspace, one string for both ways it is served (the
// Electron app:// protocol and the headless HTTP server). Scripts only from the app itself.
// HTML email is shown in sandboxed srcdoc frames, which inherit this policy on top of their own
// stricter one: so inline styles (emails are made of them) and https images (shown only after
// the agent allows a sender; each frame's own CSP decides) must pass here. The page itself never
// renders markup from outside: React escapes text, and email HTML only ever goes into a frame.
export function contentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self' data:",
    // 'self' covers the headless WebSocket on the same host and port.
    "connect-src 'self'",
    "media-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
