// The text of an in-app agent message, which is Markdown: rendered with the same markdown-it setup
// the hub uses for the customer (no raw HTML, http(s)/mailto links only), then sanitized with
// DOMPurify to the few elements that rendering can produce, so a stored message can never inject.
import DOMPurify from 'dompurify';
import { useMemo } from 'react';
import { RICH_ATTRS, RICH_TAGS, renderMarkdown } from '../../../shared/composer/richText';
import './composer.css';

export function richHtml(markdown: string): string {
  return DOMPurify.sanitize(renderMarkdown(markdown), {
    ALLOWED_TAGS: [...RICH_TAGS],
    ALLOWED_ATTR: [...RICH_ATTRS],
    ALLOWED_URI_REGEXP: /^(?:https?:\/\/|mailto:)/i,
  });
}

export function RichBody({ text }: { text: string }) {
  const html = useMemo(() => richHtml(text), [text]);
  return <div className="tl-body tl-rich" dangerouslySetInnerHTML={{ __html: html }} />;
}
