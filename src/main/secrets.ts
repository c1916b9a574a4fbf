// Where mailbox passwords and access tokens live: never in SQLite, logs or the renderer. The core
// only sees the SecretStore interface; Electron passes one backed by the OS keychain
// (src/main/electron/safeStorageSecrets.ts), the headless mode uses the encrypted file below or,
// read-only, environment variables.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../shared/errors';
import { say } from '../shared/serverErrors';

export interface SecretStore {
  /** Where the secrets are kept, for the settings screen and logs (never a secret). */
  readonly kind: string;
  get(ref: string): Promise<string | null>;
  set(ref: string, secret: string): Promise<void>;
  delete(ref: string): Promise<void>;
}

/** The secret store key of a mail account's password or token. */
export function mailSecretRef(accountId: number): string {
  return `mail/${accountId}`;
}

const FILE_VERSION = 1;
const KEY_BYTES = 32;

interface EncryptedFile {
  v: number;
  iv: string;
  tag: string;
  data: string;
}

export interface FileSecretStoreOptions {
  /** The encrypted file (default `secrets.enc` in the data dir). */
  file: string;
  /** A 32-byte key in base64 (OMNI_SECRET_KEY); else a key file beside the secrets is used (created on first use). */
  keyBase64?: string;
  keyFile?: string;
}

function decodeKey(base64: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new AppError('config/invalid', `OMNI_SECRET_KEY must be ${KEY_BYTES} bytes in base64 (it decodes to ${key.length} bytes).`);
  }
  return key;
}

/**
 * Secrets in one file encrypted with AES-256-GCM. The key comes from OMNI_SECRET_KEY or from a key
 * file `secret.key` created with mode 0600 beside the secrets. This protects against casual copying
 * of the data file (a backup, a shared folder, a support bundle), NOT against the same OS user: whoever
 * can read the key file can decrypt. Set OMNI_SECRET_KEY from a real secret manager for more.
 */
export class EncryptedFileSecretStore implements SecretStore {
  readonly kind = 'encrypted file';
  private readonly file: string;
  private readonly keyFile: string;
  private readonly keyBase64: string | undefined;
  private key: Buffer | null = null;

  constructor(options: FileSecretStoreOptions) {
    this.file = options.file;
    this.keyFile = options.keyFile ?? path.join(path.dirname(options.file), 'secret.key');
    this.keyBase64 = options.keyBase64;
  }

  private getKey(create: boolean): Buffer | null {
    if (this.key) return this.key;
    if (this.keyBase64) return (this.key = decodeKey(this.keyBase64));
    if (fs.existsSync(this.keyFile)) return (this.key = decodeKey(fs.readFileSync(this.keyFile, 'utf8')));
    if (!create) return null;
    fs.mkdirSync(path.dirname(this.keyFile), { recursive: true, mode: 0o700 });
    const key = crypto.randomBytes(KEY_BYTES);
    fs.writeFileSync(this.keyFile, key.toString('base64'), { mode: 0o600, flag: 'wx' });
    fs.chmodSync(this.keyFile, 0o600);
    return (this.key = key);
  }

  private readAll(): Record<string, string> {
    if (!fs.existsSync(this.file)) return {};
    const key = this.getKey(false);
    if (!key) throw new AppError('config/invalid', `The secrets in ${this.file} cannot be read: its key (${this.keyFile} or OMNI_SECRET_KEY) is missing.`);
    let parsed: EncryptedFile;
    try {
      parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as EncryptedFile;
    } catch {
      throw new AppError('config/invalid', `The secrets file ${this.file} is damaged (not the expected format).`);
    }
    if (parsed.v !== FILE_VERSION) throw new AppError('config/invalid', `The secrets file ${this.file} has an unknown version (${String(parsed.v)}).`);
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(parsed.iv, 'base64'));
      decipher.setAuthTag(Buffer.from(parsed.tag, 'base64'));
      const plain = Buffer.concat([decipher.update(Buffer.from(parsed.data, 'base64')), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as Record<string, string>;
    } catch {
      throw new AppError('config/invalid', `The secrets in ${this.file} cannot be decrypted with this key (wrong OMNI_SECRET_KEY or key file, or the file was altered).`);
    }
  }

  private writeAll(secrets: Record<string, string>): void {
    const key = this.getKey(true)!;
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
    const body: EncryptedFile = { v: FILE_VERSION, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(body), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
    fs.chmodSync(this.file, 0o600);
  }

  async get(ref: string): Promise<string | null> {
    return this.readAll()[ref] ?? null;
  }

  async set(ref: string, secret: string): Promise<void> {
    const all = this.readAll();
    all[ref] = secret;
    this.writeAll(all);
  }

  async delete(ref: string): Promise<void> {
    const all = this.readAll();
    if (!(ref in all)) return;
    delete all[ref];
    this.writeAll(all);
  }
}

/**
 * Read-only secrets from the environment: `OMNI_MAIL_PASSWORD_<ACCOUNTID>` for the ref `mail/<id>`
 * (for deployments that inject secrets into the process). Setting one is refused with a reason.
 */
export class EnvSecretStore implements SecretStore {
  readonly kind = 'environment';
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  static variableFor(ref: string): string | null {
    const m = /^mail\/(\d+)$/.exec(ref);
    return m ? `OMNI_MAIL_PASSWORD_${m[1]}` : null;
  }

  async get(ref: string): Promise<string | null> {
    const name = EnvSecretStore.variableFor(ref);
    return name ? (this.env[name] ?? null) : null;
  }

  async set(ref: string): Promise<void> {
    const name = EnvSecretStore.variableFor(ref) ?? 'an environment variable';
    throw new AppError('config/invalid', say('passwordFromEnvironment', { variable: name }));
  }

  async delete(): Promise<void> {
    // Nothing to delete: the environment belongs to whoever started the process.
  }
}

/** Environment variables first (read-only), then the encrypted file for what the agent enters. */
export class LayeredSecretStore implements SecretStore {
  readonly kind: string;
  constructor(
    private readonly env: EnvSecretStore,
    private readonly writable: SecretStore,
  ) {
    this.kind = writable.kind;
  }
  async get(ref: string): Promise<string | null> {
    return (await this.env.get(ref)) ?? this.writable.get(ref);
  }
  set(ref: string, secret: string): Promise<void> {
    return this.writable.set(ref, secret);
  }
  delete(ref: string): Promise<void> {
    return this.writable.delete(ref);
  }
}

/** The headless default: OMNI_MAIL_PASSWORD_<ID> variables, else the encrypted file in the data dir. */
export function defaultSecretStore(dataDir: string, env: NodeJS.ProcessEnv = process.env): SecretStore {
  return new LayeredSecretStore(
    new EnvSecretStore(env),
    new EncryptedFileSecretStore({ file: path.join(dataDir, 'secrets.enc'), ...(env.OMNI_SECRET_KEY ? { keyBase64: env.OMNI_SECRET_KEY } : {}) }),
  );
}
