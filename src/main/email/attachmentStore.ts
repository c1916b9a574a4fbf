// Attachment bytes on disk, named by their SHA-256 (`dir/ab/abcdef…`): copies of one file are
// stored once, and a file is written to a temporary name, flushed and renamed into place, so a
// crash never leaves a half-written attachment under a real name. Refuses files above the limit.
import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { say, type Said } from '../../shared/serverErrors';

export const DEFAULT_MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

const SHA256_HEX = /^[0-9a-f]{64}$/;
const TEMP_PREFIX = '.tmp-';

export interface StoredAttachment {
  sha256: string;
  size: number;
  /** Absolute path of the stored file. */
  path: string;
  /** False when the same content was already stored. */
  created: boolean;
}

export type PutResult =
  | ({ ok: true } & StoredAttachment)
  | { ok: false; code: 'too-large' | 'hash-mismatch' | 'write-failed'; message: string; /** the sentence's catalog key (too-large) */ said?: Said };

export interface AttachmentStoreOptions {
  maxBytes?: number;
}

export class AttachmentStore {
  readonly dir: string;
  readonly maxBytes: number;

  constructor(dir: string, options: AttachmentStoreOptions = {}) {
    this.dir = path.resolve(dir);
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  }

  /** Where the content with this hash lives, or null when `sha256` is not 64 lowercase hex digits. */
  pathFor(sha256: string): string | null {
    if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) return null;
    return path.join(this.dir, sha256.slice(0, 2), sha256);
  }

  /**
   * Stores `content` (checked against `expectedSha256` when given) and returns where it is. Never
   * throws: a refusal or an I/O failure is a value with a sentence.
   */
  async put(content: Buffer, expectedSha256?: string): Promise<PutResult> {
    if (content.length > this.maxBytes) {
      const message = `The attachment is ${mb(content.length)}, larger than the ${mb(this.maxBytes)} limit; it was not stored.`;
      return { ok: false, code: 'too-large', message, said: { ...say('attachmentStoreTooLarge', { size: content.length, max: this.maxBytes }), message } };
    }
    const sha256 = crypto.createHash('sha256').update(content).digest('hex');
    if (expectedSha256 !== undefined && expectedSha256.toLowerCase() !== sha256) {
      return { ok: false, code: 'hash-mismatch', message: 'The attachment does not match its recorded checksum; it was not stored.' };
    }
    const file = this.pathFor(sha256)!;
    try {
      const existing = await fsp.stat(file).catch(() => null);
      if (existing?.isFile() && existing.size === content.length) return { ok: true, sha256, size: content.length, path: file, created: false };
      await fsp.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      const temp = path.join(path.dirname(file), `${TEMP_PREFIX}${process.pid}-${crypto.randomBytes(6).toString('hex')}`);
      try {
        const handle = await fsp.open(temp, 'wx', 0o600);
        try {
          await handle.writeFile(content);
          await handle.sync();
        } finally {
          await handle.close();
        }
        // Atomic on one filesystem: readers see the old state or the whole file.
        await fsp.rename(temp, file);
      } catch (e) {
        await fsp.rm(temp, { force: true }).catch(() => {});
        throw e;
      }
      await syncDir(path.dirname(file));
      return { ok: true, sha256, size: content.length, path: file, created: true };
    } catch (e) {
      return { ok: false, code: 'write-failed', message: `The attachment could not be written to ${this.dir}: ${(e as Error).message}` };
    }
  }

  /** The stored bytes, or null when the hash is malformed or nothing is stored under it. */
  async read(sha256: string, options: { verify?: boolean } = {}): Promise<Buffer | null> {
    const file = this.pathFor(sha256);
    if (file === null) return null;
    try {
      const stat = await fsp.stat(file);
      if (!stat.isFile() || stat.size > this.maxBytes) return null;
      const content = await fsp.readFile(file);
      if (options.verify && crypto.createHash('sha256').update(content).digest('hex') !== sha256) return null;
      return content;
    } catch {
      return null;
    }
  }

  async has(sha256: string): Promise<boolean> {
    const file = this.pathFor(sha256);
    if (file === null) return false;
    return (await fsp.stat(file).catch(() => null))?.isFile() ?? false;
  }

  /** Removes temporary files a crash left behind (older than `olderThanMs`); returns how many. */
  async removeStaleTemps(olderThanMs = 60 * 60 * 1000, now = Date.now()): Promise<number> {
    let removed = 0;
    const shards = await fsp.readdir(this.dir).catch(() => [] as string[]);
    for (const shard of shards) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      const entries = await fsp.readdir(path.join(this.dir, shard)).catch(() => [] as string[]);
      for (const name of entries) {
        if (!name.startsWith(TEMP_PREFIX)) continue;
        const file = path.join(this.dir, shard, name);
        const stat = await fsp.stat(file).catch(() => null);
        if (stat && now - stat.mtimeMs >= olderThanMs) {
          await fsp.rm(file, { force: true }).catch(() => {});
          removed++;
        }
      }
    }
    return removed;
  }
}

/** Makes the rename durable (POSIX); directories cannot be opened for sync on Windows. */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const handle = await fsp.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort: the file itself is already flushed
  }
}

function mb(n: number): string {
  const v = n / (1024 * 1024);
  return `${Number.isInteger(v) ? v : v.toFixed(1)} MB`;
}
