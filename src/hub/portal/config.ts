// The portal module's configuration section (its own schema; the hub config composes it): where
// the knowledge base lives, the deflection window and the limits on what visitors may send.
import { z } from 'zod';

const HOUR = 3_600_000;

export const PortalConfig = z.object({
  /** Directory of Markdown articles with front matter; null means `kb/` under the working directory. */
  articlesDir: z.string().min(1).nullable().default(null),
  /** The heading of the portal pages. */
  title: z.string().min(1).max(80).default('Help Center'),
  /** A contact made by the same visitor at most this long after an article view means the view was not deflected. */
  deflectionWindowMs: z.number().int().positive().default(24 * HOUR),
  /** Longest search query accepted, in characters. */
  maxQueryLength: z.number().int().min(8).max(1000).default(200),
  /** Largest JSON or form body the portal reads (the hub-wide `maxBodyBytes` caps it too). */
  maxBodyBytes: z.number().int().positive().default(8 * 1024),
  /** Suggestions the widget gets for what a visitor types. */
  suggestionLimit: z.number().int().min(1).max(20).default(5),
  /** Where "Still need help?" on an article page points (the chat demo page, a contact form); null hides it. */
  contactUrl: z
    .union([z.url({ protocol: /^https?$/ }), z.string().regex(/^\/(?!\/)/, 'a path on the hub starting with /')])
    .nullable()
    .default(null),
});
export type PortalConfig = z.infer<typeof PortalConfig>;
