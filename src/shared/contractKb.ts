// The knowledge base in the composer: search the desktop's offline cache of the portal's articles,
// use one in a reply (a link or its summary, recorded for deflection and consistency metrics), and
// read those uses back. Also the polite words of a suggested-channel offer. Merged into
// contract.ts's `requests` with a spread. Pure: no I/O, no clock.
import { z } from 'zod';
import { Id, Millis, type Channel } from './domain';

export const KbUseKind = z.enum(['link', 'summary']);
export type KbUseKind = z.infer<typeof KbUseKind>;

export const KbArticleHit = z.object({
  slug: z.string(),
  title: z.string(),
  summary: z.string().nullable(),
  /** A few words around the match, plain text. */
  snippet: z.string(),
  /** The article on the portal; null when no hub address is known yet (then only the summary can be inserted). */
  url: z.string().nullable(),
});
export type KbArticleHit = z.infer<typeof KbArticleHit>;

export const KbUsageRow = z.object({
  slug: z.string(),
  title: z.string(),
  uses: z.number().int().nonnegative(),
  links: z.number().int().nonnegative(),
  summaries: z.number().int().nonnegative(),
  cases: z.number().int().nonnegative(),
  agents: z.number().int().nonnegative(),
  lastUsedAt: Millis,
});
export type KbUsageRow = z.infer<typeof KbUsageRow>;

export const kbRequests = {
  /** Articles matching the words (prefix terms; all words first, any word when none match all), from the local cache. */
  kbSearch: {
    input: z
      .object({
        query: z.string().trim().max(200).default(''),
        limit: z.number().int().min(1).max(50).default(8),
      })
      .strict(),
    output: z.object({
      articles: z.array(KbArticleHit),
      /** How many articles the cache holds and when it was last filled (null: never). */
      cached: z.number().int().nonnegative(),
      cachedAt: Millis.nullable(),
    }),
  },
  /** The text to insert for an article (its link or its summary); the use is recorded for the case and agent. */
  kbUse: {
    input: z.object({ slug: z.string().min(1).max(100), caseId: Id, kind: KbUseKind }).strict(),
    output: z.object({ text: z.string(), usedAt: Millis }),
  },
  /** Article uses between two times (default: all), most used first. */
  kbUsage: {
    input: z.object({ from: Millis.optional(), to: Millis.optional() }).strict(),
    output: z.object({ total: z.number().int().nonnegative(), articles: z.array(KbUsageRow) }),
  },
} satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export type KbRequests = typeof kbRequests;
export type KbRequestName = keyof KbRequests;
export type KbParsedInput<K extends KbRequestName> = z.output<KbRequests[K]['input']>;
export type KbRequestOutput<K extends KbRequestName> = z.output<KbRequests[K]['output']>;

/** What "Insert link" puts in the reply: the title and the address, on one line or two. */
export function kbLinkText(article: { title: string; url: string }): string {
  return `${article.title}: ${article.url}`;
}

/** What "Insert summary" puts in the reply: the summary (else the start of the body) and the link when known. */
export function kbSummaryText(article: { title: string; summary: string | null; bodyText: string; url: string | null }): string {
  const summary = article.summary ?? firstSentences(article.bodyText, 280);
  return article.url ? `${summary}\n\nMore in “${article.title}”: ${article.url}` : summary;
}

function firstSentences(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('! '), cut.lastIndexOf('? '));
  return end > max / 3 ? cut.slice(0, end + 1) : `${cut.slice(0, cut.lastIndexOf(' ')).trimEnd()}…`;
}

/** What the agent asks for so the offered channel can start, after the engine's question. */
const OFFER_FOLLOW_UP: Record<Channel, string> = {
  phone: 'Let me know a number and a good time, and I will call you.',
  email: 'Just confirm the address you would like me to write to.',
  chat: 'I can answer you there right away.',
  sms: 'Tell me the number to text.',
  messenger: 'Send us a message on Messenger and I will pick it up.',
  instagram: 'Send us a direct message on Instagram and I will pick it up.',
  x: 'Send us a direct message on X and I will pick it up.',
  in_app: 'Open the chat in the app and I will pick it up there.',
  portal: 'I can send you the link to the guide on our help center.',
};

const DEFAULT_QUESTION: Record<Channel, string> = {
  phone: 'would a quick phone call help?',
  email: 'would it help if I sent you the details by email?',
  chat: 'would you like to continue in a live chat?',
  sms: 'would text messages suit you better?',
  messenger: 'would you like to continue on Messenger?',
  instagram: 'would you like to continue on Instagram?',
  x: 'would you like to continue in a direct message on X?',
  in_app: 'would you like to continue in the app?',
  portal: 'would a step-by-step guide help?',
};

/**
 * The message offering the customer another channel, written for the channel the reply goes out on:
 * the engine's question ("This is urgent — would you prefer a phone call?") after a greeting, then
 * what the customer needs to do. The agent edits it before sending.
 */
export function channelOfferText(offered: Channel, via: Channel, firstName?: string | null, prompt?: string | null): string {
  const question = prompt?.trim() ? prompt.trim() : DEFAULT_QUESTION[offered];
  const hello = firstName ? `Hi ${firstName}, ` : 'Hi, ';
  const body = `${hello}${question[0]!.toLocaleLowerCase()}${question.slice(1)} ${OFFER_FOLLOW_UP[offered]}`;
  const short = via === 'sms' || via === 'x' || via === 'chat' || via === 'messenger' || via === 'instagram' || via === 'in_app';
  return short ? body : `${body}\n\nThank you for your patience.`;
}
