// The portal's HTTP plumbing: bounded body reading, JSON and HTML responses with their security
// headers, the visitor cookie, and errors as {code, message} values. No routing here.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type PortalErrorCode =
  | 'portal/not-found'
  | 'portal/method-not-allowed'
  | 'portal/query-too-long'
  | 'portal/malformed-json'
  | 'portal/invalid-request'
  | 'portal/body-too-large'
  | 'portal/unauthorized'
  | 'portal/forbidden'
  | 'portal/invalid-range'
  | 'portal/internal';

export class PortalError extends Error {
  constructor(
    readonly status: number,
    readonly code: PortalErrorCode,
    message: string,
    /** Headers the answer needs (Allow, WWW-Authenticate). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'PortalError';
  }
}

// Pages carry no script at all; styles only from the portal's stylesheet.
export const PORTAL_CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self' https: data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const COMMON_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
};

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': PORTAL_CSP,
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(html),
    ...headers,
  });
  res.end(html);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string | string[]> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

export function sendJsonError(res: ServerResponse, e: PortalError, headers: Record<string, string | string[]> = {}): void {
  sendJson(res, e.status, { code: e.code, message: e.message }, { ...e.headers, ...headers });
}

/**
 * Reads the body up to `limit` bytes. A declared or actual larger body is a 413 (the rest is not
 * buffered; the connection is closed after the answer so the client stops sending).
 */
export function readBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Buffer> {
  const tooLarge = () => new PortalError(413, 'portal/body-too-large', `The request body is larger than ${limit} bytes.`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    res.setHeader('Connection', 'close');
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        res.setHeader('Connection', 'close');
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!over) reject(new PortalError(400, 'portal/invalid-request', `The request body could not be read: ${e.message}.`));
    });
  });
}

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new PortalError(400, 'portal/malformed-json', 'The request body is not valid JSON.');
  }
}

export const VISITOR_COOKIE = 'omni_visitor';

export function cookieValue(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * The visitor cookie. HttpOnly: no script on the portal reads it, and the widget on a customer's
 * site could not read a cookie of the hub's origin anyway (it passes ?visitor= instead, which the
 * portal then keeps here). SameSite=Lax: sent when a visitor follows a link from the widget.
 * Path=/ so the hub's own pages (the widget demo) share it.
 */
export function visitorCookie(visitorId: string, secure: boolean): string {
  return `${VISITOR_COOKIE}=${encodeURIComponent(visitorId)}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly${secure ? '; Secure' : ''}`;
}

export function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

/** The widget calls the public API from customers' sites: any origin, no credentials. */
export const PUBLIC_API_CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type',
  'Access-Control-Max-Age': '600',
};
