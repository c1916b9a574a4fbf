// The metrics module's configuration section: the bearer token BI tools pull with (null: the API is
// off) and the dashboard settings (costs, time zone, service levels) its figures use.
import { z } from 'zod';
import { DashboardSettings } from '../../shared/metrics/dashboard';

export const MetricsConfig = z.object({
  /** `Authorization: Bearer <token>` for GET /metrics/…; at least 24 characters. Null turns the API off. */
  token: z.string().min(24, 'must be at least 24 characters (e.g. openssl rand -hex 24)').nullable().default(null),
  dashboard: DashboardSettings.prefault({}),
});
export type MetricsConfig = z.infer<typeof MetricsConfig>;
