// The widget module of the hub: serves the embeddable script and the demo page, takes visitor
// uploads and downloads, and the visitors' WebSocket at /widget?org=<org>. Each org lists the
// website origins allowed to open chats; requests without an Origin header (not from a browser) pass.
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { moduleDir } from '../../platform/moduleDir';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HubContext, HubModule, HubModuleFactory } from '../services';
import { demoPage, type DemoUser } from './demoPage';
import { userHash } from './identity';
import { corsHeaders, sendError, WidgetError } from './http';
import { handleAgentUpload, handleDownload, handleUpload, uploadsDir } from './uploads';
import { HubError } from '../core/errors';
import { createVisitorGateway } from './visitorGateway';
import { createWidgetStore } from './widgetStore';
import { say } from '../../shared/serverErrors';

/** Where the built script may be: this checkout's dist (running from source) or next to a bundled hub. */
function scriptCandidates(configured: string | null): string[] {
  if (configured) return [path.resolve(configured)];
  const here = moduleDir(import.meta.url);
  return [
    ...(here ? [path.resolve(here, '../../../dist/widget/widget.js'), path.resolve(here, '../widget/widget.js')] : []),
    path.resolve(process.cwd(), 'dist/widget/widget.js'),
  ];
}

interface CachedScript {
  file: string;
  mtimeMs: number;
  body: Buffer;
  etag: string;
}

/** The fictional signed-in user of `/widget/demo?mode=in-app`. */
const DEMO_USER = { id: 'demo-user-1', name: 'Jordan Lee', email: 'jordan@fernhill.example' };

