// The supervisor's requests on the desktop: the dashboard of a range (the rows the store keeps in
// memory, brought up to date at each request; figures from shared/metrics) and, in the desktop
// app, the report as a PDF.
// Only supervisors and admins: the role is the team hub's account when one is in use, else the
// desktop's own user.
import type { RequestOutput, ParsedInput } from '../../shared/contract';
import type { Agent } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import { computeDashboard, type DashboardSettings } from '../../shared/metrics';
import { TIERS } from '../../shared/domain';

type Role = Agent['role'];
import type { Db } from '../store/database';
import { MetricsStore } from '../store/metricsStore';
import { say } from '../../shared/serverErrors';

export type SupervisorRequestName = 'supervisorDashboard' | 'supervisorReportPdf';

export interface SupervisorServiceOptions {
  db: Db;
  /** The dashboard settings, read at each request (costs follow the channel configuration). */
  settings: DashboardSettings | (() => DashboardSettings);
  /** Who is asking: the role the hub gave this desktop, or its local user's; null while unknown (not signed in yet). */
  role: () => Role | null;
  /** The desktop app's printToPDF of the workspace window (absent in the headless mode); returns the file written. */
  printReportPdf?: (title: string) => Promise<string>;
  /** How long the first read of the event log holds the process at a time (MetricsStore's default). */
  readSliceMs?: number;
}

export function requireSupervisor(role: Role | null): void {
  if (role === 'supervisor' || role === 'admin') return;
  throw new AppError(
    'rpc/forbidden',
    say(role === null ? 'dashboardSignIn' : 'dashboardRole'),
  );
}

export function createSupervisorService(o: SupervisorServiceOptions) {
  const store = new MetricsStore(o.db, o.readSliceMs === undefined ? {} : { sliceMs: o.readSliceMs });
  const handlers = {
    supervisorDashboard: async ({ from, to, channels, timeZone }: ParsedInput<'supervisorDashboard'>): Promise<RequestOutput<'supervisorDashboard'>> => {
      requireSupervisor(o.role());
      const rows = await store.rows();
      const settings = typeof o.settings === 'function' ? o.settings() : o.settings;
      return computeDashboard(
        { events: rows.events, columns: rows.columns, cases: rows.cases, agentNames: rows.agentNames, segments: { names: TIERS, of: rows.tierOf } },
        { range: { from, to }, channels, settings: timeZone ? { ...settings, timeZone } : settings },
      );
    },
    supervisorReportPdf: async ({ title }: ParsedInput<'supervisorReportPdf'>): Promise<RequestOutput<'supervisorReportPdf'>> => {
      requireSupervisor(o.role());
      if (!o.printReportPdf) throw new AppError('rpc/unknown-method', say('reportPdfDesktopOnly'));
      return { path: await o.printReportPdf(title) };
    },
  } satisfies Record<SupervisorRequestName, unknown>;
  return { handlers, store };
}
