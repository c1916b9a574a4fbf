import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDataDir, loadConfig } from '../../src/main/config';
import { tempDir } from '../helpers/tempDir';

describe('configuration', () => {
  const dirs: Array<ReturnType<typeof tempDir>> = [];
  const fresh = () => {
    const d = tempDir();
    dirs.push(d);
    return d.dir;
  };
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('defaults to loopback, port 4870 and seeding the demo center', () => {
    const config = loadConfig({ argv: [], env: {}, dataDir: fresh() });
    expect(config.headless).toEqual({ host: '127.0.0.1', port: 4870, allowRemote: false });
    expect(config.demo.seedOnFirstRun).toBe(true);
  });

  it('layers file < environment < flags', () => {
    const dir = fresh();
    fs.writeFileSync(path.join(dir, 'omni-desk.config.json'), JSON.stringify({ headless: { port: 5000 }, demo: { seedOnFirstRun: false } }));
    expect(loadConfig({ argv: [], env: {}, dataDir: dir }).headless.port).toBe(5000);
    expect(loadConfig({ argv: [], env: { OMNI_PORT: '5100' }, dataDir: dir }).headless.port).toBe(5100);
    const config = loadConfig({ argv: ['--port', '5200'], env: { OMNI_PORT: '5100', OMNI_DEMO: '1' }, dataDir: dir });
    expect(config.headless.port).toBe(5200);
    expect(config.demo.seedOnFirstRun).toBe(true);
    expect(loadConfig({ argv: ['--no-demo'], env: {}, dataDir: fresh() }).demo.seedOnFirstRun).toBe(false);
  });

  it('refuses a non-loopback host unless remote serving is asked for', () => {
    expect(() => loadConfig({ argv: ['--host', '0.0.0.0'], env: {}, dataDir: fresh() })).toThrow(/not a loopback address.*allow-remote/);
    expect(loadConfig({ argv: ['--host', '0.0.0.0', '--allow-remote'], env: {}, dataDir: fresh() }).headless.host).toBe('0.0.0.0');
  });

  it('explains a bad value, a bad file and an unknown flag', () => {
    expect(() => loadConfig({ argv: ['--port', 'eighty'], env: {}, dataDir: fresh() })).toThrow('--port must be a whole number, got "eighty".');
    expect(() => loadConfig({ argv: ['--port', '70000'], env: {}, dataDir: fresh() })).toThrow(/headless\.port/);
    expect(() => loadConfig({ argv: ['--colour'], env: {}, dataDir: fresh() })).toThrow(/Unknown option --colour/);
    const dir = fresh();
    fs.writeFileSync(path.join(dir, 'omni-desk.config.json'), '{ port: 1 ');
    expect(() => loadConfig({ argv: [], env: {}, dataDir: dir })).toThrow(/not valid JSON/);
    expect(() => loadConfig({ argv: ['--config', path.join(dir, 'missing.json')], env: {}, dataDir: dir })).toThrow(/does not exist/);
  });

  it('keeps data where each OS expects it', () => {
    expect(defaultDataDir('linux', {}, '/home/ann')).toBe('/home/ann/.local/share/omni-desk');
    expect(defaultDataDir('darwin', {}, '/Users/ann')).toBe('/Users/ann/Library/Application Support/Omni Desk');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'C:\\Users\\ann')).toContain('Omni Desk');
  });
});
