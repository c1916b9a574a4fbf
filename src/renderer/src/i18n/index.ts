// The workspace's language: i18next with the catalogs in en/ and de/, chosen by the agent in
// Settings (kept in localStorage) or else from the browser's languages. Dates and numbers use the
// same locale (dates.ts asks `currentLocale()`), so a German agent reads "10. Jan., 14:12".
import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { z } from 'zod';
import zodDe from 'zod/v4/locales/de.js';
import zodEn from 'zod/v4/locales/en.js';
import { de } from './de';
import { en } from './en';

export const LOCALES = [
  { code: 'en', name: 'English' },
  { code: 'de', name: 'Deutsch' },
] as const;
export type Locale = (typeof LOCALES)[number]['code'];

const STORAGE_KEY = 'omni.locale';
const resources = { en, de } as const;

export function isLocale(value: unknown): value is Locale {
  return LOCALES.some((l) => l.code === value);
}

/** The saved choice, else the first of the browser's languages we have, else English. */
export function preferredLocale(saved: string | null, browser: readonly string[]): Locale {
  if (isLocale(saved)) return saved;
  for (const tag of browser) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return 'en';
}

function readSaved(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

const listeners = new Set<(locale: Locale) => void>();

export const i18n: I18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources,
  lng: preferredLocale(readSaved(), globalThis.navigator?.languages ?? []),
  fallbackLng: 'en',
  defaultNS: 'common',
  ns: Object.keys(en),
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
  initAsync: false,
});
// "Enter the {{field, lowercase}}.": a label used mid-sentence (English lowercases it, German nouns keep their capital).
i18n.services.formatter?.add('lowercase', (value: unknown, lng) => (typeof value === 'string' ? value.toLocaleLowerCase(lng) : String(value)));
syncDocumentLang();

/** Also the language of zod's own messages in forms (a schema's custom sentences stay as written). */
function syncDocumentLang(): void {
  z.config(currentLocale() === 'de' ? zodDe() : zodEn());
  if (globalThis.document) document.documentElement.lang = currentLocale();
}

export function currentLocale(): Locale {
  const lng = i18n.resolvedLanguage ?? i18n.language;
  return isLocale(lng) ? lng : 'en';
}

/** Switches every string, date and number of the workspace and remembers the choice. */
export function setLocale(locale: Locale): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  } catch {
    // a storage error only means the choice is not remembered
  }
  void i18n.changeLanguage(locale);
  syncDocumentLang();
  for (const listener of listeners) listener(locale);
}

/** Called after every language change (dates.ts rebuilds its formatters). */
export function onLocaleChange(listener: (locale: Locale) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Translate outside React (state slices, toasts); components use `useTranslation()`. */
export const t = i18n.t.bind(i18n);
