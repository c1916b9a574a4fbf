// Files the agent attaches in the composer, on their way into the attachment store: received in
// order in chunks (held in memory, at most a few uploads at once, forgotten after a quiet
// while), then typed from their bytes with file-type, refused when dangerous, and stored under
// their SHA-256 (atomic write + fsync) before the renderer hears of them. A reply only ever names
// stored files, so a crash, a restart or a retried send finds the same bytes.
import crypto from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { ATTACHMENT_CHUNK_BYTES, cleanAttachmentName, refuseAttachment, typeForUnsniffed } from '../../shared/composer/attachments';
import type { ComposerAttachment } from '../../shared/contractComposer';
import { AppError } from '../../shared/errors';
import type { AttachmentStore } from '../email/attachmentStore';
import { say } from '../../shared/serverErrors';

/** Uploads in progress at once (each up to MAX_ATTACHMENT_BYTES in memory). */
const MAX_IN_FLIGHT = 4;
/** An upload nobody added to for this long is dropped. */
const IDLE_MS = 10 * 60_000;

interface Upload {
  name: string;
  size: number;
  chunks: Buffer[];
  received: number;
  touchedAt: number;
}

export interface AttachmentStaging {
  start(input: { name: string; size: number }): { uploadId: string; chunkBytes: number };
  chunk(input: { uploadId: string; offset: number; data: string }): { received: number };
  finish(input: { uploadId: string }): Promise<ComposerAttachment>;
  /** The stored file behind a name and hash the renderer sent back: its bytes re-read and re-typed. */
  resolve(ref: { sha256: string; name: string }): Promise<ComposerAttachment & { path: string }>;
}

/** The type the bytes say, or null when they match no signature (text formats, unknown data). */
export async function sniffType(content: Buffer): Promise<string | null> {
  return (await fileTypeFromBuffer(content))?.mime ?? null;
}

export function createAttachmentStaging(options: { store: AttachmentStore; now: () => number }): AttachmentStaging {
  const { store, now } = options;
  const uploads = new Map<string, Upload>();

  const sweep = () => {
    for (const [id, u] of uploads) if (now() - u.touchedAt > IDLE_MS) uploads.delete(id);
  };
  const upload = (uploadId: string): Upload => {
    sweep();
    const u = uploads.get(uploadId);
    if (!u) throw new AppError('composer/upload-unknown', say('uploadUnknown'));
    u.touchedAt = now();
    return u;
  };
  const checked = async (name: string, content: Buffer): Promise<string> => {
    const sniffed = await sniffType(content);
    const refusal = refuseAttachment({ name, size: content.length, sniffedType: sniffed });
    if (refusal) throw new AppError('composer/attachment-refused', refusal);
    return sniffed ?? typeForUnsniffed(name);
  };

  return {
    start({ name, size }) {
      const clean = cleanAttachmentName(name);
      // Refuse by name before any byte travels.
      const refusal = refuseAttachment({ name: clean, size });
      if (refusal) throw new AppError('composer/attachment-refused', refusal);
      sweep();
      if (uploads.size >= MAX_IN_FLIGHT) throw new AppError('composer/upload-busy', say('uploadBusy', { max: MAX_IN_FLIGHT }));
      const uploadId = crypto.randomBytes(18).toString('base64url');
      uploads.set(uploadId, { name: clean, size, chunks: [], received: 0, touchedAt: now() });
      return { uploadId, chunkBytes: ATTACHMENT_CHUNK_BYTES };
    },

    chunk({ uploadId, offset, data }) {
      const u = upload(uploadId);
      const bytes = Buffer.from(data, 'base64');
      // A chunk sent again after a lost answer: already have it.
      if (offset + bytes.length <= u.received) return { received: u.received };
      if (offset !== u.received) throw new AppError('composer/upload-order', say('uploadOrder', { expected: u.received, got: offset }));
      if (u.received + bytes.length > u.size) {
        uploads.delete(uploadId);
        throw new AppError('composer/upload-size', say('uploadSize', { name: u.name, size: u.size }));
      }
      u.chunks.push(bytes);
      u.received += bytes.length;
      return { received: u.received };
    },

    async finish({ uploadId }) {
      const u = upload(uploadId);
      if (u.received !== u.size) throw new AppError('composer/upload-incomplete', say('uploadIncomplete', { received: u.received, size: u.size, name: u.name }));
      uploads.delete(uploadId);
      const content = Buffer.concat(u.chunks);
      const contentType = await checked(u.name, content);
      const put = await store.put(content);
      if (!put.ok) throw new AppError(put.code === 'too-large' ? 'composer/attachment-refused' : 'composer/attachment-store', put.said ?? put.message);
      return { sha256: put.sha256, name: u.name, contentType, size: put.size };
    },

    async resolve({ sha256, name }) {
      const clean = cleanAttachmentName(name);
      const content = await store.read(sha256, { verify: true });
      if (!content) throw new AppError('composer/attachment-missing', say('attachmentGone', { name: clean }));
      const contentType = await checked(clean, content);
      return { sha256, name: clean, contentType, size: content.length, path: store.pathFor(sha256)! };
    },
  };
}
