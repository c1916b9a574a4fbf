// Text of restricted channels (for example phone under HIPAA) at rest: AES-256-GCM under one key
// kept in the secret store, never in SQLite. The stores seal on write and open on read through the
// sealer attached to their database; a value without the marker is plain text (mixed states are
// read correctly, which is what makes the start-up re-encryption safe to interrupt).
import crypto from 'node:crypto';
import type { Channel } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import type { Db } from '../store/database';
import { say } from '../../shared/serverErrors';

/** Marks a sealed value; the rest is base64url(iv | tag | ciphertext). */
export const SEALED_PREFIX = 'sealed:v1:';
/** The secret store key of the content key (base64, 32 bytes). */
export const CONTENT_KEY_REF = 'restricted/content-key';
/** The settings row with the id of the key the file's sealed values were written with. */
export const CONTENT_KEY_ID_SETTING = 'restricted.keyId';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const AAD = Buffer.from('omni-desk restricted content v1');

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(SEALED_PREFIX);
}

/** A short public id of a key (HMAC of a fixed label): tells which key a file needs without revealing it. */
export function contentKeyId(key: Buffer): string {
  return crypto.createHmac('sha256', key).update('omni-desk content key id').digest('hex').slice(0, 16);
}

export function newContentKey(): Buffer {
  return crypto.randomBytes(KEY_BYTES);
}

export function decodeContentKey(base64: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new AppError('restricted/key-invalid', `The key for restricted channels in the secret store (${CONTENT_KEY_REF}) is not ${KEY_BYTES} bytes; nothing was changed.`);
  }
  return key;
}

export class ContentSealer {
  readonly keyId: string;
  private readonly restrictedSet: ReadonlySet<Channel>;

  constructor(
    private readonly key: Buffer,
    restricted: Iterable<Channel>,
  ) {
    if (key.length !== KEY_BYTES) throw new AppError('restricted/key-invalid', `A content key must be ${KEY_BYTES} bytes.`);
    this.keyId = contentKeyId(key);
    this.restrictedSet = new Set(restricted);
  }

  get restricted(): readonly Channel[] {
    return [...this.restrictedSet];
  }

  restricts(channel: string): boolean {
    return this.restrictedSet.has(channel as Channel);
  }

  seal(plain: string): string {
    return SEALED_PREFIX + this.sealBytes(Buffer.from(plain, 'utf8')).toString('base64url');
  }

  /** Plain text as is; a sealed value decrypted (a value altered or sealed under another key is an error, never garbage). */
  open(value: string): string {
    if (!isSealed(value)) return value;
    return this.openBytes(Buffer.from(value.slice(SEALED_PREFIX.length), 'base64url')).toString('utf8');
  }

  /** Seals when the channel is restricted (null stays null). */
  sealFor<T extends string | null>(channel: string, value: T): T {
    return (value !== null && this.restricts(channel) ? this.seal(value) : value) as T;
  }

  sealBytes(plain: Buffer): Buffer {
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(AAD);
    const data = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), data]);
  }

  openBytes(sealed: Buffer): Buffer {
    if (sealed.length < IV_BYTES + TAG_BYTES) throw new AppError('restricted/unreadable', say('restrictedDamaged'));
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, IV_BYTES));
      decipher.setAAD(AAD);
      decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw new AppError('restricted/unreadable', say('restrictedUndecryptable'));
    }
  }
}

// One sealer per open database: the stores (repository, outbox, mail, composer) find it here
// instead of each being handed it, so no write path can forget it once the core attached it.
const sealers = new WeakMap<Db, ContentSealer>();

export function attachSealer(db: Db, sealer: ContentSealer | null): void {
  if (sealer) sealers.set(db, sealer);
  else sealers.delete(db);
}

export function sealerOf(db: Db): ContentSealer | null {
  return sealers.get(db) ?? null;
}

/** Seals `value` for `channel` when the database's sealer restricts it. */
export function sealForChannel<T extends string | null>(db: Db, channel: string, value: T): T {
  const sealer = sealers.get(db);
  return sealer ? sealer.sealFor(channel, value) : value;
}

/** Opens a value read from the database; a sealed value without a sealer is a clear error. */
export function openStored(db: Db, value: string): string;
export function openStored(db: Db, value: string | null): string | null;
export function openStored(db: Db, value: string | null): string | null {
  if (value === null || !isSealed(value)) return value;
  const sealer = sealers.get(db);
  if (!sealer) throw new AppError('restricted/key-missing', say('restrictedKeyNotLoaded'));
  return sealer.open(value);
}
