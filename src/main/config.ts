// One configuration schema with defaults, read from (lowest to highest) the defaults, a JSON file,
// environment variables and command-line flags, and validated at start with a clear message.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { DesktopHubSettings } from './hub/hubSettings';
import { DesktopVoiceSettings } from './voice/voiceSettings';
import { AppError } from '../shared/errors';
import { Channel } from '../shared/domain';
import { Holiday, IanaTimeZone, WeeklyHours } from '../shared/time';
import { DashboardSettings } from '../shared/metrics/dashboard';
import { ChannelRestrictionRules } from '../shared/privacy/settings';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export const DEFAULT_PORT = 4870;

// ---------------------------------------------------------------- automatic replies

export const DEFAULT_AUTO_REPLY_TEXT = "We've received your request. Expect a response within {responseTime}.";
export const DEFAULT_AUTO_REPLY_CLOSED_TEXT = "We've received your request. We're closed right now and open again on {opensAt}; expect a response within {responseTime} after that.";

/** A reply text; `{name}` marks where a value goes, and only the listed names exist. */
const Template = (names: readonly string[]) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(2000, 'must be at most 2000 characters')
    .superRefine((text, ctx) => {
      for (const [, name] of text.matchAll(/\{([^{}]*)\}/g)) {
        if (!names.includes(name!)) ctx.addIssue({ code: 'custom', message: `names {${name}}, which does not exist; it can use ${names.map((n) => `{${n}}`).join(' and ')}` });
      }
    });

/** When the team answers (the calendar of src/shared/time without its id): outside it, the closed text goes out. */
const AutoReplyHours = z
  .strictObject({ timeZone: IanaTimeZone, weekly: WeeklyHours, holidays: z.array(Holiday).default([]) })
  .superRefine((h, ctx) => {
    const open = h.weekly === '24/7' || Object.values(h.weekly).some((ranges) => (ranges ?? []).length > 0);
    if (!open) ctx.addIssue({ code: 'custom', path: ['weekly'], message: 'has no open hours on any day; give at least one range, or "24/7"' });
  });

const ChannelAutoReply = z.strictObject({
  enabled: z.boolean().default(true),
  /** The response time promised, in hours of the team's hours. */
  responseHours: z.number().positive('must be more than 0').max(8760, 'must be at most 8760 (a year)').default(4),
  /** Sent while the team is open (or always, without `hours`). */
  text: Template(['responseTime']).default(DEFAULT_AUTO_REPLY_TEXT),
  /** Sent outside the hours: {opensAt} is the next opening in the hours' time zone. */
  closedText: Template(['responseTime', 'opensAt']).default(DEFAULT_AUTO_REPLY_CLOSED_TEXT),
  /** Null: no office hours are known, so the open text is always sent (no opening time is promised). */
  hours: AutoReplyHours.nullable().default(null),
});

export const AutoReplySettings = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** At most one automatic reply per sender within this many minutes. */
    perSenderMinutes: z.number().int('must be a whole number').min(1, 'must be at least 1').max(10_080, 'must be at most 10080 (a week)').default(60),
    /** Per channel; a channel left out gets no automatic reply. Only email sends them today. */
    channels: z.partialRecord(Channel, ChannelAutoReply).prefault({ email: {} }),
  })
  .prefault({});
export type AutoReplySettings = z.output<typeof AutoReplySettings>;
export type ChannelAutoReplySettings = z.output<typeof ChannelAutoReply>;

// ---------------------------------------------------------------- satisfaction surveys

export const DEFAULT_CSAT_EMAIL_TEXT = 'Thank you for contacting us about "{subject}". How did we do? Click the number that fits best:';

/**
 * The survey email sent when an email case is resolved (the hub issues its signed rating link and
 * decides who is asked: not twice within its quiet days, not after a rating). Other channels are
 * asked by the hub (SMS, social) or by the chat widget.
 */
export const CsatSettings = z
  .strictObject({
    email: z
      .strictObject({
        enabled: z.boolean().default(true),
        /** Above the five rating links; {subject} is the case subject. */
        text: Template(['subject']).default(DEFAULT_CSAT_EMAIL_TEXT),
      })
      .prefault({}),
  })
  .prefault({});
