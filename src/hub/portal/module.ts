// The portal module of the hub: the knowledge-base pages under /portal, the widget's suggestion
// and feedback API, and the supervisors' deflection report. Syncs the articles once at start.
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { HubContext, HubModule, HubModuleFactory } from '../services';
import { SLUG_PATTERN } from './articles';
import {
  bearerToken,
  cookieValue,
  parseJson,
  PortalError,
  PUBLIC_API_CORS,
  readBody,
  sendHtml,
  sendJson,
  sendJsonError,
  VISITOR_COOKIE,
  visitorCookie,
} from './http';
import { articlePage, homePage, messagePage, searchPage, snippetParts, type PageChrome } from './pages';
import { Portal, PortalRangeError, VisitorId } from './portal';
import { PORTAL_CSS } from './styles';

const BASE = '/portal';
const CSS_ETAG = `"${crypto.createHash('sha256').update(PORTAL_CSS).digest('hex').slice(0, 16)}"`;

const HelpfulBody = z.strictObject({ slug: z.string().regex(SLUG_PATTERN).max(100), visitor: VisitorId, helpful: z.boolean() });

// ms since the epoch or an ISO date / date-time.
const Instant = z.union([z.string().regex(/^\d{1,15}$/).transform(Number), z.iso.date(), z.iso.datetime({ offset: true })]).transform((v) => (typeof v === 'number' ? v : Date.parse(v)));

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`).join('; ');
}

export interface PortalModule extends HubModule {
  portal: Portal;
}

export function createPortal(ctx: HubContext): PortalModule {
  const config = ctx.config.portal;
  const portal = new Portal({ db: ctx.db, config, now: ctx.now, log: ctx.log, publicUrl: ctx.publicUrl });
  portal.sync();
  const bodyLimit = Math.min(config.maxBodyBytes, ctx.config.maxBodyBytes);

  const unobserve = ctx.conversations.observe({
    // Inside the message's own transaction, so both commit at once. Losing the deflection link
    // must not disturb the message's delivery: a failed insert (one statement, undone by SQLite
    // on its own) is logged and the message is stored all the same.
    inboundStored(conversation, message, inbound) {
      const visitor = VisitorId.safeParse(inbound.metadata?.visitorId);
      if (!visitor.success) return;
      try {
        portal.recordContact(message.id, visitor.data, conversation.id, message.createdAt);
      } catch (e) {
        ctx.log.error('portal: could not record a visitor contact for deflection', e);
      }
    },
  });

  const chrome = (): PageChrome => ({ siteTitle: config.title, base: BASE, publicUrl: ctx.publicUrl().replace(/\/+$/, ''), contactUrl: config.contactUrl, maxQueryLength: config.maxQueryLength });
  const secureCookie = () => ctx.publicUrl().startsWith('https:');

  /** The visitor of a page request: ?visitor= (from the widget) first, then the cookie, else a new id; the cookie follows. */
  function pageVisitor(req: IncomingMessage, url: URL): { id: string; setCookie: Record<string, string> } {
    const fromQuery = VisitorId.safeParse(url.searchParams.get('visitor'));
    const fromCookie = VisitorId.safeParse(cookieValue(req, VISITOR_COOKIE));
    const id = fromQuery.success ? fromQuery.data : fromCookie.success ? fromCookie.data : crypto.randomUUID();
    const needsCookie = !fromCookie.success || fromCookie.data !== id;
    return { id, setCookie: needsCookie ? { 'Set-Cookie': visitorCookie(id, secureCookie()) } : {} };
  }

  function queryOf(url: URL): string {
    const q = url.searchParams.get('q') ?? '';
    if (q.length > config.maxQueryLength) {
      throw new PortalError(400, 'portal/query-too-long', `A search can be at most ${config.maxQueryLength} characters long; this one has ${q.length}.`);
    }
    return q;
  }

  function allow(req: IncomingMessage, methods: string[]): void {
    if (!methods.includes(req.method ?? 'GET')) {
      throw new PortalError(405, 'portal/method-not-allowed', `${req.method} is not allowed here; use ${methods.join(' or ')}.`, { Allow: methods.join(', ') });
    }
  }

  function notFoundPage(res: ServerResponse): void {
    sendHtml(res, 404, messagePage(chrome(), 'Page not found', 'There is no article at this address. It may have been renamed or removed; try searching instead.'));
  }

  async function handlePage(req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<void> {
    if (path === '/assets/portal.css') {
      allow(req, ['GET']);
      if (req.headers['if-none-match'] === CSS_ETAG) {
        res.writeHead(304, { ETag: CSS_ETAG }).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600', ETag: CSS_ETAG, 'X-Content-Type-Options': 'nosniff' });
      res.end(PORTAL_CSS);
      return;
    }
    if (path === '' || path === '/') {
      allow(req, ['GET']);
      const visitor = pageVisitor(req, url);
      sendHtml(res, 200, homePage(chrome(), portal.popular(6), portal.allArticles()), visitor.setCookie);
      return;
    }
    if (path === '/search') {
      allow(req, ['GET']);
      const visitor = pageVisitor(req, url);
      const q = queryOf(url);
      sendHtml(res, 200, searchPage(chrome(), q, q.trim() ? portal.search(q, 20) : []), visitor.setCookie);
      return;
    }
    const feedback = /^\/articles\/([^/]+)\/feedback$/.exec(path);
    if (feedback) {
      allow(req, ['POST']);
      const article = portal.article(decodeSlug(feedback[1]!));
      if (!article) return notFoundPage(res);
      const form = new URLSearchParams((await readBody(req, res, bodyLimit)).toString('utf8'));
      const answer = form.get('helpful');
      if (answer !== 'yes' && answer !== 'no') throw new PortalError(400, 'portal/invalid-request', 'Choose Yes or No to say whether the article helped.');
      const visitor = pageVisitor(req, url);
      portal.recordFeedback(visitor.id, article.slug, answer === 'yes');
      res.writeHead(303, { Location: `${BASE}/articles/${article.slug}?feedback=thanks`, 'Cache-Control': 'no-store', ...visitor.setCookie }).end();
      return;
    }
    const articleMatch = /^\/articles\/([^/]+)\/?$/.exec(path);
    if (articleMatch) {
      allow(req, ['GET']);
      const article = portal.article(decodeSlug(articleMatch[1]!));
      if (!article) return notFoundPage(res);
      const visitor = pageVisitor(req, url);
      portal.recordView(visitor.id, article.slug);
      sendHtml(res, 200, articlePage(chrome(), article, url.searchParams.get('feedback') === 'thanks' ? 'thanks' : null), visitor.setCookie);
      return;
    }
    notFoundPage(res);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<void> {
    if (path === '/search' || path === '/helpful') {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, PUBLIC_API_CORS).end();
        return;
      }
      try {
        if (path === '/search') {
          allow(req, ['GET']);
          const q = queryOf(url);
          const rawVisitor = url.searchParams.get('visitor');
          const visitor = rawVisitor === null || rawVisitor === '' ? null : VisitorId.safeParse(rawVisitor);
          if (visitor && !visitor.success) throw new PortalError(400, 'portal/invalid-request', `visitor: ${describe(visitor.error)}.`);
          const hits = q.trim() ? portal.suggest(q, visitor ? visitor.data! : null) : [];
          sendJson(
            res,
            200,
            {
              articles: hits.map((h) => {
                const parts = snippetParts(h.marked);
                return { slug: h.slug, title: h.title, snippet: parts.map((p) => p.text).join(''), highlights: parts, url: portal.articleUrl(h.slug) };
              }),
            },
            PUBLIC_API_CORS,
          );
        } else {
          allow(req, ['POST']);
          const parsed = HelpfulBody.safeParse(parseJson(await readBody(req, res, bodyLimit)));
          if (!parsed.success) throw new PortalError(400, 'portal/invalid-request', `The feedback is not valid (${describe(parsed.error)}).`);
          if (!portal.article(parsed.data.slug)) throw new PortalError(404, 'portal/not-found', `There is no article "${parsed.data.slug}".`);
          portal.recordFeedback(parsed.data.visitor, parsed.data.slug, parsed.data.helpful);
          sendJson(res, 200, { recorded: true }, PUBLIC_API_CORS);
        }
      } catch (e) {
        if (e instanceof PortalError) return sendJsonError(res, e, PUBLIC_API_CORS);
        throw e;
      }
      return;
    }
    if (path === '/deflection') {
      allow(req, ['GET']);
      const token = bearerToken(req);
      const agent = token === null ? null : ctx.agentForToken(token);
      if (agent === null) {
        const sentence = token === null ? 'Sign in: this report needs a supervisor session token.' : 'The session has expired or is not known; sign in again.';
        throw new PortalError(401, 'portal/unauthorized', sentence, { 'WWW-Authenticate': 'Bearer realm="omni-hub"' });
      }
      if (agent.role !== 'supervisor' && agent.role !== 'admin') throw new PortalError(403, 'portal/forbidden', 'Only supervisors and admins can read the deflection report.');
      const range: { from?: number; to?: number } = {};
      for (const key of ['from', 'to'] as const) {
        const raw = url.searchParams.get(key);
        if (raw === null || raw === '') continue;
        const parsed = Instant.safeParse(raw);
        if (!parsed.success || Number.isNaN(parsed.data)) throw new PortalError(400, 'portal/invalid-range', `${key} must be milliseconds since 1970 or an ISO date like 2026-03-01.`);
        range[key] = parsed.data;
      }
      try {
        sendJson(res, 200, portal.deflection(range));
      } catch (e) {
        if (e instanceof PortalRangeError) throw new PortalError(400, 'portal/invalid-range', e.message);
        throw e;
      }
      return;
    }
    throw new PortalError(404, 'portal/not-found', `There is no portal API at ${url.pathname}.`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.slice(BASE.length);
    const api = path.startsWith('/api/');
    try {
      if (api) await handleApi(req, res, url, path.slice('/api'.length));
      else await handlePage(req, res, url, path);
    } catch (e) {
      const error = e instanceof PortalError ? e : new PortalError(500, 'portal/internal', 'Something went wrong on our side; please try again.');
      if (!(e instanceof PortalError)) ctx.log.error(`portal: ${req.method} ${url.pathname} failed`, e);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (api) sendJsonError(res, error);
      else sendHtml(res, error.status, messagePage(chrome(), error.status === 400 || error.status === 413 ? 'We could not read that' : 'Something went wrong', error.message), error.headers);
    }
  }

  return {
    name: 'portal',
    portal,
    async handleHttp(req, res, url) {
      if (url.pathname !== BASE && !url.pathname.startsWith(`${BASE}/`)) return false;
      await handle(req, res, url);
      return true;
    },
    close() {
      unobserve();
    },
  };
}

function decodeSlug(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return '';
  }
}

export const createPortalModule: HubModuleFactory = (ctx) => createPortal(ctx);
