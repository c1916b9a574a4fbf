// The headless transport: serves the built workspace over HTTP on loopback and carries the same
// contract over a WebSocket at /api. Only pages from this server may open the socket (Origin and
// Host are checked, which also defeats DNS rebinding); every frame is validated.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppError } from '../../shared/errors';
import { ClientFrame, type ServerFrame } from '../../shared/rpc';
import type { Core } from '../core';
import { contentTypeFor, resolveStaticFile, staticSecurityHeaders as baseSecurityHeaders } from '../staticFiles';
import { attachmentHeaders, attachmentShaOf, isAttachmentPath } from '../attachmentFiles';

/** A contract frame is small; a megabyte is far above any legitimate request. */
export const MAX_FRAME_BYTES = 1024 * 1024;

export interface HeadlessServerOptions {
  /** The service graph; may also be attached after listening (see HeadlessServer.attach). */
  core?: Core;
  host: string;
  port: number;
  rendererDir: string;
  log?: (line: string) => void;
  /** The softphone's signaling origin, allowed by the page's CSP (wss://voice-js.roaming.twilio.com by default). */
  voiceSignaling?: string;
}

export interface HeadlessServer {
  url: string;
  port: number;
  /** Connects the service graph once it is built; until then the API answers "starting". */
  attach(core: Core): void;
  close(): Promise<void>;
}

function allowedHosts(host: string, port: number): Set<string> {
  const names = new Set([host, host.includes(':') ? `[${host}]` : host]);
  if (host === '127.0.0.1' || host === '::1' || host === 'localhost') ['127.0.0.1', 'localhost', '[::1]'].forEach((h) => names.add(h));
  return new Set([...names].map((h) => `${h}:${port}`));
}

export async function startHeadlessServer(options: HeadlessServerOptions): Promise<HeadlessServer> {
  const { host, rendererDir } = options;
  let core = options.core ?? null;
  const log = options.log ?? (() => {});
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new AppError('config/invalid', `The workspace is not built (${path.join(rendererDir, 'index.html')} is missing). Run \`npm run build\` first.`);
  }
  let hosts = new Set<string>();
  const staticSecurityHeaders = () => baseSecurityHeaders(options.voiceSignaling ? { voiceSignaling: options.voiceSignaling } : {});

  const server = http.createServer((req, res) => {
    if (!hosts.has(req.headers.host ?? '')) {
      res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Unknown host.\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed.\n');
      return;
    }
    const pathname = (req.url ?? '/').split(/[?#]/)[0]!;
    if (isAttachmentPath(pathname)) {
      // Only a hash a stored mail names; anything else under /attachments/ is a 404, never the app shell.
      const sha = attachmentShaOf(pathname);
      const attachment = sha && core ? core.attachment(sha) : null;
      const stat = attachment && !attachment.content ? fs.statSync(attachment.path, { throwIfNoEntry: false }) : undefined;
      if (!attachment || (!attachment.content && !stat?.isFile())) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...staticSecurityHeaders() }).end('Not found.\n');
        return;
      }
      res.writeHead(200, attachmentHeaders(attachment, attachment.content?.length ?? stat!.size));
      if (req.method === 'HEAD') res.end();
      else if (attachment.content) res.end(attachment.content);
      else fs.createReadStream(attachment.path).pipe(res);
      return;
    }
    const file = resolveStaticFile(rendererDir, pathname);
    if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...staticSecurityHeaders() }).end('Not found.\n');
      return;
    }
    res.writeHead(200, {
      ...staticSecurityHeaders(),
      'Content-Type': contentTypeFor(file),
      // Vite names assets by content hash; only the HTML shell must be re-read.
      'Cache-Control': path.extname(file) === '.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
    });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const hostHeader = req.headers.host ?? '';
    const origin = req.headers.origin;
    const pathname = (req.url ?? '').split('?')[0];
    if (pathname !== '/api' || !hosts.has(hostHeader) || origin !== `http://${hostHeader}`) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
  });

  wss.on('connection', (ws: WebSocket) => {
    if (!core) {
      // Still opening the store (first-run seeding): the client's reconnect loop tries again.
      ws.close(1013, 'Starting, try again shortly');
      return;
    }
    const services = core;
    const send = (frame: ServerFrame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    const unsubscribe = services.subscribe((name, payload) => send({ t: 'evt', name, payload }));
    ws.on('close', unsubscribe);
    ws.on('error', (e) => log(`A workspace connection failed: ${e.message}`));
    ws.on('message', async (data, isBinary) => {
      let frame: ClientFrame;
      try {
        if (isBinary) throw new Error('binary frame');
        const parsed = ClientFrame.safeParse(JSON.parse(data.toString()));
        if (!parsed.success) throw new Error('not a request frame');
        frame = parsed.data;
      } catch {
        // Without a readable id there is nobody to answer; a client that speaks garbage is cut off.
        ws.close(1007, 'Malformed frame');
        return;
      }
      send({ t: 'res', id: frame.id, result: await services.dispatch(frame.method, frame.input, { transport: 'websocket' }) });
    });
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (e.code === 'EADDRINUSE') {
        reject(
          new AppError(
            'config/invalid',
            `Port ${options.port} on ${host} is already in use (is Omni Desk already running?). Choose another port with --port or OMNI_PORT.`,
          ),
        );
      } else if (e.code === 'EACCES') {
        reject(new AppError('config/invalid', `Not allowed to listen on ${host}:${options.port}. Choose a port above 1024 with --port or OMNI_PORT.`));
      } else if (e.code === 'EADDRNOTAVAIL') {
        reject(new AppError('config/invalid', `${host} is not an address of this machine. Choose another host with --host or OMNI_HOST.`));
      } else reject(e);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(options.port, host);
  });

  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(host, port);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    attach(services) {
      core = services;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
