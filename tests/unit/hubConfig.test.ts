// How `npm run hub` reads its configuration: defaults < JSON file < environment < flags, with a
// sentence naming the field when something is wrong.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadHubConfig } from '../../src/hub/main';
import { tempDir } from '../helpers/tempDir';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

function dir(): string {
  const d = tempDir('omni-hub-config-');
  dirs.push(d);
  return d.dir;
}

describe('hub configuration', () => {
  it('the file, the environment and the flags override the defaults in that order', () => {
    const d = dir();
    const file = path.join(d, 'hub.json');
    fs.writeFileSync(file, JSON.stringify({ port: 5000, host: '0.0.0.0', dataDir: 'data', offerTimeoutMs: 20_000, publicUrl: 'https://file.example' }));
    const { config } = loadHubConfig(['--config', file, '--port', '6000'], { OMNI_HUB_PORT: '5500', OMNI_HUB_PUBLIC_URL: 'https://support.example.com' }, d);
    expect(config).toMatchObject({
      port: 6000,
      host: '0.0.0.0',
      dataDir: path.join(d, 'data'),
      offerTimeoutMs: 20_000,
      publicUrl: 'https://support.example.com',
      embedded: false,
    });
    expect(loadHubConfig([], {}, d).config).toMatchObject({ host: '127.0.0.1', port: 4871, dataDir: path.join(d, 'hub-data') });
  });

  it('an invalid configuration is refused with a sentence naming the field', () => {
    const d = dir();
    const file = path.join(d, 'hub.json');
    fs.writeFileSync(file, JSON.stringify({ offerTimeoutMs: -5 }));
    expect(() => loadHubConfig([], { OMNI_HUB_CONFIG: file }, d)).toThrow(/offerTimeoutMs/);
    expect(() => loadHubConfig([], { OMNI_HUB_PORT: 'eighty' }, d)).toThrow(/OMNI_HUB_PORT must be a port number/);
    fs.writeFileSync(file, '{ "port": ');
    expect(() => loadHubConfig(['--config', file], {}, d)).toThrow(/not valid JSON/);
    expect(() => loadHubConfig(['--config', path.join(d, 'missing.json')], {}, d)).toThrow(/does not exist/);
    try {
      loadHubConfig([], { OMNI_HUB_PUBLIC_URL: 'not a url' }, d);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'config/invalid' });
      expect((e as Error).message).toContain('publicUrl');
    }
  });
});
