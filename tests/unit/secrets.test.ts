// The secret stores: the encrypted file round-trips, refuses a wrong key with a clear sentence and
// keeps its key file private; environment variables are read-only; the safeStorage store refuses
// Linux's plain-text fallback.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultSecretStore, EncryptedFileSecretStore, EnvSecretStore, mailSecretRef } from '../../src/main/secrets';
import { SafeStorageSecretStore, type SafeStorageLike } from '../../src/main/electron/safeStorageSecrets';
import { tempDir } from '../helpers/tempDir';

const dirs: Array<{ remove(): void }> = [];
function dir(): string {
  const t = tempDir('omni-secrets-');
  dirs.push(t);
  return t.dir;
}
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

describe('EncryptedFileSecretStore', () => {
  it('round-trips secrets, and the file holds no plain text', async () => {
    const file = path.join(dir(), 'secrets.enc');
    const store = new EncryptedFileSecretStore({ file });
    expect(await store.get('mail/1')).toBeNull();
    await store.set('mail/1', 'hunter2-correct-horse');
    await store.set('mail/2', 'token-ÄÖÜ-✓');
    const again = new EncryptedFileSecretStore({ file });
    expect(await again.get('mail/1')).toBe('hunter2-correct-horse');
    expect(await again.get('mail/2')).toBe('token-ÄÖÜ-✓');
    expect(fs.readFileSync(file).includes(Buffer.from('hunter2'))).toBe(false);
    await again.delete('mail/1');
    expect(await new EncryptedFileSecretStore({ file }).get('mail/1')).toBeNull();
  });

  it('creates the key file and the secrets file with mode 0600', async () => {
    const d = dir();
    const store = new EncryptedFileSecretStore({ file: path.join(d, 'secrets.enc') });
    await store.set('mail/1', 'pw');
    if (process.platform !== 'win32') {
      expect(fs.statSync(path.join(d, 'secret.key')).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.join(d, 'secrets.enc')).mode & 0o777).toBe(0o600);
    }
  });

  it('uses OMNI_SECRET_KEY when given, and fails clearly with a wrong key', async () => {
    const d = dir();
    const file = path.join(d, 'secrets.enc');
    const key = crypto.randomBytes(32).toString('base64');
    await new EncryptedFileSecretStore({ file, keyBase64: key }).set('mail/1', 'pw');
    expect(fs.existsSync(path.join(d, 'secret.key'))).toBe(false);
    expect(await new EncryptedFileSecretStore({ file, keyBase64: key }).get('mail/1')).toBe('pw');
    const wrong = new EncryptedFileSecretStore({ file, keyBase64: crypto.randomBytes(32).toString('base64') });
    await expect(wrong.get('mail/1')).rejects.toThrow(/cannot be decrypted with this key/);
    await expect(new EncryptedFileSecretStore({ file, keyBase64: 'c2hvcnQ=' }).get('mail/1')).rejects.toThrow(/32 bytes/);
  });

  it('fails clearly when the file was altered', async () => {
    const file = path.join(dir(), 'secrets.enc');
    const store = new EncryptedFileSecretStore({ file });
    await store.set('mail/1', 'pw');
    const body = JSON.parse(fs.readFileSync(file, 'utf8')) as { data: string };
    const bytes = Buffer.from(body.data, 'base64');
    bytes[0] = bytes[0]! ^ 1;
    fs.writeFileSync(file, JSON.stringify({ ...body, data: bytes.toString('base64') }));
    await expect(new EncryptedFileSecretStore({ file }).get('mail/1')).rejects.toThrow(/cannot be decrypted/);
  });
});

describe('environment secrets', () => {
  it('reads OMNI_MAIL_PASSWORD_<ID> and refuses to store', async () => {
    const env = { OMNI_MAIL_PASSWORD_7: 'from-env' };
    const store = new EnvSecretStore(env);
    expect(await store.get(mailSecretRef(7))).toBe('from-env');
    expect(await store.get(mailSecretRef(8))).toBeNull();
    await expect(store.set(mailSecretRef(7))).rejects.toThrow(/OMNI_MAIL_PASSWORD_7/);
  });

  it('the headless default prefers the environment and stores into the encrypted file', async () => {
    const d = dir();
    const store = defaultSecretStore(d, { OMNI_MAIL_PASSWORD_1: 'env-pw' });
    await store.set('mail/2', 'file-pw');
    expect(await store.get('mail/1')).toBe('env-pw');
    expect(await store.get('mail/2')).toBe('file-pw');
    expect(fs.existsSync(path.join(d, 'secrets.enc'))).toBe(true);
  });
});

describe('SafeStorageSecretStore', () => {
  const fake = (backend: string, available = true): SafeStorageLike => ({
    isEncryptionAvailable: () => available,
    encryptString: (s) => Buffer.from(`enc:${s}`).reverse(),
    decryptString: (b) => Buffer.from(b).reverse().toString().replace(/^enc:/, ''),
    getSelectedStorageBackend: () => backend,
  });

  it('stores through the keychain', async () => {
    const file = path.join(dir(), 'secrets.safe.json');
    const store = new SafeStorageSecretStore({ safeStorage: fake('gnome_libsecret'), file, platform: 'linux' });
    await store.set('mail/1', 'pw-123');
    expect(await store.get('mail/1')).toBe('pw-123');
    expect(fs.readFileSync(file, 'utf8')).not.toContain('pw-123');
  });

  it("refuses Linux's plain-text fallback and says why", async () => {
    const file = path.join(dir(), 'secrets.safe.json');
    const store = new SafeStorageSecretStore({ safeStorage: fake('basic_text'), file, platform: 'linux' });
    await expect(store.set('mail/1', 'pw')).rejects.toThrow(/^No OS keychain is available \(.*basic_text.*\); the password was not stored\.$/);
    expect(fs.existsSync(file)).toBe(false);
    const none = new SafeStorageSecretStore({ safeStorage: fake('unknown', false), file, platform: 'darwin' });
    await expect(none.set('mail/1', 'pw')).rejects.toThrow(/No OS keychain is available/);
  });
});
