// What every provider webhook needs from HTTP: the raw body under a size cap, content-type checks,
// constant-time secret comparison and errors as JSON {code, message}. Bad input never throws past here.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request the channels refuse: an HTTP status, a stable code and a sentence. */
export class ChannelHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ChannelHttpError';
  }
}

/** The media type without parameters, lower-cased ('' when absent). */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

export function requireMediaType(req: IncomingMessage, allowed: readonly string[]): string {
  const type = mediaType(req);
  if (!allowed.includes(type)) {
    throw new ChannelHttpError(415, 'channels/unsupported-media-type', `This endpoint reads ${allowed.join(' or ')} bodies, not ${type === '' ? 'a body without a Content-Type' : type}.`);
  }
  return type;
}

export function requireMethod(req: IncomingMessage, allowed: readonly string[]): void {
  if (!allowed.includes(req.method ?? '')) {
    throw new ChannelHttpError(405, 'channels/method-not-allowed', `This endpoint answers ${allowed.join(' and ')} only.`);
  }
}

/**
 * The whole body, or a 413 once it passes `maxBytes`. The rest of an oversized body is read and
 * dropped rather than cutting the connection, so the client sees the 413 instead of a reset;
 * a body far past the cap (16x) is cut off.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => new ChannelHttpError(413, 'channels/body-too-large', `The body is larger than this hub accepts (${maxBytes} bytes).`);
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    let size = 0;
    let over = Number.isFinite(declared) && declared > maxBytes;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) over = true;
      if (!over) chunks.push(chunk);
      else if (size > maxBytes * 16) {
        reject(tooLarge());
        req.destroy();
      }
    });
    req.on('end', () => (over ? reject(tooLarge()) : resolve(Buffer.concat(chunks))));
    req.on('error', (e) => reject(new ChannelHttpError(400, 'channels/body-unreadable', `The body could not be read: ${e.message}`)));
  });
}

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new ChannelHttpError(400, 'channels/malformed-body', 'The body is not valid JSON.');
  }
}

/** Compares two secrets without leaking how much of them matched through timing. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, contentType: string, text: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

export function sendError(res: ServerResponse, error: ChannelHttpError): void {
  if (res.headersSent) return;
  sendJson(res, error.status, { code: error.code, message: error.message });
}
