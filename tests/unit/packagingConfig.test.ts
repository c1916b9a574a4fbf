// The packaging and CI files cannot rot silently: electron-builder.yml is validated against
// electron-builder's own JSON schema, every workflow against the GitHub workflow schema, and what
// matters is asserted (each OS target, per-user NSIS, entitlements, the notarization hook). Mutated
// copies prove the checks fail on a broken file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { validateWorkflow } from '@action-validator/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
// Both come with electron-builder; neither ships types, so only the calls used here are typed.
const yaml = require('js-yaml') as { load(text: string): unknown; dump(value: unknown): string };
const plist = require('plist') as { parse(text: string): unknown };

const root = path.resolve(import.meta.dirname, '../..');
const builderSchema = require('app-builder-lib/scheme.json') as object;
const ajv = new Ajv({ allErrors: true, strict: false });
const validateBuilder = ajv.compile(builderSchema);

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Target names of a platform section (`target: nsis`, `[nsis]` or `[{ target: nsis }]`). */
function targets(section: unknown): string[] {
  return list(obj(section).target).map((t) => (typeof t === 'string' ? t : String(obj(t).target))).map((t) => t.toLowerCase());
}

/**
 * Every problem with an electron-builder configuration: schema errors first, then what the
 * product needs from it. Relative paths are checked under `dir`.
 */
