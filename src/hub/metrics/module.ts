// The hub's read-only metrics API for BI tools (Tableau, Power BI): the dashboard of a range as
// JSON and the weekly report as CSV, computed from the hub's conversations, messages and portal
// views with the same shared functions as the desktop. A bearer token from the hub configuration
// (compared in constant time); without one configured the API answers that it is off.
import { costsWithMatrix } from '../../shared/channelConfig';
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { Channel, TIERS } from '../../shared/domain';
import { computeDashboard, dashboardCsv, reportPeriod, MAX_DASHBOARD_DAYS } from '../../shared/metrics';
import type { HubContext, HubModule, HubModuleFactory } from '../services';
import { hubMetricRows } from './metricsStore';

const BASE = '/metrics';
const DAY = 86_400_000;

// ms since the epoch or an ISO date / date-time.
const Instant = z.union([z.string().regex(/^\d{1,15}$/).transform(Number), z.iso.date(), z.iso.datetime({ offset: true })]).transform((v) => (typeof v === 'number' ? v : Date.parse(v)));

class MetricsHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const SECURITY_HEADERS = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...SECURITY_HEADERS, ...headers }).end(body);
}

/** Constant-time comparison of the presented token with the configured one (hashed first, so lengths never leak). */
export function tokenMatches(presented: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(presented).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

function authorize(req: IncomingMessage, expected: string | null): void {
  if (expected === null) throw new MetricsHttpError(404, 'metrics/off', 'The metrics API is off on this hub; set metrics.token in the hub configuration (or OMNI_HUB_METRICS_TOKEN) to turn it on.');
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  const challenge = { 'WWW-Authenticate': 'Bearer realm="omni-hub-metrics"' };
  if (!m) throw new MetricsHttpError(401, 'metrics/unauthorized', 'Send the metrics token as "Authorization: Bearer <token>".', challenge);
  if (!tokenMatches(m[1]!, expected)) throw new MetricsHttpError(401, 'metrics/unauthorized', 'The metrics token is not right.', challenge);
}

/** ?from=&to= (ms or ISO; default the 7 days up to now) and ?channels=email,chat (default all). */
function queryOf(url: URL, now: number): { from: number; to: number; channels: Channel[] } {
  const read = (key: 'from' | 'to'): number | null => {
    const raw = url.searchParams.get(key);
    if (raw === null || raw === '') return null;
    const parsed = Instant.safeParse(raw);
    if (!parsed.success || Number.isNaN(parsed.data)) throw new MetricsHttpError(400, 'metrics/invalid-range', `${key} must be milliseconds since 1970 or an ISO date like 2026-03-01.`);
    return parsed.data;
  };
  const to = read('to') ?? now;
  const from = read('from') ?? to - 7 * DAY;
  if (to <= from) throw new MetricsHttpError(400, 'metrics/invalid-range', 'The range must end after it starts (to after from).');
  if (to - from > MAX_DASHBOARD_DAYS * DAY) throw new MetricsHttpError(400, 'metrics/invalid-range', `The range can be at most ${MAX_DASHBOARD_DAYS} days.`);
  const rawChannels = url.searchParams.get('channels');
  const channels: Channel[] = [];
  for (const name of rawChannels ? rawChannels.split(',').map((s) => s.trim()).filter(Boolean) : []) {
    const c = Channel.safeParse(name);
    if (!c.success) throw new MetricsHttpError(400, 'metrics/invalid-channel', `"${name}" is not a channel; use ${Channel.options.join(', ')}.`);
    channels.push(c.data);
  }
  return { from, to, channels };
}

export const createMetricsModule: HubModuleFactory = (ctx: HubContext): HubModule => {
  const config = ctx.config.metrics;
  const dashboardOf = (url: URL) => {
    const q = queryOf(url, ctx.now());
    const rows = hubMetricRows(ctx.db, q.from, q.to, config.dashboard.deflectionWindowDays * DAY);
    return computeDashboard(
      { events: rows.events, cases: rows.cases, agentNames: rows.agentNames, articleTitles: rows.articleTitles, segments: { names: TIERS, of: (id) => rows.tierOf.get(id) ?? -1 } },
      { range: { from: q.from, to: q.to }, channels: q.channels, settings: { ...config.dashboard, costs: costsWithMatrix(config.dashboard.costs, ctx.channelMatrix()) } },
    );
  };

  return {
    name: 'metrics',
    handleHttp(req, res, url) {
      if (url.pathname !== BASE && !url.pathname.startsWith(`${BASE}/`)) return false;
      try {
        if (req.method !== 'GET') throw new MetricsHttpError(405, 'metrics/method-not-allowed', `${req.method} is not allowed here; the metrics API is read-only (GET).`, { Allow: 'GET' });
        authorize(req, config.token);
        if (url.pathname === `${BASE}/dashboard.json`) {
          send(res, 200, 'application/json; charset=utf-8', JSON.stringify(dashboardOf(url)));
        } else if (url.pathname === `${BASE}/report.csv`) {
          const d = dashboardOf(url);
          const { first, last } = reportPeriod(d);
          send(res, 200, 'text/csv; charset=utf-8', dashboardCsv(d), { 'Content-Disposition': `attachment; filename="weekly-report-${first}-to-${last}.csv"` });
        } else {
          throw new MetricsHttpError(404, 'metrics/not-found', `There is no metrics API at ${url.pathname}; use ${BASE}/dashboard.json or ${BASE}/report.csv.`);
        }
      } catch (e) {
        const error = e instanceof MetricsHttpError ? e : new MetricsHttpError(500, 'metrics/internal', 'The metrics could not be computed; the hub log has the details.');
        if (!(e instanceof MetricsHttpError)) ctx.log.error(`metrics: ${req.method} ${url.pathname} failed`, e);
        send(res, error.status, 'application/json; charset=utf-8', JSON.stringify({ code: error.code, message: error.message }), error.headers);
      }
      return true;
    },
  };
};
