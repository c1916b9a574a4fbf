// Entry of the headless mode: the same service graph as the desktop, served to a browser on
// loopback. Started by `npm start` when the Electron runtime is missing, or `npm run start:headless`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../shared/errors';
import { loadConfig } from '../config';
import { createCore, type Core } from '../core';
import { prepareHub, type PreparedHub } from '../hub/hubConnection';
import { defaultSecretStore } from '../secrets';
import { startHeadlessServer, type HeadlessServer } from './server';

export interface HeadlessRun {
  core: Core;
  server: HeadlessServer;
  /** The embedded hub (or the team hub's connection); null with --no-hub. */
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
  });
  let core: Core;
  let hub: PreparedHub | null = null;
  try {
    const secrets = defaultSecretStore(config.dataDir, env);
    // The embedded hub (chat widget, SMS and social webhooks, routing) unless a team hub is configured.
    hub = await prepareHub(config.hub, { dataDir: config.dataDir, secrets, log: (line) => console.error(line) });
    core = createCore(config, { mode: 'headless', secrets, hub: hub?.connection ?? null });
  } catch (e) {
    await hub?.close();
    await server.close();
    throw e;
  }
  server.attach(core);
  console.log(`Omni Desk is ready at ${server.url} (data: ${core.dataFile}). Press Ctrl+C to stop.`);
  if (hub?.connection.widgetDemoUrl) console.log(`Chat widget demo (a customer's side of a chat): ${hub.connection.widgetDemoUrl}`);
  return {
    core,
    server,
    hub,
    async stop() {
      await server.close();
      await core.close();
      await hub?.close();
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
