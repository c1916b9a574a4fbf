// The Content-Security-Policy of the workspace, one string for both ways it is served (the
// Electron app:// protocol and the headless HTTP server). Nothing inline, nothing remote.
export function contentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    // 'self' covers the headless WebSocket on the same host and port.
    "connect-src 'self'",
    "media-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
