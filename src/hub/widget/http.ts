// Small HTTP answers the widget routes share: JSON bodies, errors as a code and a sentence, and
// the CORS answer for an allowed website origin.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A refusal a visitor can act on: a stable code and a sentence the panel shows. */
export class WidgetError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'WidgetError';
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: WidgetError, headers: Record<string, string> = {}): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message } }, headers);
}

/** Lets an allowed page read the answer; never a wildcard, so other sites get an opaque response. */
export function corsHeaders(origin: string | null): Record<string, string> {
  if (!origin) return {};
  return { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' };
}

/** The bearer token of a request: the Authorization header, or `?token=` for plain links. */
export function bearerToken(req: IncomingMessage, url: URL): string | null {
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match ? match[1]! : null;
  }
  return url.searchParams.get('token');
}