export type CsatSettings = z.output<typeof CsatSettings>;
/** Example costs per contact (labour and carrier), to be replaced by the center's own. */
const DEFAULT_COSTS = {
  email: { perContact: 4.5 },
  chat: { perContact: 3.2 },
  phone: { perContact: 2, perCallMinute: 0.9 },
  sms: { perContact: 2.5, perEvent: 0.0079 },
  messenger: { perContact: 3 },
  instagram: { perContact: 3 },
  x: { perContact: 3.5 },
  in_app: { perContact: 2.8 },
  portal: { perContact: 0.5 },
};

export const ConfigSchema = z
  .object({
    dataDir: z.string().min(1),
    headless: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(DEFAULT_PORT),
        /** Serving beyond loopback exposes the workspace to the network; it must be asked for. */
        allowRemote: z.boolean().default(false),
      })
      .default({ host: '127.0.0.1', port: DEFAULT_PORT, allowRemote: false }),
    demo: z
      .object({
        seedOnFirstRun: z.boolean().default(true),
        seed: z.number().int().default(20260115),
        customers: z.number().int().min(10).default(2000),
        conversations: z.number().int().min(10).default(10_000),
        events: z.number().int().min(10).default(60_000),
      })
      .default({ seedOnFirstRun: true, seed: 20260115, customers: 2000, conversations: 10_000, events: 60_000 }),
    agent: z
      .object({ name: z.string().min(1).optional(), email: z.string().email().optional() })
      .default({}),
    autoReply: AutoReplySettings,
    csat: CsatSettings,
    /** The hub: a team hub's URL and user name, else the embedded one (on by default). */
    hub: DesktopHubSettings,
    /** The supervisor dashboard: costs per channel, the heatmap's time zone, the service levels staffing aims at. */
    dashboard: DashboardSettings.prefault({ timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', costs: DEFAULT_COSTS }),
    /** Restricted channels (content sealed at rest, not exported, not searchable): `{ "channels": { "phone": { "restricted": true } } }`. */
    privacy: z.object({ channels: ChannelRestrictionRules.default({}) }).prefault({}),
    /** The softphone: signaling host (a test stand-in), wrap-up time, watchdog timing. */
    voice: DesktopVoiceSettings,
  })
  .superRefine((c, ctx) => {
    if (!c.headless.allowRemote && !LOOPBACK.has(c.headless.host)) {
      ctx.addIssue({
        code: 'custom',
        path: ['headless', 'host'],
        message: `"${c.headless.host}" is not a loopback address; set headless.allowRemote (or --allow-remote) to serve the workspace to the network`,
      });
    }
  });
export type Config = z.infer<typeof ConfigSchema>;

export function defaultDataDir(platform = process.platform, env = process.env, home = os.homedir()): string {
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Omni Desk');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Omni Desk');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'omni-desk');
}

export function dataFileOf(config: Config): string {
  return path.join(config.dataDir, 'omni-desk.sqlite');
}

type Raw = Record<string, unknown>;

function setPath(target: Raw, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] = (node[key] as Raw | undefined) ?? {};
    node = node[key] as Raw;
  }
  node[keys[keys.length - 1]!] = value;
}

function deepMerge(base: Raw, over: Raw): Raw {
  const out: Raw = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && out[k] && typeof out[k] === 'object' ? deepMerge(out[k] as Raw, v as Raw) : v;
  }
  return out;
}

function toBool(v: string): boolean {
  return !['0', 'false', 'no', 'off', ''].includes(v.trim().toLowerCase());
}

function toInt(name: string, v: string): number {
  if (!/^\d+$/.test(v.trim())) throw new AppError('config/invalid', `${name} must be a whole number, got "${v}".`);
  return Number(v);
}

