// Where the desktop's hub is: a team hub at a URL (signed in with the agent's user name; the
// password lives in the secret store), else a hub embedded in this process on loopback, or none.
// One zod schema, merged into the desktop configuration as its `hub` section.
import { z } from 'zod';

export const DEFAULT_EMBEDDED_HUB_PORT = 4871;

export const DesktopHubSettings = z
  .object({
    /** A team hub's address (https://hub.example.com); null runs the embedded hub. */
    url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// address of a hub' }).nullable().default(null),
    /** The agent's user name on the team hub. */
    username: z.string().trim().min(1).max(64).nullable().default(null),
    embedded: z
      .object({
        /** Off: no embedded hub; chat, SMS and social replies wait in the outbox. */
        enabled: z.boolean().default(true),
        /** 0 picks a free port. */
        port: z.number().int().min(0).max(65535).default(DEFAULT_EMBEDDED_HUB_PORT),
        host: z.string().min(1).default('127.0.0.1'),
      })
      .prefault({}),
  })
  .superRefine((h, ctx) => {
    if (h.url !== null && h.username === null) ctx.addIssue({ code: 'custom', path: ['username'], message: 'is needed to sign in to the hub at hub.url' });
  })
  .prefault({});
export type DesktopHubSettings = z.output<typeof DesktopHubSettings>;
