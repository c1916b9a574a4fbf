// The CSAT module's configuration section: who is asked (not someone who rated the conversation or
// was asked within `quietDays`), how long a link and a text question stay answerable, and the texts
// of the question on each text channel. Email surveys are written and sent by the desktop.
import { z } from 'zod';

const DAY = 24 * 3_600_000;

const TextChannel = z.object({
  enabled: z.boolean().default(true),
  question: z.string().min(1).max(1600).default('How did we do? Reply with a number from 1 (poor) to 5 (great).'),
  thanks: z.string().min(1).max(1600).default('Thank you for your rating!'),
});
export type CsatTextChannel = z.infer<typeof TextChannel>;

export const CsatConfig = z.object({
  /** Off: no survey goes out on any channel and no link is issued (the widget's own rating stays). */
  enabled: z.boolean().default(true),
  /** A customer asked (on any channel) within this many days is not asked again. 0: every resolution. */
  quietDays: z.number().int().min(0).max(365).default(7),
  /** How long an email's rating link works. */
  linkTtlDays: z.number().int().min(1).max(365).default(30),
  /** How long after the question a reply 1–5 counts as the rating (later it is an ordinary message). */
  replyWindowHours: z.number().int().min(1).max(24 * 30).default(72),
  /** The key rating links are signed with (HMAC-SHA256); empty: a random one kept in the hub's database. */
  linkSecret: z.union([z.literal(''), z.string().min(32, { message: 'must be at least 32 characters' })]).default(''),
  /** The rating page's heading. */
  pageTitle: z.string().min(1).max(200).default('How did we do?'),
  sms: TextChannel.prefault({}),
  messenger: TextChannel.prefault({}),
  instagram: TextChannel.prefault({}),
  x: TextChannel.prefault({}),
});
export type CsatConfig = z.infer<typeof CsatConfig>;

export const csatDurations = (c: CsatConfig) => ({ quietMs: c.quietDays * DAY, linkTtlMs: c.linkTtlDays * DAY, replyWindowMs: c.replyWindowHours * 3_600_000 });