function builderProblems(text: string, dir: string): string[] {
  let config: Json;
  try {
    config = obj(yaml.load(text));
  } catch (e) {
    return [`not YAML: ${(e as Error).message}`];
  }
  const problems: string[] = [];
  if (!validateBuilder(config)) {
    for (const error of validateBuilder.errors ?? []) problems.push(`schema: ${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
  }
  const win = obj(config.win);
  const nsis = obj(config.nsis);
  const mac = obj(config.mac);
  const linux = obj(config.linux);
  if (!targets(win).includes('nsis')) problems.push('Windows has no NSIS target');
  if (nsis.perMachine !== false) problems.push('NSIS is not a per-user install (nsis.perMachine must be false)');
  if (nsis.oneClick !== false && nsis.oneClick !== undefined) problems.push('NSIS oneClick hides the per-user choice');
  for (const t of ['dmg', 'zip']) if (!targets(mac).includes(t)) problems.push(`macOS has no ${t} target`);
  for (const t of ['appimage', 'deb']) if (!targets(linux).includes(t)) problems.push(`Linux has no ${t} target`);
  if (mac.hardenedRuntime !== true) problems.push('macOS hardened runtime is off');
  const extendInfo = obj(mac.extendInfo);
  if (typeof extendInfo.NSMicrophoneUsageDescription !== 'string' || extendInfo.NSMicrophoneUsageDescription.trim() === '') {
    problems.push('macOS has no NSMicrophoneUsageDescription');
  }
  for (const key of ['entitlements', 'entitlementsInherit'] as const) {
    const file = mac[key];
    if (typeof file !== 'string') {
      problems.push(`mac.${key} is not set`);
      continue;
    }
    const full = path.resolve(dir, file);
    if (!fs.existsSync(full)) {
      problems.push(`mac.${key} ${file} does not exist`);
      continue;
    }
    let entitlements: Json;
    try {
      entitlements = obj(plist.parse(fs.readFileSync(full, 'utf8')));
    } catch (e) {
      problems.push(`mac.${key} ${file} is not a property list: ${(e as Error).message}`);
      continue;
    }
    for (const needed of ['com.apple.security.device.audio-input', 'com.apple.security.cs.allow-jit', 'com.apple.security.cs.allow-unsigned-executable-memory']) {
      if (entitlements[needed] !== true) problems.push(`${file} does not grant ${needed}`);
    }
    if (entitlements['com.apple.security.device.camera'] === true) problems.push(`${file} grants the camera`);
  }
  if (typeof config.afterSign !== 'string') problems.push('there is no afterSign (notarization) hook');
  else if (!fs.existsSync(path.resolve(dir, config.afterSign))) problems.push(`the afterSign hook ${config.afterSign} does not exist`);
  if (mac.notarize !== false) problems.push('mac.notarize must be false: build/notarize.cjs notarizes when credentials exist');
  if (config.npmRebuild !== true) problems.push('better-sqlite3 is not rebuilt for Electron (npmRebuild)');
  if (!list(config.asarUnpack).some((p) => String(p).includes('better-sqlite3'))) problems.push('better-sqlite3 is not unpacked from the asar archive');
  const schemes = list(config.protocols).flatMap((p) => list(obj(p).schemes));
  if (!schemes.includes('omni')) problems.push('the omni:// protocol is not declared');
  return problems;
}

function workflowProblems(text: string): string[] {
  const state = validateWorkflow(text);
  return state.errors.map((e) => `${'path' in e ? e.path : ''} ${e.title}${e.detail ? `: ${e.detail}` : ''}`);
}

const builderText = fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');
const workflowDir = path.join(root, '.github', 'workflows');
const workflowFiles = fs.readdirSync(workflowDir).filter((f) => /\.ya?ml$/.test(f));

describe('electron-builder.yml', () => {
  it('is valid against electron-builder’s own schema and has everything the installers need', () => {
    expect(builderProblems(builderText, root)).toEqual([]);
  });

  describe('a broken copy fails the check', () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omni-builder-'));
      fs.cpSync(path.join(root, 'build'), path.join(dir, 'build'), { recursive: true });
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    const mutate = (change: (config: Json) => void) => {
      const config = obj(yaml.load(builderText));
      change(config);
      return yaml.dump(config);
    };

    it('the copy itself passes, so the failures below come from the mutations', () => {
      expect(builderProblems(builderText, dir)).toEqual([]);
    });

    it('a misspelt option', () => {
      const text = builderText.replace(/^nsis:\n/m, 'nsis:\n  perMachin: false\n');
      expect(text).not.toBe(builderText);
      expect(builderProblems(text, dir).join('\n')).toMatch(/schema: \/nsis .*perMachin/);
    });

    it('an option of the wrong type', () => {
      expect(builderProblems(mutate((c) => (obj(c.mac).hardenedRuntime = 'yes')), dir).join('\n')).toMatch(/schema: \/mac\/hardenedRuntime/);
    });

    it('a per-machine installer', () => {
      expect(builderProblems(mutate((c) => (obj(c.nsis).perMachine = true)), dir)).toContain('NSIS is not a per-user install (nsis.perMachine must be false)');
    });

    it('a missing OS target', () => {
      const problems = builderProblems(mutate((c) => (obj(c.linux).target = [{ target: 'AppImage', arch: ['x64'] }])), dir);
      expect(problems).toEqual(['Linux has no deb target']);
      expect(builderProblems(mutate((c) => (obj(c.mac).target = 'dmg')), dir)).toEqual(['macOS has no zip target']);
    });

    it('entitlements without the microphone', () => {
      const file = path.join(dir, 'build', 'no-mic.plist');
      fs.writeFileSync(file, fs.readFileSync(path.join(root, 'build', 'entitlements.mac.plist'), 'utf8').replace(/<key>com\.apple\.security\.device\.audio-input<\/key>\s*<true\/>/, ''));
      const problems = builderProblems(mutate((c) => (obj(c.mac).entitlements = 'build/no-mic.plist')), dir);
      expect(problems).toEqual(['build/no-mic.plist does not grant com.apple.security.device.audio-input']);
    });

    it('a missing entitlements file or notarization hook', () => {
      expect(builderProblems(mutate((c) => (obj(c.mac).entitlementsInherit = 'build/gone.plist')), dir)).toEqual(['mac.entitlementsInherit build/gone.plist does not exist']);
      expect(builderProblems(mutate((c) => (c.afterSign = './build/gone.cjs')), dir)).toEqual(['the afterSign hook ./build/gone.cjs does not exist']);
      expect(builderProblems(mutate((c) => delete c.afterSign), dir)).toEqual(['there is no afterSign (notarization) hook']);
    });

    it('no microphone sentence, or a native module left inside the archive', () => {
      expect(builderProblems(mutate((c) => delete obj(obj(c.mac).extendInfo).NSMicrophoneUsageDescription), dir)).toEqual(['macOS has no NSMicrophoneUsageDescription']);
      expect(builderProblems(mutate((c) => (c.asarUnpack = [])), dir)).toEqual(['better-sqlite3 is not unpacked from the asar archive']);
    });

    it('text that is not YAML', () => {
      expect(builderProblems('appId: [unclosed', dir)[0]).toMatch(/^not YAML/);
    });
  });
});

describe('the notarization hook', () => {
  type Hook = ((context: object, deps?: object) => Promise<string>) & { notarizeCredentials(env: object): object | null };
  const hook = require(path.join(root, 'build', 'notarize.cjs')) as Hook & { default: Hook };
  const context = { electronPlatformName: 'darwin', appOutDir: '/out/mac-arm64', packager: { appInfo: { productFilename: 'Omni Desk' } } };

  it('is the module electron-builder loads for afterSign', () => {
    expect(typeof hook).toBe('function');
    expect(hook.default).toBe(hook);
  });

  it('skips with a log line when no Apple credentials are in the environment', async () => {
    const lines: string[] = [];
    const calls: object[] = [];
    const result = await hook(context, { env: {}, log: (l: string) => lines.push(l), notarize: async (o: object) => void calls.push(o) });
    expect(result).toBe('skipped');
    expect(calls).toEqual([]);
    expect(lines.join('\n')).toMatch(/notarization skipped: no Apple credentials/);
  });

  it('skips a half-filled set of credentials instead of failing half-way', async () => {
    const result = await hook(context, { env: { APPLE_ID: 'dev@omnidesk.org', APPLE_TEAM_ID: 'ABCDE12345', APPLE_APP_SPECIFIC_PASSWORD: '  ' }, log: () => {}, notarize: async () => {} });
    expect(result).toBe('skipped');
  });

  it('notarizes the app with notarytool when credentials are present', async () => {
    const calls: object[] = [];
    const env = { APPLE_API_KEY: '/keys/AuthKey_X.p8', APPLE_API_KEY_ID: 'X', APPLE_API_ISSUER: 'issuer-uuid' };
    const result = await hook(context, { env, log: () => {}, notarize: async (o: object) => void calls.push(o) });
    expect(result).toBe('notarized');
    expect(calls).toEqual([{ tool: 'notarytool', appPath: '/out/mac-arm64/Omni Desk.app', appleApiKey: '/keys/AuthKey_X.p8', appleApiKeyId: 'X', appleApiIssuer: 'issuer-uuid' }]);
    expect(hook.notarizeCredentials({ APPLE_ID: 'a', APPLE_APP_SPECIFIC_PASSWORD: 'b', APPLE_TEAM_ID: 'c' })).toEqual({ appleId: 'a', appleIdPassword: 'b', teamId: 'c' });
  });

  it('does nothing for Windows and Linux builds', async () => {
    expect(await hook({ ...context, electronPlatformName: 'win32' }, { env: { APPLE_KEYCHAIN_PROFILE: 'p' }, log: () => {} })).toBe('not-macos');
  });
});

describe('the GitHub workflows', () => {
  it('there is a desktop workflow', () => {
    expect(workflowFiles).toContain('desktop.yml');
  });

  it.each(workflowFiles)('%s is valid against the workflow schema', (file) => {
    expect(workflowProblems(fs.readFileSync(path.join(workflowDir, file), 'utf8'))).toEqual([]);
  });

  it('the desktop workflow runs the whole suite, the Electron smoke test and packaging on Windows, macOS and Ubuntu', () => {
    const workflow = obj(yaml.load(fs.readFileSync(path.join(workflowDir, 'desktop.yml'), 'utf8')));
    const job = obj(obj(workflow.jobs).desktop);
    expect(list(obj(obj(job.strategy).matrix).os).sort()).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest']);
    const steps = list(job.steps).map(obj);
    const runs = steps.map((s) => String(s.run ?? ''));
    const stepRunning = (pattern: RegExp) => steps.find((s) => pattern.test(String(s.run ?? '')));
    expect(stepRunning(/^npm ci$/m)?.if).toBeUndefined();
    // The Electron binary is downloaded: the install must not skip it.
    expect(runs.join('\n')).not.toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
    expect(stepRunning(/^npm test$/m)?.if).toBeUndefined();
    expect(stepRunning(/xvfb-run .*playwright test -c playwright\.electron\.config\.ts/)?.if).toBe("runner.os == 'Linux'");
    expect(stepRunning(/^npx playwright test -c playwright\.electron\.config\.ts$/m)?.if).toBe("runner.os != 'Linux'");
    expect(stepRunning(/electron-builder --publish never/)?.if).toBeUndefined();
    const upload = steps.find((s) => String(s.uses ?? '').startsWith('actions/upload-artifact') && String(obj(s.with).name ?? '').startsWith('omni-desk-'));
    const paths = String(obj(upload?.with).path ?? '');
    for (const ext of ['exe', 'dmg', 'zip', 'AppImage', 'deb']) expect(paths).toContain(`release/*.${ext}`);
    // Nothing is published, and no step needs a secret to succeed.
    expect(runs.join('\n')).not.toMatch(/--publish (always|onTag|onTagOrDraft)/);
  });

  describe('a broken copy fails the check', () => {
    const text = fs.readFileSync(path.join(workflowDir, 'desktop.yml'), 'utf8');

    it('a misspelt key', () => {
      const broken = text.replace('runs-on:', 'run-on:');
      expect(broken).not.toBe(text);
      expect(workflowProblems(broken).length).toBeGreaterThan(0);
    });

    it('a step without uses or run', () => {
      const broken = text.replace(/- name: The whole test suite\n(\s+)run: npm test/, '- name: The whole test suite\n$1shell: bash');
      expect(broken).not.toBe(text);
      expect(workflowProblems(broken).length).toBeGreaterThan(0);
    });

    it('text that is not YAML', () => {
      expect(workflowProblems('jobs: [unclosed').length).toBeGreaterThan(0);
    });
  });
});
