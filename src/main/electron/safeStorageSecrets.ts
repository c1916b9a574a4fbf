// Mailbox secrets in the desktop app: encrypted with Electron's safeStorage (macOS Keychain,
// Windows DPAPI, libsecret/kwallet on Linux) and kept as ciphertext in a file in the data dir.
// On Linux without a keychain safeStorage falls back to a hard-coded key ('basic_text'), which is
// plain text in all but name: then nothing is stored and the agent is told why.
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { SecretStore } from '../secrets';
import { say } from '../../shared/serverErrors';

/** The parts of Electron's safeStorage used here (tests pass a fake). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

export interface SafeStorageSecretOptions {
  safeStorage: SafeStorageLike;
  /** The file holding the encrypted secrets (base64 per ref), e.g. `<dataDir>/secrets.safe.json`. */
  file: string;
  platform?: NodeJS.Platform;
}

/** Why secrets cannot be stored here, or null when the OS keychain is usable. */
export function keychainProblem(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): string | null {
  if (!safeStorage.isEncryptionAvailable()) return 'the system keychain is not available';
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
    if (backend === 'basic_text' || backend === 'unknown') {
      return `Electron would only use its built-in plain-text fallback ('${backend}'); install and unlock a Secret Service keyring such as GNOME Keyring or KWallet`;
    }
  }
  return null;
}

export class SafeStorageSecretStore implements SecretStore {
  readonly kind = 'OS keychain (safeStorage)';
  private readonly platform: NodeJS.Platform;

  constructor(private readonly o: SafeStorageSecretOptions) {
    this.platform = o.platform ?? process.platform;
  }

  private readAll(): Record<string, string> {
    if (!fs.existsSync(this.o.file)) return {};
    try {
      return JSON.parse(fs.readFileSync(this.o.file, 'utf8')) as Record<string, string>;
    } catch {
      throw new AppError('config/invalid', `The secrets file ${this.o.file} is damaged.`);
    }
  }

  private writeAll(all: Record<string, string>): void {
    fs.mkdirSync(path.dirname(this.o.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.o.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(all), { mode: 0o600 });
    fs.renameSync(tmp, this.o.file);
  }

  async get(ref: string): Promise<string | null> {
    const encrypted = this.readAll()[ref];
    if (encrypted === undefined) return null;
    if (!this.o.safeStorage.isEncryptionAvailable()) return null;
    try {
      return this.o.safeStorage.decryptString(Buffer.from(encrypted, 'base64'));
    } catch {
      return null;
    }
  }

  async set(ref: string, secret: string): Promise<void> {
    const problem = keychainProblem(this.o.safeStorage, this.platform);
    if (problem) throw new AppError('config/invalid', say('keychainMissing', { problem }));
    const all = this.readAll();
    all[ref] = this.o.safeStorage.encryptString(secret).toString('base64');
    this.writeAll(all);
  }

  async delete(ref: string): Promise<void> {
    const all = this.readAll();
    if (!(ref in all)) return;
    delete all[ref];
    this.writeAll(all);
  }
}
