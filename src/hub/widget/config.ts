// The widget module's configuration section: per organisation the website origins allowed to
// embed the widget, the in-app identity secret, chat hours and looks; limits for frames and uploads.
import { z } from 'zod';
import { CalendarDefinition } from '../../shared/time';
import { OrgId } from '../../shared/hub/widgetProtocol';

const Origin = z
  .string()
  .regex(/^https?:\/\/[^/?#\s]+$/, { message: 'must be an origin such as https://www.example.com (scheme and host, no path)' })
  .transform((s) => s.toLowerCase());

export const WidgetOrg = z.object({
  /** Shown in the panel's header. */
  name: z.string().min(1).max(100).default('Support'),
  greeting: z.string().max(500).default('Hi there! Ask us anything, or tell us what you are looking for.'),
  accentColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, { message: 'must be a colour written #RRGGBB' })
    .default('#4f46e5'),
  /** Pages allowed to open a chat (the hub's own demo page always is). */
  allowedOrigins: z.array(Origin).default([]),
  /** The secret the product's backend signs in-app user ids with; null turns in-app verification off. */
  identitySecret: z.string().min(16, { message: 'must be at least 16 characters' }).nullable().default(null),
  /** Chat hours; outside them the panel takes a message that becomes an email ticket. Null: always open. */
  businessHours: CalendarDefinition.nullable().default(null),
});
export type WidgetOrg = z.infer<typeof WidgetOrg>;

export const WidgetConfig = z.object({
  orgs: z.record(OrgId, WidgetOrg).default({ demo: WidgetOrg.parse({ name: 'Fernhill Coffee' }) }),
  /** Which org the demo page embeds. */
  demoOrg: OrgId.default('demo'),
  /** Largest visitor frame; a bigger one closes the socket (1009). */
  maxFrameBytes: z.number().int().min(1024).max(1024 * 1024).default(64 * 1024),
  maxUploadBytes: z.number().int().positive().default(10 * 1024 * 1024),
  /** Content types accepted, as detected from the file's bytes (never from its name). */
  allowedUploadTypes: z.array(z.string().min(3)).default(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf']),
  /** Messages (and offline messages) a visitor may send per minute. */
  messagesPerMinute: z.number().int().positive().default(20),
  /** Where the built widget script is; null: dist/widget/widget.js of this checkout. */
  scriptFile: z.string().nullable().default(null),
});
export type WidgetConfig = z.infer<typeof WidgetConfig>;
