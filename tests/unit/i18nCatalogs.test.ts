import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { de } from '../../src/renderer/src/i18n/de';
import { en } from '../../src/renderer/src/i18n/en';
import { i18n, preferredLocale, setLocale } from '../../src/renderer/src/i18n';
import { macroActionLabel } from '../../src/renderer/src/labels';

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{\{\s*([\w.]+)/g)].map((m) => m[1] ?? '').sort();

describe('the language catalogs', () => {
  const english = leaves(en);
  const german = leaves(de);

  it('German has exactly the English keys, none empty', () => {
    expect([...german.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, text] of german) expect(text.trim(), key).not.toBe('');
  });

  it('every translation keeps the placeholders of the English text', () => {
    for (const [key, text] of english) expect(placeholders(german.get(key) ?? ''), key).toEqual(placeholders(text));
  });

  it('switching the language switches the strings', () => {
    setLocale('de');
    expect(i18n.t('common:settings')).toBe('Einstellungen');
    // zod's own messages in forms follow (a schema's custom sentences stay as written).
    expect(z.string().min(3).safeParse('a').error?.issues[0]?.message).toMatch(/^Zu klein/);
    setLocale('en');
    expect(i18n.t('common:settings')).toBe('Settings');
    expect(z.string().min(3).safeParse('a').error?.issues[0]?.message).toMatch(/^Too small/);
  });
});

describe('sentences made of fixed values', () => {
  it('name a macro action in the agent\'s language', () => {
    setLocale('de');
    expect(macroActionLabel({ type: 'setPriority', priority: 'high' })).toBe('Priorität auf Hoch setzen');
    expect(macroActionLabel({ type: 'addTag', tag: 'refund' })).toBe('Tag refund hinzufügen');
    setLocale('en');
    expect(macroActionLabel({ type: 'setPriority', priority: 'high' })).toBe('Set priority to High');
  });
});

describe('the preferred language', () => {
  it('takes the saved choice, else the first browser language we have, else English', () => {
    expect(preferredLocale('de', ['en-US'])).toBe('de');
    expect(preferredLocale(null, ['fr-FR', 'de-AT', 'en'])).toBe('de');
    expect(preferredLocale('xx', ['fr'])).toBe('en');
  });
});
