// `npm run hub`: a team hub on its own, configured by a JSON file (--config or OMNI_HUB_CONFIG) and
// environment variables; `npm run hub:admin -- create-agent …` manages agents in the same data file.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import type { HubConfig, HubConfigInput } from './config';
import { Accounts } from './core/accounts';
import { HubError, isHubError } from './core/errors';
import { createHub, HUB_DATA_FILE, parseHubConfig, type Hub } from './server';
import { openHubDatabase } from './store/database';
import { HubStore } from './store/hubStore';

type Raw = Record<string, unknown>;

function deepMerge(base: Raw, over: Raw): Raw {
  const out: Raw = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && out[k] && typeof out[k] === 'object' ? deepMerge(out[k] as Raw, v as Raw) : v;
  }
  return out;
}

function toPort(name: string, v: string): number {
  if (!/^\d+$/.test(v.trim())) throw new HubError('config/invalid', `${name} must be a port number, got "${v}".`);
  return Number(v);
}

/** Flags shared by both commands; the rest of argv is returned for the admin command. */
function takeFlags(argv: readonly string[]): { flags: Raw; configFile?: string; rest: string[] } {
  const flags: Raw = {};
  const rest: string[] = [];
  let configFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new HubError('config/invalid', `${arg} needs a value.`);
      return v;
    };
    switch (arg) {
      case '--config': configFile = path.resolve(value()); break;
      case '--port': flags.port = toPort('--port', value()); break;
      case '--host': flags.host = value(); break;
      case '--data-dir': flags.dataDir = path.resolve(value()); break;
      case '--public-url': flags.publicUrl = value(); break;
      default: rest.push(arg);
    }
  }
  return configFile ? { flags, configFile, rest } : { flags, rest };
}

/** Defaults < the JSON file < environment < flags, validated with the one schema. */
export function loadHubConfig(argv: readonly string[], env: NodeJS.ProcessEnv, cwd = process.cwd()): { config: HubConfig; rest: string[] } {
  const { flags, configFile, rest } = takeFlags(argv);
  const file = configFile ?? (env.OMNI_HUB_CONFIG ? path.resolve(cwd, env.OMNI_HUB_CONFIG) : undefined);
  let fromFile: Raw = {};
  if (file) {
    if (!fs.existsSync(file)) throw new HubError('config/invalid', `The configuration file ${file} does not exist.`);
    try {
      fromFile = JSON.parse(fs.readFileSync(file, 'utf8')) as Raw;
    } catch (e) {
      throw new HubError('config/invalid', `The configuration file ${file} is not valid JSON: ${(e as Error).message}`);
    }
    if (!fromFile || typeof fromFile !== 'object' || Array.isArray(fromFile)) throw new HubError('config/invalid', `The configuration file ${file} must hold a JSON object.`);
    if (typeof fromFile.dataDir === 'string') fromFile.dataDir = path.resolve(path.dirname(file), fromFile.dataDir);
  }
  const fromEnv: Raw = {};
  if (env.OMNI_HUB_PORT) fromEnv.port = toPort('OMNI_HUB_PORT', env.OMNI_HUB_PORT);
  if (env.OMNI_HUB_HOST) fromEnv.host = env.OMNI_HUB_HOST;
  if (env.OMNI_HUB_DATA_DIR) fromEnv.dataDir = path.resolve(cwd, env.OMNI_HUB_DATA_DIR);
  if (env.OMNI_HUB_PUBLIC_URL) fromEnv.publicUrl = env.OMNI_HUB_PUBLIC_URL;
  if (env.OMNI_HUB_METRICS_TOKEN) fromEnv.metrics = { token: env.OMNI_HUB_METRICS_TOKEN };
  const merged = deepMerge(deepMerge(deepMerge({ dataDir: path.resolve(cwd, 'hub-data') }, fromFile), fromEnv), flags);
  return { config: parseHubConfig(merged as HubConfigInput), rest };
}

export async function runHub(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Hub> {
  const { config, rest } = loadHubConfig(argv, env);
  if (rest.length > 0) throw new HubError('config/invalid', `Unknown option ${rest[0]}. Options: --config, --port, --host, --data-dir, --public-url.`);
  const hub = await createHub({ ...config, embedded: false });
  console.log(`The Omni Desk hub is listening on ${config.host}:${hub.port} (public URL ${hub.url}; data ${path.join(config.dataDir, HUB_DATA_FILE)}).`);
  return hub;
}

async function readPassword(env: NodeJS.ProcessEnv, stdin: Readable): Promise<string> {
  if (env.OMNI_HUB_PASSWORD) return env.OMNI_HUB_PASSWORD;
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/, 1)[0] ?? '';
  if (!line) throw new HubError('agent/invalid', 'No password given: set OMNI_HUB_PASSWORD or pipe it on standard input.');
  return line;
}

function option(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const v = args[at + 1];
  if (v === undefined || v.startsWith('--')) throw new HubError('config/invalid', `${name} needs a value.`);
  return v;
}

const ADMIN_USAGE =
  'Usage: npm run hub:admin -- create-agent --username NAME --name "Display Name" [--role agent|supervisor|admin] [--seniority junior|mid|senior] [--languages en,de]\n' +
  '       npm run hub:admin -- set-password --username NAME\n' +
  '       npm run hub:admin -- list-agents\n' +
  'The password is read from OMNI_HUB_PASSWORD or the first line of standard input.';

export async function runAdmin(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, stdin: Readable = process.stdin): Promise<string> {
  const { config, rest } = loadHubConfig(argv, env);
  const [command, ...args] = rest;
  if (!command || !['create-agent', 'set-password', 'list-agents'].includes(command)) throw new HubError('config/invalid', ADMIN_USAGE);
  const db = openHubDatabase(path.join(config.dataDir, HUB_DATA_FILE));
  try {
    const store = new HubStore(db);
    const accounts = new Accounts(store, Date.now, config.sessionTtlMs);
    if (command === 'list-agents') {
      return store
        .agents()
        .map((a) => `${a.id}\t${a.username}\t${a.role}\t${a.seniority}\t${a.displayName}${a.isLocalAdmin ? '\t(local admin)' : ''}`)
        .join('\n');
    }
    const username = option(args, '--username');
    if (!username) throw new HubError('config/invalid', ADMIN_USAGE);
    const password = await readPassword(env, stdin);
    if (command === 'set-password') {
      await accounts.setPassword(username, password);
      return `The password of ${username} was changed.`;
    }
    const languages = option(args, '--languages');
    const agent = accounts.createAgent({
      username,
      displayName: option(args, '--name') ?? username,
      role: (option(args, '--role') ?? 'agent') as 'agent',
      seniority: (option(args, '--seniority') ?? 'mid') as 'mid',
      password,
      ...(languages ? { languages: languages.split(',').map((l) => l.trim()).filter(Boolean) } : {}),
    });
    return `Created ${agent.role} ${agent.username} (${agent.displayName}), id ${agent.id}.`;
  } finally {
    db.close();
  }
}

const isEntry = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry) {
  const argv = process.argv.slice(2);
  const fail = (e: unknown) => {
    console.error(isHubError(e) || (e as { code?: string })?.code?.includes('/') ? (e as Error).message : e);
    process.exit(1);
  };
  if (argv[0] === 'admin') {
    runAdmin(argv.slice(1)).then((out) => console.log(out), fail);
  } else {
    runHub(argv).then((hub) => {
      const stop = () => void hub.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    }, fail);
  }
}
