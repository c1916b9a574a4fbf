// Rich text for in-app messages: the agent writes Markdown (bold, italic, links, bulleted lists,
// inline code), it is stored and sent as Markdown, and rendered with markdown-it with raw HTML
// off and only http(s) and mailto links, for the customer (by the hub, for the widget) and in the
// agent's timeline (then sanitized again). The composer's toolbar edits are pure text transforms.
import MarkdownIt from 'markdown-it';
import type { Channel } from '../domain';

/** Channels whose replies are Markdown; every other channel is plain text. */
const RICH_CHANNELS: ReadonlySet<Channel> = new Set<Channel>(['in_app']);

export function isRichChannel(channel: Channel): boolean {
  return RICH_CHANNELS.has(channel);
}

/** An agent's message on a rich channel: its text is Markdown. */
export function isRichMessage(m: { channel: Channel; direction: string; authorType: string }): boolean {
  return isRichChannel(m.channel) && m.direction === 'out' && m.authorType === 'agent';
}

const SAFE_LINK = /^(?:https?:\/\/|mailto:)/i;

// 'zero' has only paragraphs and text; the few rules we allow are switched on by name.
const md = new MarkdownIt('zero', { html: false, breaks: true, linkify: false }).enable(['list', 'emphasis', 'link', 'backticks', 'newline', 'escape', 'autolink']);
md.validateLink = (url: string) => SAFE_LINK.test(url.trim());
md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  tokens[idx]!.attrSet('target', '_blank');
  tokens[idx]!.attrSet('rel', 'noopener noreferrer nofollow');
  return self.renderToken(tokens, idx, options);
};

/** The HTML of a Markdown message: p, br, strong, em, a (http/https/mailto), ul, ol, li, code; everything else is text. */
export function renderMarkdown(text: string): string {
  return md.render(text);
}

/** The tags and attributes renderMarkdown can produce: what a sanitizer of its output keeps. */
export const RICH_TAGS = ['p', 'br', 'strong', 'em', 'a', 'ul', 'ol', 'li', 'code'] as const;
export const RICH_ATTRS = ['href', 'target', 'rel', 'start'] as const;
export const isSafeLink = (href: string): boolean => SAFE_LINK.test(href.trim());

// ---------------------------------------------------------------- toolbar edits

export interface TextEdit {
  text: string;
  /** The selection after the edit. */
  start: number;
  end: number;
}

/** Wraps the selection in `marker` (** for bold, _ for italic, ` for code), or unwraps it when it already is. */
export function toggleWrap(text: string, start: number, end: number, marker: string, placeholder = 'text'): TextEdit {
  const m = marker.length;
  const before = text.slice(Math.max(0, start - m), start);
  const after = text.slice(end, end + m);
  if (before === marker && after === marker) {
    return { text: text.slice(0, start - m) + text.slice(start, end) + text.slice(end + m), start: start - m, end: end - m };
  }
  const inner = start === end ? placeholder : text.slice(start, end);
  return { text: `${text.slice(0, start)}${marker}${inner}${marker}${text.slice(end)}`, start: start + m, end: start + m + inner.length };
}

/** Turns the selection into a link to `url`: [selection](url); without a selection the url is the label. */
export function insertLink(text: string, start: number, end: number, url: string): TextEdit {
  const label = start === end ? url : text.slice(start, end).replace(/[[\]]/g, '');
  const link = `[${label}](${url.replace(/[()\s]/g, encodeURIComponent)})`;
  return { text: text.slice(0, start) + link + text.slice(end), start: start + 1, end: start + 1 + label.length };
}

/** Makes the selected lines a bulleted list ("- "), or plain lines again when all of them already are. */
export function toggleBullets(text: string, start: number, end: number): TextEdit {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const nl = text.indexOf('\n', Math.max(end - (end > start && text[end - 1] === '\n' ? 1 : 0), start));
  const lineEnd = nl === -1 ? text.length : nl;
  const lines = text.slice(lineStart, lineEnd).split('\n');
  const bulleted = lines.every((l) => /^[-*] /.test(l));
  const next = lines.map((l) => (bulleted ? l.replace(/^[-*] /, '') : `- ${l}`)).join('\n');
  const out = text.slice(0, lineStart) + next + text.slice(lineEnd);
  return { text: out, start: lineStart, end: lineStart + next.length };
}

/**
 * Enter inside a bulleted line continues the list ("- " on the new line); Enter on an empty
 * bullet ends it. Null when the caret is not in a list line (the textarea does its usual thing).
 */
export function continueList(text: string, caret: number): TextEdit | null {
  const lineStart = text.lastIndexOf('\n', caret - 1) + 1;
  const line = text.slice(lineStart, caret);
  const m = /^(\s*[-*] )/.exec(line);
  if (!m) return null;
  if (line.trim() === m[1]!.trim() && text.slice(caret).split('\n')[0]!.trim() === '') {
    const out = text.slice(0, lineStart) + text.slice(caret);
    return { text: out, start: lineStart, end: lineStart };
  }
  const insert = `\n${m[1]}`;
  return { text: text.slice(0, caret) + insert + text.slice(caret), start: caret + insert.length, end: caret + insert.length };
}
