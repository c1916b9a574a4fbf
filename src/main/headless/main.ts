// Entry of the headless mode: the same service graph as the desktop, served to a browser on
// loopback. Started by `npm start` when the Electron runtime is missing, or `npm run start:headless`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../shared/errors';
import { loadConfig } from '../config';
import { openCore, type Core } from '../core';
import { prepareHub, type PreparedHub } from '../hub/hubConnection';
import type { HubSwitcher } from '../hub/hubSwitcher';
import { defaultSecretStore } from '../secrets';
import { headlessDesktop } from './desktopHook';
import { startHeadlessServer, type HeadlessServer } from './server';
import { signalingOrigin } from '../voice/voiceSettings';

export interface HeadlessRun {
  core: Core;
  server: HeadlessServer;
  /** The hub the desktop started with (built in or a team hub; null with --no-hub); core.hub may move it. */
  hub: PreparedHub | null;
  stop(): Promise<void>;
}

export async function runHeadless(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, rendererDir?: string): Promise<HeadlessRun> {
  const config = loadConfig({ argv, env });
  const { host, port } = config.headless;
  const url = port === 0 ? `http://${host.includes(':') ? `[${host}]` : host} on a free port` : `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (env.OMNI_ELECTRON_MISSING === '1') console.log(`Electron runtime is not installed; starting the headless mode at ${url}`);
  else console.log(`Starting the headless mode at ${url}`);

  // Listen first: a taken port is reported before any data file is opened or seeded.
  const server: HeadlessServer = await startHeadlessServer({
    host,
    port,
    rendererDir: rendererDir ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../renderer'),
    log: (line) => console.error(line),
    voiceSignaling: signalingOrigin(config.voice),
  });
  let core: Core;
  let switcher: HubSwitcher | null = null;
  const desktop = headlessDesktop(env, (line) => console.error(line));
  try {
    const secrets = defaultSecretStore(config.dataDir, env);
    // The team hub chosen in the settings or configured, else the embedded one (chat widget, SMS and social webhooks, routing).
    switcher = prepareHub(config.hub, { dataDir: config.dataDir, secrets, log: (line) => console.error(line), embeddedCosts: config.dashboard.costs });
    core = await openCore(config, { mode: 'headless', secrets, hub: switcher, desktop: desktop.hook });
    await core.hub.ready().catch(async (e: unknown) => {
      await core.close();
      throw e;
    });
  } catch (e) {
    await switcher?.close();
    await server.close();
    throw e;
  }
  const hubs = switcher;
  const started = core.hub.connection;
  const hub: PreparedHub | null = started ? { connection: started, close: () => hubs.close() } : null;
  server.attach(core);
  const serving = core;
  desktop.start((name, payload) => serving.emit(name, payload));
  console.log(`Omni Desk is ready at ${server.url} (data: ${core.dataFile}). Press Ctrl+C to stop.`);
  if (hub?.connection.widgetDemoUrl) console.log(`Chat widget demo (a customer's side of a chat): ${hub.connection.widgetDemoUrl}`);
  return {
    core,
    server,
    hub,
    async stop() {
      desktop.stop();
      await server.close();
      await core.close();
      await hubs.close();
    },
  };
}

const isEntry = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry || process.env.OMNI_HEADLESS_ENTRY === '1') {
  runHeadless(process.argv.slice(2)).then(
    (run) => {
      const shutdown = () => void run.stop().then(() => process.exit(0));
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    },
    (e: unknown) => {
      console.error(e instanceof AppError ? e.message : e);
      process.exit(1);
    },
  );
}
