// The desktop app's own settings (link handlers, notification rules, updates, the log file) in
// desktop-settings.json in the data folder, with OMNI_UPDATE_* from the environment on top. A bad
// file is never rewritten: the defaults apply and the reason is returned for the log and the UI.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ACCELERATOR } from './answerShortcut';
import { NotificationSettings } from './notificationRules';
import { UpdateSettings, updateSettingsFromEnv } from '../update/updater';

export const DESKTOP_SETTINGS_FILE = 'desktop-settings.json';

export const DesktopSettings = z
  .object({
    links: z
      .object({
        /** omni:// is always registered; tel: and mailto: take over the user's phone and mail app, so they are opt-in. */
        handleTel: z.boolean().default(false),
        handleMailto: z.boolean().default(false),
        /** The region a tel: number without a country code is read in. */
        defaultRegion: z.string().regex(/^[A-Z]{2}$/, 'is a two-letter region code such as US').default('US'),
      })
      .strict()
      .prefault({}),
    calls: z
      .object({
        /** Answers a ringing call from any application (Electron accelerator); null turns it off. */
        answerShortcut: z.string().regex(ACCELERATOR, 'is an Electron accelerator such as CommandOrControl+Shift+A').nullable().default('CommandOrControl+Shift+A'),
      })
      .strict()
      .prefault({}),
    notifications: NotificationSettings.prefault({}),
    updates: UpdateSettings.prefault({}),
    log: z
      .object({
        maxBytes: z.number().int().min(16 * 1024).max(100 * 1024 * 1024).default(1024 * 1024),
        keep: z.number().int().min(1).max(50).default(5),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type DesktopSettings = z.infer<typeof DesktopSettings>;

export class DesktopSettingsError extends Error {
  readonly code = 'config/invalid';
}

export interface LoadedDesktopSettings {
  settings: DesktopSettings;
  /** Why the file (or an OMNI_UPDATE_* variable) was not used, when it was not. */
  problem: string | null;
}

function describe(error: z.ZodError, source: string): string {
  const first = error.issues[0];
  const where = first && first.path.length > 0 ? first.path.join('.') : 'the top level';
  return `${source}: ${where} ${first?.message ?? 'is not valid'}.`;
}

/** Never throws: the defaults stand in for whatever could not be read, and `problem` says why. */
export function loadDesktopSettings(dataDir: string, env: NodeJS.ProcessEnv = process.env): LoadedDesktopSettings {
  const file = path.join(dataDir, DESKTOP_SETTINGS_FILE);
  let fromFile: unknown = {};
  let problem: string | null = null;
  try {
    fromFile = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      problem = `${file} could not be read (${(e as Error).message}); the default desktop settings apply.`;
      fromFile = {};
    }
  }
  const parsedFile = DesktopSettings.safeParse(fromFile);
  if (!parsedFile.success) problem = `${describe(parsedFile.error, file)} The default desktop settings apply until it is fixed.`;
  const base = parsedFile.success ? parsedFile.data : DesktopSettings.parse({});
  const overrides = updateSettingsFromEnv(env);
  if (Object.keys(overrides).length === 0) return { settings: base, problem };
  const updates = UpdateSettings.safeParse({ ...(problem ? {} : stripDefaults(fromFile)), ...overrides });
  if (!updates.success) {
    return { settings: base, problem: `${describe(updates.error, 'The OMNI_UPDATE_* environment variables')} They are ignored.` };
  }
  return { settings: { ...base, updates: updates.data }, problem };
}

/** The `updates` object exactly as the file wrote it, so env overrides merge with what the user set. */
function stripDefaults(fromFile: unknown): Record<string, unknown> {
  if (typeof fromFile !== 'object' || fromFile === null) return {};
  const updates = (fromFile as { updates?: unknown }).updates;
  return typeof updates === 'object' && updates !== null ? { ...(updates as Record<string, unknown>) } : {};
}

/** Writes the settings atomically (a temporary file renamed over the old one). */
export function saveDesktopSettings(dataDir: string, settings: DesktopSettings): void {
  const parsed = DesktopSettings.safeParse(settings);
  if (!parsed.success) throw new DesktopSettingsError(describe(parsed.error, 'The desktop settings'));
  const file = path.join(dataDir, DESKTOP_SETTINGS_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(temporary, `${JSON.stringify(parsed.data, null, 2)}\n`);
  fs.renameSync(temporary, file);
}
