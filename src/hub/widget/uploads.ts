// Visitor file uploads and their downloads. The body is streamed through busboy with a hard size
// limit; the type is read from the file's first bytes (file-type), never from its name or the
// browser's claim. Files live under <dataDir>/widget-uploads, named by a random id.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import busboy from 'busboy';
import { fileTypeFromBuffer } from 'file-type';
import { WidgetKey, type UploadResult } from '../../shared/hub/widgetProtocol';
import type { HubContext } from '../services';
import type { WidgetConfig } from './config';
import type { WidgetStore } from './widgetStore';
import { hashToken, randomId } from './identity';
import { bearerToken, sendError, sendJson, WidgetError } from './http';

const TYPE_LABELS: Record<string, string> = {
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
  'application/pdf': 'PDF',
};

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1 ? `${Number(mb.toFixed(1))} MB` : `${Math.round(bytes / 1024)} KB`;
}

function allowedSentence(types: readonly string[]): string {
  const labels = types.map((t) => TYPE_LABELS[t] ?? t);
  const list = labels.length > 1 ? `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}` : (labels[0] ?? 'no');
  return `You can send ${list} files.`;
}

/** A file name safe to show and to put in Content-Disposition: no path, no control characters. */
function cleanName(name: string | undefined): string {
  const base = path.basename((name ?? '').replace(/\\/g, '/'));
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 200);
  return clean || 'file';
}

interface Received {
  visitorId: string | null;
  name: string;
  data: Buffer | null;
  truncated: boolean;
}

function readMultipart(req: IncomingMessage, maxBytes: number): Promise<Received> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: maxBytes, files: 1, fields: 4, fieldSize: 1024, parts: 6 } });
    } catch {
      reject(new WidgetError('widget/upload-malformed', 'The upload must be sent as multipart/form-data with one file.', 400));
      return;
    }
    const out: Received = { visitorId: null, name: 'file', data: null, truncated: false };
    parser.on('field', (name, value) => {
      if (name === 'visitorId') out.visitorId = value;
    });
    parser.on('file', (_field, stream, info) => {
      const chunks: Buffer[] = [];
      out.name = cleanName(info.filename);
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        out.truncated = true;
      });
      stream.on('end', () => {
        out.data = Buffer.concat(chunks);
      });
    });
    parser.on('error', () => reject(new WidgetError('widget/upload-malformed', 'The upload could not be read (the multipart body is malformed).', 400)));
    parser.on('close', () => resolve(out));
    req.pipe(parser);
  });
}

export interface UploadsDeps {
  ctx: HubContext;
  config: WidgetConfig;
  store: WidgetStore;
}

export function uploadsDir(ctx: HubContext): string {
  return path.join(ctx.config.dataDir, 'widget-uploads');
}

/** Writes the bytes (synced, renamed into place) and then the row, so a stored upload always has its bytes. */
function storeFile(deps: UploadsDeps, data: Buffer, meta: { org: string; visitorId: string; name: string; contentType: string }) {
  const { ctx, store } = deps;
  const id = randomId();
  const dir = uploadsDir(ctx);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `${id}.part`);
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, path.join(dir, id));
  const row = { id, ...meta, size: data.length, sha256: createHash('sha256').update(data).digest('hex'), createdAt: ctx.now() };
  store.addUpload(row);
  return row;
}

/**
 * POST /widget/agent-upload?conversation=<id>: a signed-in agent's file for a widget conversation
 * (same size and type rules as a visitor's). It is bound to that conversation at once, so only its
 * visitor and agents can open it; the agent's `send` then names it in `uploads`.
 */
export async function handleAgentUpload(deps: UploadsDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const { ctx, config, store } = deps;
  try {
    const token = bearerToken(req, url);
    const agent = token ? ctx.agentForToken(token) : null;
    if (!agent) throw new WidgetError('widget/auth-required', 'Sign in to the hub to send files.', 401);
    const conversationId = Number(url.searchParams.get('conversation'));
    const conversation = Number.isSafeInteger(conversationId) ? store.conversation(conversationId) : null;
    if (!conversation) throw new WidgetError('not-found', 'Files can only be sent to website and in-app chats.', 404);
    const declared = Number(req.headers['content-length'] ?? NaN);
    const limitSentence = `The file is larger than ${megabytes(config.maxUploadBytes)}, the most a chat takes.`;
    if (Number.isFinite(declared) && declared > config.maxUploadBytes + 64 * 1024) {
      res.setHeader('Connection', 'close');
      throw new WidgetError('widget/upload-too-large', limitSentence, 413);
    }
    const got = await readMultipart(req, config.maxUploadBytes);
    if (!got.data) throw new WidgetError('widget/upload-missing', 'No file was attached to the upload.', 400);
    if (got.truncated) throw new WidgetError('widget/upload-too-large', limitSentence, 413);
    if (got.data.length === 0) throw new WidgetError('widget/upload-empty', 'The file is empty.', 400);
    const type = await fileTypeFromBuffer(got.data);
    if (!type || !config.allowedUploadTypes.includes(type.mime)) {
      throw new WidgetError('widget/upload-type', `This kind of file cannot be sent in a chat. ${allowedSentence(config.allowedUploadTypes).replace('You can send', 'Chats take')}`, 415);
    }
    const row = storeFile(deps, got.data, { org: conversation.org, visitorId: conversation.visitorId, name: got.name, contentType: type.mime });
    store.bindUploads([row.id], conversation.conversationId);
    const body: UploadResult = { upload: { id: row.id, name: row.name, contentType: row.contentType, size: row.size } };
    sendJson(res, 201, body);
  } catch (e) {
    req.resume();
    if (e instanceof WidgetError) {
      sendError(res, e);
      return;
    }
    ctx.log.error('widget: an agent upload failed', e);
    sendError(res, new WidgetError('internal', 'The file could not be stored. Please try again.', 500));
  }
}

