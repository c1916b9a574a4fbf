// The sentences main and the hub refuse with, in the agent's language: an error's serverErrors key
// and params through the catalog (ids among the params named with the catalog's words), else the
// English sentence it came with (a key this version does not know, or an error without one).
import { MASKED_KEY } from '../../shared/privacy/maskRecords';
import { isServerErrorKey, serverErrors, WORD_FORMATS, type ServerErrorParam, type WordFormat } from '../../shared/serverErrors';
import { durationParts } from '../../shared/serverSentences';
import { storedSentence, systemAuthorOf, type StoredSentence } from '../../shared/storedSentence';
import { dateFormats } from './dates';
import { i18n, t } from './i18n';
import { formatBytes } from './numbers';

const translate = t as (key: string, options?: object) => string;

// The formats the catalog's sentences use: {{size, bytes}}, {{agent's presence, presence}}, …; `number` is i18next's own.
i18n.services.formatter?.add('when', (value: unknown) => (typeof value === 'number' ? dateFormats().eventTime(value) : String(value)));
i18n.services.formatter?.add('duration', (value: unknown) => {
  if (typeof value !== 'number') return String(value);
  const { unit, n } = durationParts(value);
  return translate(`serverErrors:duration.${unit}`, { n });
});
i18n.services.formatter?.add('bytes', (value: unknown) => (typeof value === 'number' ? formatBytes(value) : String(value)));
/** An id named with a word list of the catalog (`call`, `callOutcome`, …) in the agent's language; one the list lacks as it is. */
export function wordOf(list: WordFormat, value: unknown): string {
  const key = `serverErrors:${list}.${String(value)}`;
  if (i18n.exists(key)) return translate(key);
  return i18n.exists(`serverErrors:${list}.other`) ? translate(`serverErrors:${list}.other`) : String(value);
}
for (const list of WORD_FORMATS) i18n.services.formatter?.add(list, (value: unknown) => wordOf(list, value));

/** What an error or a refusal may carry: the English sentence, and its key and params in the catalog. */
export interface ErrorSentence {
  message: string;
  key?: string;
  params?: Readonly<Record<string, ServerErrorParam>>;
}

/** The names of a catalog sentence's {{placeholders}}. */
const placeholders = (sentence: string): string[] => [...sentence.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]!);

/**
 * The sentence in the agent's language when its key is in this version's catalog and every param it
 * needs came along, else the English one (a newer or older side may use a key or params differently).
 */
export function sentenceOf(text: ErrorSentence): string {
  if (!isServerErrorKey(text.key)) return text.message;
  const params = text.params ?? {};
  if (!placeholders(serverErrors[text.key]).every((name) => Object.hasOwn(params, name))) return text.message;
  return translate(`serverErrors:${text.key}`, { ...params });
}

/** A stored sentence (with params that are sentences themselves) in the agent's language, else `text`. */
export function storedSentenceOf(text: string, said: StoredSentence | null | undefined): string {
  if (!said) return text;
  const params: Record<string, ServerErrorParam> = { ...said.params };
  for (const [name, inner] of Object.entries(said.nested ?? {})) {
    if (Object.hasOwn(params, name)) params[name] = sentenceOf({ message: String(params[name]), ...inner });
  }
  return sentenceOf({ message: text, key: said.key, params });
}

/**
 * A stored line (a timeline system line) in the agent's language when its metadata carries its
 * sentence, else its stored English text (older rows; a masked row, whose text is what may be shown).
 */
export function lineOf(text: string, metadata: Readonly<Record<string, unknown>>): string {
  if (metadata[MASKED_KEY] !== undefined) return text;
  return storedSentenceOf(text, storedSentence(metadata));
}

/** A row's author as the agent reads it: a fixed name main wrote ("Hub", "You") in their language, anyone else as stored. */
export function authorOf(event: { authorType: string; authorName: string; metadata: Readonly<Record<string, unknown>> }): string {
  const key = systemAuthorOf(event);
  return key === null ? event.authorName : sentenceOf({ message: event.authorName, key });
}
