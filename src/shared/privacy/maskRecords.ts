// Masking applied to what leaves the desktop's store: timeline events, search hits, queue previews.
// The raw text stays in the store; a masked event says which kinds were hidden (metadata.masked).
import type { QueueItem, SearchHit, TimelineEvent } from '../domain';
import { maskText, type PiiKind } from './masking';
import { detectorsFor, type PrivacySettings } from './settings';
import { SAID_FIELD } from '../storedSentence';

export const MASKED_KEY = 'masked';

/** The kinds hidden in a masked event, or [] when nothing was. */
export function maskedKinds(event: Pick<TimelineEvent, 'metadata'>): PiiKind[] {
  const value = event.metadata[MASKED_KEY];
  return Array.isArray(value) ? (value.filter((v) => typeof v === 'string') as PiiKind[]) : [];
}

export function maskEvent(event: TimelineEvent, settings: PrivacySettings): TimelineEvent {
  const kinds = detectorsFor(settings, event.channel);
  const body = maskText(event.body, kinds);
  const subject = event.subject === null ? null : maskText(event.subject, kinds);
  const found = new Set([...body.kinds, ...(subject?.kinds ?? [])]);
  if (found.size === 0) return event;
  // A stored sentence's params hold the unmasked text: the masked body is what leaves.
  const { [SAID_FIELD]: _unmasked, ...metadata } = event.metadata;
  return {
    ...event,
    subject: subject ? subject.text : null,
    body: body.text,
    metadata: { ...metadata, [MASKED_KEY]: [...found] },
  };
}

/**
 * A search hit with its subject and snippet masked. The snippet is cut by the index around the
 * matched words (and marks them with [ ]), which can leave part of a card number that no detector
 * recognises: when the event's own text holds personal data, the snippet is rebuilt from the masked
 * text around the first query word instead.
 */
export function maskSearchHit(hit: SearchHit, settings: PrivacySettings, raw?: { body: string; words: readonly string[] }): SearchHit {
  const kinds = detectorsFor(settings, hit.channel);
  const subject = hit.subject === null ? null : maskText(hit.subject, kinds).text;
  if (raw) {
    const body = maskText(raw.body, kinds);
    if (body.kinds.length > 0) return { ...hit, subject, snippet: excerpt(body.text, raw.words) };
  }
  // Detection reads the snippet without its [ ] marks; only a snippet with something to hide loses them.
  const plain = maskText(hit.snippet.replace(/[[\]]/g, ''), kinds);
  return { ...hit, subject, snippet: plain.kinds.length > 0 ? plain.text : hit.snippet };
}

/** About 120 characters of `text` around the first of `words` it contains, with … where it was cut. */
export function excerpt(text: string, words: readonly string[], width = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const lower = flat.toLowerCase();
  let at = -1;
  for (const w of words) {
    const i = lower.indexOf(w.toLowerCase());
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  const start = Math.max(0, (at < 0 ? 0 : at) - Math.floor(width / 3));
  const end = Math.min(flat.length, start + width);
  return `${start > 0 ? '…' : ''}${flat.slice(start, end)}${end < flat.length ? '…' : ''}`;
}

/** A queue row with its subject and preview masked; a preview with something to hide loses its catalog key (its params hold the raw text). */
export function maskQueueItem(item: QueueItem, settings: PrivacySettings): QueueItem {
  const kinds = detectorsFor(settings, item.channel);
  const preview = maskText(item.preview, kinds);
  const texts = [item.previewText?.params, ...Object.values(item.previewText?.nested ?? {}).map((n) => n.params)].flatMap((params) => Object.values(params ?? {}));
  const hides = preview.kinds.length > 0 || texts.some((v) => typeof v === 'string' && maskText(v, kinds).kinds.length > 0);
  const said = hides ? { previewText: null } : {};
  return { ...item, subject: maskText(item.subject, kinds).text, preview: preview.text, ...said };
}
