// The hub's one configuration schema with defaults: defaults < JSON file < environment. Each
// channel module owns its own section's schema.
import { z } from 'zod';
import { Channel } from '../shared/domain';
import { RoutingConfig } from '../shared/routing/types';
import { ChannelsConfig } from './channels/config';
import { WidgetConfig } from './widget/config';
import { PortalConfig } from './portal/config';
import { VoiceConfig } from './voice/config';
import { CsatConfig } from './csat/config';
import { MetricsConfig } from './metrics/config';

export const HubConfig = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(4871),
  /** The URL customers and providers reach the hub at (behind the TLS proxy); defaults to http://host:port. */
  publicUrl: z.url().nullable().default(null),
  dataDir: z.string().min(1),
  /** Embedded in a desktop: the desktop's own user is an admin without a prompt. A team hub always requires login. */
  embedded: z.boolean().default(false),
  /** How long a session token lives. */
  sessionTtlMs: z.number().int().positive().default(12 * 3_600_000),
  /** How long an offer waits for accept before it is re-offered to the next agent. */
  offerTimeoutMs: z.number().int().positive().default(30_000),
  /** First-response SLA per channel in seconds: the supervisor console counts waits past 80% as at risk, past 100% as breached. */
  firstResponseSlaSeconds: z.partialRecord(Channel, z.number().int().positive().max(7 * 86_400)).default({}),
  /** Largest HTTP body any endpoint reads (uploads have their own limit). */
  maxBodyBytes: z.number().int().positive().default(256 * 1024),
  /** After an agent's last socket drops, how long before they count as offline (a network blip keeps their offers). */
  presenceGraceMs: z.number().int().nonnegative().default(15_000),
  /** Retries of a transient delivery failure: exponential from baseMs, capped at maxMs, given up after maxAttempts. */
  delivery: z
    .object({
      baseMs: z.number().int().positive().default(2_000),
      maxMs: z.number().int().positive().default(5 * 60_000),
      maxAttempts: z.number().int().positive().default(12),
    })
    .prefault({}),
  /** Agent events older than this are pruned at start (a desktop away longer re-reads its conversations). */
  eventRetentionMs: z.number().int().positive().default(30 * 24 * 3_600_000),
  /** The embedded hub's admin (the desktop's own user) is shown with this name. */
  localAdminName: z.string().min(1).max(120).default('Local admin'),
  routing: RoutingConfig.prefault({}),
  channels: ChannelsConfig.prefault({}),
  widget: WidgetConfig.prefault({}),
  portal: PortalConfig.prefault({}),
  voice: VoiceConfig.prefault({}),
  csat: CsatConfig.prefault({}),
  /** The read-only metrics API for BI tools (token; dashboard costs, time zone, service levels). */
  metrics: MetricsConfig.prefault({}),
});
export type HubConfig = z.infer<typeof HubConfig>;
export type HubConfigInput = z.input<typeof HubConfig>;
