// The desktop app starts Chromium in the workspace's language so native date and time pickers follow
// it: the value chosen for --lang, and the choice kept across a restart in the data folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chromiumLang, LANGUAGE_FILE, readRememberedLanguage, rememberLanguage } from '../../src/main/desktop/chromiumLanguage';

const dirs: string[] = [];
const freshDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omni-lang-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('the language Chromium starts with', () => {
  it('is the workspace\'s choice as a Chromium locale, else none (the system\'s language stays)', () => {
    expect(chromiumLang('de')).toBe('de');
    expect(chromiumLang('en')).toBe('en-US');
    expect(chromiumLang(null)).toBeNull();
    expect(chromiumLang('fr')).toBeNull();
    expect(chromiumLang('__proto__')).toBeNull();
    expect(chromiumLang({ language: 'de' })).toBeNull();
  });

  it('is remembered in the data folder for the next start, and a damaged file means none', () => {
    const dir = freshDir();
    expect(readRememberedLanguage(dir)).toBeNull();
    rememberLanguage(dir, 'de');
    expect(readRememberedLanguage(dir)).toBe('de');
    expect(chromiumLang(readRememberedLanguage(dir))).toBe('de');
    rememberLanguage(dir, 'en');
    expect(chromiumLang(readRememberedLanguage(dir))).toBe('en-US');
    fs.writeFileSync(path.join(dir, LANGUAGE_FILE), '{not json');
    expect(readRememberedLanguage(dir)).toBeNull();
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
