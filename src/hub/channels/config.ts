// The channels module's configuration section (its own schema; the hub config composes it).
// A provider without its credentials is off: its webhooks answer 503 with a sentence saying what to set.
import { z } from 'zod';
import { CalendarDefinition } from '../../shared/time';

const HOUR = 3_600_000;

/** A regular expression written as a string; refused at start when it does not compile. */
const Pattern = z.string().refine(
  (source) => {
    try {
      new RegExp(source, 'iu');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'is not a valid regular expression' },
);

const TwilioSection = z.object({
  accountSid: z.string().default(''),
  authToken: z.string().default(''),
  /** The number customers text, E.164. */
  fromNumber: z.string().default(''),
  /** Where the REST client sends (a test stand-in, a regional proxy); null = Twilio's own API. */
  apiBaseUrl: z.url().nullable().default(null),
  /** How numbers written without a country code are read. */
  defaultRegion: z.string().length(2).default('US'),
});

const MetaSection = z.object({
  appSecret: z.string().default(''),
  verifyToken: z.string().default(''),
  pageAccessToken: z.string().default(''),
  graphBaseUrl: z.url().default('https://graph.facebook.com'),
  graphVersion: z.string().regex(/^v\d+\.\d+$/, { message: 'must look like v23.0' }).default('v23.0'),
});

const XSection = z.object({
  consumerSecret: z.string().default(''),
  bearerToken: z.string().default(''),
  /** Our account's user id: its own DMs and tweets are not customer messages. */
  ownUserId: z.string().default(''),
  apiBaseUrl: z.url().default('https://api.x.com'),
});

const FilterSection = z.object({
  /** Per (channel, sender): a token bucket this deep … */
  burst: z.number().int().min(1).default(10),
  /** … refilled at this many messages per minute. Messages beyond it are archived, not routed. */
  perMinute: z.number().positive().default(6),
  /** Texts matching any of these (case-insensitive) are archived as spam. */
  spamPatterns: z
    .array(Pattern)
    .default([
      String.raw`\b(free|cheap)\s+(followers|likes|crypto|bitcoin)\b`,
      String.raw`\b(earn|make)\s+\$?\d[\d,]*\s*(usd|dollars)?\s*(a|per)\s*(day|week|hour)\b`,
      String.raw`\bclick\s+(here|this link)\s+to\s+(claim|win|verify)\b`,
      String.raw`\b(crypto|forex)\s+(investment|signals?)\b`,
      String.raw`(https?://\S+.*){4,}`,
    ]),
  /** Addresses (E.164 numbers, page-scoped ids, X user ids) whose messages are always archived. */
  blockedSenders: z.array(z.string()).default([]),
});

const AutoReplyChannel = z.object({
  enabled: z.boolean().default(true),
  insideHours: z.string().min(1).max(1600).default("Thanks for reaching out! We'll respond within 4 hours."),
  outsideHours: z
    .string()
    .min(1)
    .max(1600)
    .default("Thanks for reaching out! Our team is away right now; we'll answer as soon as we're back."),
  /** This channel's business hours; null = the hub's default calendar for the channel. */
  hours: CalendarDefinition.nullable().default(null),
});
export type AutoReplyChannel = z.infer<typeof AutoReplyChannel>;

const AutoReplySection = z.object({
  /** Nobody gets more than one automatic answer per channel within this long. */
  perSenderWindowMs: z.number().int().positive().default(12 * HOUR),
  sms: AutoReplyChannel.prefault({}),
  messenger: AutoReplyChannel.prefault({}),
  instagram: AutoReplyChannel.prefault({}),
  x: AutoReplyChannel.prefault({}),
});

export const ChannelsConfig = z.object({
  twilio: TwilioSection.prefault({}),
  meta: MetaSection.prefault({}),
  x: XSection.prefault({}),
  filter: FilterSection.prefault({}),
  autoReply: AutoReplySection.prefault({}),
});
export type ChannelsConfig = z.infer<typeof ChannelsConfig>;
export type ChannelsConfigInput = z.input<typeof ChannelsConfig>;

/** The missing settings that keep a provider off, or [] when it is on. */
export function missingSettings(config: ChannelsConfig, provider: 'twilio' | 'meta' | 'x'): string[] {
  const required: Record<typeof provider, readonly string[]> = {
    twilio: ['accountSid', 'authToken', 'fromNumber'],
    meta: ['appSecret', 'verifyToken', 'pageAccessToken'],
    x: ['consumerSecret', 'bearerToken', 'ownUserId'],
  };
  const section = config[provider] as Record<string, unknown>;
  return required[provider].filter((key) => typeof section[key] !== 'string' || section[key] === '').map((key) => `channels.${provider}.${key}`);
}
