// The language Chromium starts with in the desktop app (`--lang`), so native date and time pickers
// follow the workspace's language. The workspace keeps the agent's choice in its own storage, which
// main cannot read before Chromium starts; it tells main (rememberLanguage), main keeps it in
// language.json in the data folder, and the next start passes it on. A change applies after a restart.
import fs from 'node:fs';
import path from 'node:path';

export const LANGUAGE_FILE = 'language.json';

/** The languages the workspace ships, as Chromium's --lang values. */
const CHROMIUM_LANG: Readonly<Record<string, string>> = { en: 'en-US', de: 'de' };

/** The --lang value for a remembered choice, or null to leave Chromium on the system's language. */
export function chromiumLang(saved: unknown): string | null {
  return typeof saved === 'string' && Object.hasOwn(CHROMIUM_LANG, saved) ? CHROMIUM_LANG[saved]! : null;
}

/** The remembered choice ("de"), or null when there is none or the file cannot be read (never throws). */
export function readRememberedLanguage(dataDir: string): string | null {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(path.join(dataDir, LANGUAGE_FILE), 'utf8'));
    const language = (parsed as { language?: unknown } | null)?.language;
    return typeof language === 'string' ? language : null;
  } catch {
    return null;
  }
}

/** Keeps the choice for the next start (written atomically; an unchanged choice is not rewritten). */
export function rememberLanguage(dataDir: string, language: string): void {
  if (readRememberedLanguage(dataDir) === language) return;
  const file = path.join(dataDir, LANGUAGE_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(temporary, `${JSON.stringify({ language })}\n`);
  fs.renameSync(temporary, file);
}
