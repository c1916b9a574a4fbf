// A sentence kept with a stored row (a timeline line's metadata): its serverErrors key and params,
// and for a param that is itself a sentence (the hub's reason in "Moved to another agent: …"), that
// sentence's key and params. The English text stays in the row; this lets the workspace translate it.
import { z } from 'zod';
import { SentenceKey } from './sentenceKey';
import { isServerErrorKey, type Said } from './serverErrors';
import { serverSentences } from './serverSentences';

/** The metadata field a timeline event keeps its sentence in. */
export const SAID_FIELD = 'said';

export const StoredSentence = SentenceKey.extend({
  nested: z.record(z.string().max(100), SentenceKey).optional(),
});
export type StoredSentence = z.infer<typeof StoredSentence>;

/** A sentence's key and params (a copy), as rows and the wire carry them next to its English. */
export function sentenceKeyOf(text: Readonly<SentenceKey>): SentenceKey {
  return { key: text.key, params: { ...text.params } };
}

/** `{ said: {key, params} }` for an event's metadata; `nested` names params that are sentences themselves. */
export function saidMetadata(said: Said, nested?: Readonly<Record<string, SentenceKey | null | undefined>>): Record<string, unknown> {
  const inner = Object.entries(nested ?? {}).filter((e): e is [string, SentenceKey] => e[1] != null);
  const value: StoredSentence = { ...sentenceKeyOf(said), ...(inner.length > 0 ? { nested: Object.fromEntries(inner.map(([k, v]) => [k, sentenceKeyOf(v)])) } : {}) };
  return { [SAID_FIELD]: value };
}

/** The sentence an event's metadata carries, or null (an older row, or one this version cannot read). */
export function storedSentence(metadata: Readonly<Record<string, unknown>>): StoredSentence | null {
  const parsed = StoredSentence.safeParse(metadata[SAID_FIELD]);
  return parsed.success ? parsed.data : null;
}

/** A reason whose params include sentences of their own ("<SMTP reason>; retrying in 2 min"). */
export interface StoredReason {
  said: Said;
  nested: Readonly<Record<string, SentenceKey | undefined>>;
}

/**
 * A reason kept in a text column (the outbox's last_error): the English sentence as it always was, or,
 * when it has a catalog key, `{"message","key","params","nested"}` as JSON. Read back with `readStoredText`.
 */
export function storedText(text: string | Said | StoredReason | null): string | null {
  if (text === null || typeof text === 'string') return text;
  const { said, nested } = 'said' in text ? text : { said: text, nested: undefined };
  const value = saidMetadata(said, nested)[SAID_FIELD] as StoredSentence;
  return JSON.stringify({ message: said.message, ...value });
}

const StoredText = StoredSentence.extend({ message: z.string() });

/** The English sentence of a stored reason and, when it was stored with one, its key and params. */
export function readStoredText(stored: string | null): { message: string | null; text: StoredSentence | null } {
  if (stored === null || !stored.startsWith('{"message":')) return { message: stored, text: null };
  try {
    const parsed = StoredText.safeParse(JSON.parse(stored));
    if (parsed.success) {
      const { message, ...text } = parsed.data;
      return { message, text };
    }
  } catch {
    // not JSON after all: a sentence that happens to start like one
  }
  return { message: stored, text: null };
}

/** A status sentence as a view carries it: the English `detail` and its key (with nested reasons) as `detailText`. */
export function detailOf(text: Said | StoredReason): { detail: string; detailText: StoredSentence | null } {
  const said = 'said' in text ? text.said : text;
  return { detail: said.message, detailText: storedSentence(saidMetadata(said, 'said' in text ? text.nested : undefined)) };
}

/**
 * A keyed sentence that came over the wire (`detail` in English, `text` its key, params and nested
 * reasons) as a reason to store again (the outbox's last error): null when it has no key this version knows.
 */
export function storedReasonOf(message: string | null, text: StoredSentence | null | undefined): StoredReason | null {
  if (message === null || !text || !isServerErrorKey(text.key)) return null;
  return { said: { key: text.key, params: text.params, message }, nested: text.nested ?? {} };
}

/** A reason's English sentence, whichever way it is given. */
export function englishOf(text: string | Said | StoredReason): string;
export function englishOf(text: string | Said | StoredReason | null): string | null;
export function englishOf(text: string | Said | StoredReason | null): string | null {
  if (text === null || typeof text === 'string') return text;
  return 'said' in text ? text.said.message : text.message;
}

/** The fixed names main and the hub write as a row's author ("Hub", "Customer", "You"), by their catalog key. */
export const SYSTEM_AUTHORS = ['authorHub', 'authorCustomer', 'authorYou', 'authorHandoff', 'authorAutoAnswer'] as const;
export type SystemAuthor = (typeof SYSTEM_AUTHORS)[number];
/** The metadata field that marks a row's author as one of those names. */
export const AUTHOR_FIELD = 'authorSaid';

/** `{ authorSaid: key }` for an event's metadata, next to `authorName: serverSentences[key]`. */
export function authorMetadata(key: SystemAuthor): Record<string, unknown> {
  return { [AUTHOR_FIELD]: key };
}

/** The English name stored as `authorName` for a fixed author (search and export read it). */
export function serverAuthorName(key: SystemAuthor): string {
  return serverSentences[key];
}

const isSystemAuthor = (value: unknown): value is SystemAuthor => (SYSTEM_AUTHORS as readonly unknown[]).includes(value);

/**
 * Which fixed name a row's author is: the marker in its metadata, or, for an older row by the system
 * or a bot (never a customer's or an agent's own name), its stored English name. Null for anyone else.
 */
export function systemAuthorOf(event: { authorType: string; authorName: string; metadata: Readonly<Record<string, unknown>> }): SystemAuthor | null {
  const marked = event.metadata[AUTHOR_FIELD];
  if (isSystemAuthor(marked)) return marked;
  if (event.authorType !== 'system' && event.authorType !== 'bot') return null;
  return SYSTEM_AUTHORS.find((key) => serverSentences[key] === event.authorName) ?? null;
}
