// Small HTTP pieces every hub endpoint needs: read a body under a size cap, parse JSON with a clear
// 400, and answer with JSON errors {code, message}. Channel modules may use them for their routes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HubError } from './core/errors';

export const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };

const STATUS_OF: Record<string, number> = {
  'auth/invalid': 401,
  'auth/expired': 401,
  'auth/forbidden': 403,
  'http/body-too-large': 413,
  'http/invalid-json': 400,
  'http/invalid-body': 400,
  'http/unsupported-media-type': 415,
  'http/method-not-allowed': 405,
  'http/not-found': 404,
  'agent/invalid': 400,
  'inbound/invalid': 400,
  'csat/invalid': 400,
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { ...JSON_HEADERS, ...headers }).end(JSON.stringify(body));
}

/** Answers with the error's code and sentence; anything that is not a HubError is a 500 without details. */
export function sendError(res: ServerResponse, e: unknown): void {
  if (e instanceof HubError) {
    // The rest of an oversized body is not read: the connection cannot be reused.
    sendJson(res, STATUS_OF[e.code] ?? 400, e.toInfo(), e.code === 'http/body-too-large' ? { Connection: 'close' } : {});
    return;
  }
  sendJson(res, 500, { code: 'internal', message: 'The hub failed to handle this request; the details are in its log.' });
}

/** Reads the whole body, refusing (413) as soon as it passes `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () => new HubError('http/body-too-large', `The request body is larger than ${limit} bytes; nothing was stored.`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        // Keep draining (without storing) so the 413 can still be written on this connection.
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) {
        done = true;
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('error', (e) => {
      if (!done) {
        done = true;
        reject(e);
      }
    });
  });
}

/** Reads and parses a JSON body (415 for another media type, 400 for malformed JSON, 413 past the cap). */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = (req.headers['content-type'] ?? 'application/json').split(';', 1)[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    req.resume();
    throw new HubError('http/unsupported-media-type', `The body must be application/json, not ${type}.`);
  }
  const body = await readBody(req, limit);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new HubError('http/invalid-json', `The body is not valid JSON: ${(e as Error).message}.`);
  }
}

/** The bearer token of an Authorization header, or null. */
export function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1]! : null;
}
