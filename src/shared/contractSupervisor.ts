// The supervisor's part of the renderer<->main contract: the performance dashboard of a date range
// and channel filter (also the weekly report's data), and the desktop app's PDF of that report.
// Supervisors and admins only: an agent's call is refused with rpc/forbidden. Pure: no I/O, no clock.
import { z } from 'zod';
import { Channel, Id, Millis } from './domain';
import { AgentState, Capacity, SupervisorSnapshot } from './hub/agentProtocol';
import { ConsoleAlert } from './supervisor/consoleAlerts';
import { IANAZone } from 'luxon';
import { Dashboard, MAX_DASHBOARD_DAYS } from './metrics/dashboard';

const DAY = 86_400_000;

export const DashboardQueryInput = z
  .object({
    from: Millis,
    to: Millis,
    /** Empty: every channel. */
    channels: z.array(Channel).max(9).default([]),
    /** The viewer's time zone for the period and the hour-of-week heatmap; default the center's (configuration). */
    timeZone: z
      .string()
      .refine((zone) => IANAZone.isValidZone(zone), { message: 'is not an IANA time zone such as Europe/Berlin' })
      .optional(),
  })
  .strict()
  .refine((q) => q.to > q.from, { message: 'The range must end after it starts.', path: ['to'] })
  .refine((q) => q.to - q.from <= MAX_DASHBOARD_DAYS * DAY, { message: `The range can be at most ${MAX_DASHBOARD_DAYS} days.`, path: ['from'] });

export const supervisorRequests = {
  /** Every figure of the dashboard (and the weekly report) for the range and channels. */
  supervisorDashboard: {
    input: DashboardQueryInput,
    output: Dashboard,
  },
  /** The desktop app saves the printable report as a PDF (Electron's printToPDF); the headless mode has no such call and prints from the browser. */
  supervisorReportPdf: {
    input: z.object({ title: z.string().trim().min(1).max(200) }).strict(),
    output: z.object({ path: z.string() }),
  },
  /** The live console when it opens: the hub's latest team snapshot (null: no hub feed yet). */
  supervisorConsole: {
    input: z.object({}).strict(),
    output: z.object({ snapshot: SupervisorSnapshot.nullable() }),
  },
  /** Gives a hub conversation to an agent (audited on the hub); refused with the hub's sentence when the agent cannot take it. */
  supervisorReassign: {
    input: z.object({ conversationId: Id, agentId: Id }).strict(),
    output: z.object({ reassigned: z.boolean() }),
  },
  /** The supervisor takes a hub conversation (audited). */
  supervisorTake: {
    input: z.object({ conversationId: Id }).strict(),
    output: z.object({ reassigned: z.boolean() }),
  },
  /** An agent's capacity per channel (audited; presence unchanged). */
  supervisorCapacity: {
    input: z.object({ agentId: Id, capacity: Capacity }).strict(),
    output: z.object({ state: AgentState }),
  },
} satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export const supervisorEvents = {
  /** Supervisors and admins: the team after a change on the hub, with the alerts it raised (new SLA risks and breaches, outages). */
  supervisorConsoleUpdated: z.object({ snapshot: SupervisorSnapshot, alerts: z.array(ConsoleAlert) }),
} satisfies Record<string, z.ZodType>;