/** Flags: --port N, --host H, --allow-remote, --data-dir D, --config F, --no-demo, --demo-seed N, --no-auto-reply. */
export function parseArgs(argv: readonly string[]): { overrides: Raw; configFile?: string } {
  const overrides: Raw = {};
  let configFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new AppError('config/invalid', `${flag} needs a value.`);
      return v;
    };
    switch (flag) {
      case '--port': setPath(overrides, 'headless.port', toInt('--port', value())); break;
      case '--host': setPath(overrides, 'headless.host', value()); break;
      case '--allow-remote': setPath(overrides, 'headless.allowRemote', true); break;
      case '--data-dir': setPath(overrides, 'dataDir', path.resolve(value())); break;
      case '--config': configFile = path.resolve(value()); break;
      case '--no-demo': setPath(overrides, 'demo.seedOnFirstRun', false); break;
      case '--demo-seed': setPath(overrides, 'demo.seed', toInt('--demo-seed', value())); break;
      case '--no-auto-reply': setPath(overrides, 'autoReply.enabled', false); break;
      case '--hub-url': setPath(overrides, 'hub.url', value()); break;
      case '--hub-user': setPath(overrides, 'hub.username', value()); break;
      case '--hub-port': setPath(overrides, 'hub.embedded.port', toInt('--hub-port', value())); break;
      case '--no-hub': setPath(overrides, 'hub.embedded.enabled', false); break;
      case '--headless': break;
      default: throw new AppError('config/invalid', `Unknown option ${flag}. Options: --port, --host, --allow-remote, --data-dir, --config, --no-demo, --demo-seed, --no-auto-reply.`);
    }
  }
  return configFile ? { overrides, configFile } : { overrides };
}

export function envOverrides(env: NodeJS.ProcessEnv): Raw {
  const out: Raw = {};
  if (env.OMNI_DATA_DIR) setPath(out, 'dataDir', path.resolve(env.OMNI_DATA_DIR));
  if (env.OMNI_HOST) setPath(out, 'headless.host', env.OMNI_HOST);
  if (env.OMNI_PORT) setPath(out, 'headless.port', toInt('OMNI_PORT', env.OMNI_PORT));
  if (env.OMNI_ALLOW_REMOTE) setPath(out, 'headless.allowRemote', toBool(env.OMNI_ALLOW_REMOTE));
  if (env.OMNI_DEMO) setPath(out, 'demo.seedOnFirstRun', toBool(env.OMNI_DEMO));
  if (env.OMNI_AGENT_NAME) setPath(out, 'agent.name', env.OMNI_AGENT_NAME);
  if (env.OMNI_AGENT_EMAIL) setPath(out, 'agent.email', env.OMNI_AGENT_EMAIL);
  if (env.OMNI_AUTO_REPLY) setPath(out, 'autoReply.enabled', toBool(env.OMNI_AUTO_REPLY));
  if (env.OMNI_HUB_URL) setPath(out, 'hub.url', env.OMNI_HUB_URL);
  if (env.OMNI_HUB_USER) setPath(out, 'hub.username', env.OMNI_HUB_USER);
  if (env.OMNI_HUB_PORT) setPath(out, 'hub.embedded.port', toInt('OMNI_HUB_PORT', env.OMNI_HUB_PORT));
  if (env.OMNI_HUB) setPath(out, 'hub.embedded.enabled', toBool(env.OMNI_HUB));
  return out;
}

export interface LoadOptions {
  argv?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Where Electron keeps per-user data; the headless default follows the OS convention. */
  dataDir?: string;
}

export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const { overrides, configFile } = parseArgs(options.argv ?? []);
  const fromEnv = envOverrides(env);
  const dataDir = (overrides.dataDir as string | undefined) ?? (fromEnv.dataDir as string | undefined) ?? options.dataDir ?? defaultDataDir();
  const file = configFile ?? env.OMNI_CONFIG ?? path.join(dataDir, 'omni-desk.config.json');
  let fromFile: Raw = {};
  if (fs.existsSync(file)) {
    try {
      fromFile = JSON.parse(fs.readFileSync(file, 'utf8')) as Raw;
    } catch (e) {
      throw new AppError('config/invalid', `The configuration file ${file} is not valid JSON: ${(e as Error).message}`);
    }
  } else if (configFile || env.OMNI_CONFIG) {
    throw new AppError('config/invalid', `The configuration file ${file} does not exist.`);
  }
  const merged = deepMerge(deepMerge(deepMerge({ dataDir }, fromFile), fromEnv), overrides);
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new AppError('config/invalid', `The configuration is not valid: ${detail}.`);
  }
  return parsed.data;
}