/** POST /widget/upload?org=<org>: one file and the visitor id; answers `{ upload }` or `{ error }`. */
export async function handleUpload(deps: UploadsDeps, req: IncomingMessage, res: ServerResponse, org: string, cors: Record<string, string>): Promise<void> {
  const { ctx, config } = deps;
  const limitSentence = `The file is larger than ${megabytes(config.maxUploadBytes)}. Please send a smaller file.`;
  try {
    const declared = Number(req.headers['content-length'] ?? NaN);
    // A body far over the limit is refused before reading it; the margin covers the multipart framing.
    if (Number.isFinite(declared) && declared > config.maxUploadBytes + 64 * 1024) {
      res.setHeader('Connection', 'close');
      throw new WidgetError('widget/upload-too-large', limitSentence, 413);
    }
    const got = await readMultipart(req, config.maxUploadBytes);
    const visitor = WidgetKey.safeParse(got.visitorId);
    if (!visitor.success) throw new WidgetError('widget/upload-malformed', 'The upload must name the visitor it comes from (field visitorId).', 400);
    if (!got.data) throw new WidgetError('widget/upload-missing', 'No file was attached to the upload.', 400);
    if (got.truncated) throw new WidgetError('widget/upload-too-large', limitSentence, 413);
    if (got.data.length === 0) throw new WidgetError('widget/upload-empty', 'The file is empty.', 400);
    const type = await fileTypeFromBuffer(got.data);
    if (!type || !config.allowedUploadTypes.includes(type.mime)) {
      throw new WidgetError('widget/upload-type', `This kind of file cannot be sent here. ${allowedSentence(config.allowedUploadTypes)}`, 415);
    }

    const row = storeFile(deps, got.data, { org, visitorId: visitor.data, name: got.name, contentType: type.mime });
    const body: UploadResult = { upload: { id: row.id, name: row.name, contentType: row.contentType, size: row.size } };
    sendJson(res, 201, body, cors);
  } catch (e) {
    if (e instanceof WidgetError) {
      // Drain what the client still sends so it reads our answer instead of a reset.
      req.resume();
      sendError(res, e, cors);
      return;
    }
    ctx.log.error('widget: an upload failed', e);
    req.resume();
    sendError(res, new WidgetError('internal', 'The file could not be stored. Please try again.', 500), cors);
  }
}

/**
 * GET /widget/files/<id>: for the visitor who holds a resume token of the file's conversation, or a
 * signed-in agent. Anything else is a 404, so ids cannot be probed.
 */
export function handleDownload(deps: UploadsDeps, req: IncomingMessage, res: ServerResponse, url: URL, id: string): void {
  const { ctx, store } = deps;
  const token = bearerToken(req, url);
  if (!token) {
    sendError(res, new WidgetError('widget/auth-required', 'Sign in or open this file from the chat it was sent in.', 401));
    return;
  }
  const upload = /^[A-Za-z0-9_-]{16,64}$/.test(id) ? store.upload(id) : null;
  const allowed =
    upload !== null && (ctx.agentForToken(token) !== null || (upload.conversationId !== null && store.conversationForToken(hashToken(token)) === upload.conversationId));
  const file = upload ? path.join(uploadsDir(ctx), upload.id) : null;
  if (!allowed || !upload || !file || !fs.existsSync(file)) {
    sendError(res, new WidgetError('not-found', 'There is no such file, or it is not yours to open.', 404));
    return;
  }
  const inline = upload.contentType.startsWith('image/') || upload.contentType === 'application/pdf';
  res.writeHead(200, {
    'Content-Type': upload.contentType,
    'Content-Length': upload.size,
    'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(upload.name)}`,
    'Cache-Control': 'private, no-store',
    'X-Content-Type-Options': 'nosniff',
    // A PDF or image opened from here runs nothing and loads nothing.
    'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    'Cross-Origin-Resource-Policy': 'cross-origin',
  });
  fs.createReadStream(file).pipe(res);
}