export function createWidget(ctx: HubContext): HubModule {
  // The demo page can also show the in-app mode, signing one fictional user as a product's backend
  // would: only with a secret made for this process, never with one an operator configured (the
  // page would otherwise sign that org's real users for anyone who opens it).
  const demoOrg = ctx.config.widget.orgs[ctx.config.widget.demoOrg];
  const demoSecret = demoOrg && demoOrg.identitySecret === null ? randomBytes(32).toString('hex') : null;
  const config = demoOrg && demoSecret
    ? { ...ctx.config.widget, orgs: { ...ctx.config.widget.orgs, [ctx.config.widget.demoOrg]: { ...demoOrg, identitySecret: demoSecret } } }
    : ctx.config.widget;
  const demoUser: DemoUser | null = demoSecret ? { ...DEMO_USER, hash: userHash(demoSecret, DEMO_USER.id) } : null;
  const store = createWidgetStore(ctx.db);
  const gateway = createVisitorGateway(ctx, config, store);
  ctx.conversations.registerSender(gateway.sender);
  // An agent's message names files uploaded for its own conversation (handleAgentUpload binds them).
  ctx.conversations.registerAttachments((conversation, ids) =>
    ids.map((id) => {
      const upload = store.upload(id);
      if (!upload || upload.conversationId !== conversation.id) throw new HubError('send/attachments', say('uploadNotForConversation'));
      return { name: upload.name, contentType: upload.contentType, size: upload.size, url: `/widget/files/${upload.id}` };
    }),
  );
  const stopObserving = ctx.conversations.observe(gateway.observer);
  // A GDPR erase takes the visitor's uploads (sent or not) off the disk once the rows are gone.
  const stopErasing = ctx.conversations.observe({
    erasing({ conversationIds, addresses }) {
      const ids = ctx.db
        .prepare(
          `SELECT id FROM widget_uploads WHERE conversation_id IN (SELECT value FROM json_each(?))
             OR visitor_id IN (SELECT value FROM json_each(?))
             OR visitor_id IN (SELECT visitor_id FROM widget_conversations WHERE conversation_id IN (SELECT value FROM json_each(?)))`,
        )
        .pluck()
        .all(JSON.stringify(conversationIds), JSON.stringify(addresses), JSON.stringify(conversationIds)) as string[];
      const dir = uploadsDir(ctx);
      ctx.conversations.afterCommit(() => {
        for (const id of ids) {
          try {
            fs.rmSync(path.join(dir, id), { force: true });
          } catch (e) {
            ctx.log.warn(`An erased upload could not be removed (${id}): ${(e as Error).message}`);
          }
        }
      });
      return ids.length;
    },
  });
  let script: CachedScript | null = null;

  /** The page's origin when it may use `org`'s chat, '' for a non-browser client, null when refused. */
  function allowedOrigin(req: IncomingMessage, org: string): string | null {
    const origin = req.headers.origin;
    if (origin === undefined) return '';
    const o = origin.toLowerCase();
    if (config.orgs[org]?.allowedOrigins.includes(o)) return origin;
    try {
      const own = new URL(ctx.publicUrl()).origin.toLowerCase();
      // The hub's own pages (the demo page, the portal) are always allowed.
      if (o === own || new URL(o).host === (req.headers.host ?? '').toLowerCase()) return origin;
    } catch {
      return null;
    }
    return null;
  }

  function loadScript(): CachedScript | null {
    for (const file of scriptCandidates(config.scriptFile)) {
      let stat: fs.Stats;
      try {
        stat = fs.statSync(file);
      } catch {
        continue;
      }
      if (script && script.file === file && script.mtimeMs === stat.mtimeMs) return script;
      const body = fs.readFileSync(file);
      script = { file, mtimeMs: stat.mtimeMs, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
      return script;
    }
    return null;
  }

  function serveScript(req: IncomingMessage, res: ServerResponse): void {
    const s = loadScript();
    if (!s) {
      const body = 'The chat widget has not been built. Run `npm run build` on the hub machine, then reload.\n';
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'Retry-After': '30' });
      res.end(body);
      return;
    }
    const headers = {
      ETag: s.etag,
      // Short, then revalidated: embedding pages pick up a new build within minutes.
      'Cache-Control': 'public, max-age=300, must-revalidate',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'X-Content-Type-Options': 'nosniff',
    };
    if (req.headers['if-none-match'] === s.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript; charset=utf-8', 'Content-Length': s.body.length });
    res.end(req.method === 'HEAD' ? undefined : s.body);
  }

  function serveDemo(res: ServerResponse, inApp: boolean): void {
    const body = demoPage(config.demoOrg, inApp ? demoUser : null);
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; img-src 'self' data:; frame-ancestors 'none'",
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(body);
  }

  function orgOf(url: URL): string | null {
    const org = url.searchParams.get('org');
    return org !== null && Object.hasOwn(config.orgs, org) ? org : null;
  }

  function refuseUpgrade(socket: Duplex, status: number, reason: string, sentence: string): void {
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(sentence)}\r\n\r\n${sentence}`);
  }

  return {
    name: 'widget',
    async handleHttp(req, res, url) {
      const p = url.pathname;
      const method = req.method ?? 'GET';
      if (p === '/widget.js' && (method === 'GET' || method === 'HEAD')) {
        serveScript(req, res);
        return true;
      }
      if (p === '/widget/demo' && method === 'GET') {
        serveDemo(res, url.searchParams.get('mode') === 'in-app');
        return true;
      }
      if (p === '/widget/upload') {
        const org = orgOf(url);
        const origin = org ? allowedOrigin(req, org) : null;
        const cors = corsHeaders(origin || null);
        if (method === 'OPTIONS') {
          res.writeHead(origin ? 204 : 403, { ...cors, 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Max-Age': '600' });
          res.end();
          return true;
        }
        if (method !== 'POST') {
          req.resume();
          sendError(res, new WidgetError('widget/method', 'Uploads are sent with POST.', 405), { Allow: 'POST, OPTIONS' });
          return true;
        }
        if (!org) {
          req.resume();
          sendError(res, new WidgetError('widget/unknown-org', 'This chat is not set up on the hub (unknown org).', 404));
          return true;
        }
        if (origin === null) {
          req.resume();
          sendError(res, new WidgetError('widget/origin', 'This website is not allowed to send files to this chat.', 403));
          return true;
        }
        await handleUpload({ ctx, config, store }, req, res, org, cors);
        return true;
      }
      if (p === '/widget/agent-upload') {
        if (method !== 'POST') {
          req.resume();
          sendError(res, new WidgetError('widget/method', 'Uploads are sent with POST.', 405), { Allow: 'POST' });
          return true;
        }
        await handleAgentUpload({ ctx, config, store }, req, res, url);
        return true;
      }
      const file = /^\/widget\/files\/([^/]+)$/.exec(p);
      if (file && (method === 'GET' || method === 'HEAD')) {
        handleDownload({ ctx, config, store }, req, res, url, file[1]!);
        return true;
      }
      return false;
    },
    handleUpgrade(req, socket, head, url) {
      if (url.pathname !== '/widget') return false;
      const org = orgOf(url);
      if (!org) {
        refuseUpgrade(socket, 404, 'Not Found', 'This chat is not set up on the hub (unknown org).');
        return true;
      }
      if (allowedOrigin(req, org) === null) {
        refuseUpgrade(socket, 403, 'Forbidden', 'This website is not allowed to open this chat.');
        return true;
      }
      gateway.handleUpgrade(req, socket, head, org);
      return true;
    },
    async close() {
      stopObserving();
      stopErasing();
      await gateway.close();
    },
  };
}

export const createWidgetModule: HubModuleFactory = createWidget;
