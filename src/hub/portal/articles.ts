// Knowledge-base articles: Markdown with front matter parsed and checked (each problem names its
// file), rendered to HTML that never carries raw HTML or a link other than http(s), mailto or a
// relative one, and reduced to plain text for the search index. No I/O here; kbFiles.ts reads.
import matter from 'gray-matter';
import MarkdownIt from 'markdown-it';
import { z } from 'zod';

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const Slug = z.string().max(100).regex(SLUG_PATTERN, 'lowercase letters, digits and single dashes, like "reset-password"');

/** What a file's front matter may say. `slug` defaults to the file name. */
export const FrontMatter = z.strictObject({
  title: z.string().trim().min(1).max(200),
  slug: Slug.optional(),
  summary: z.string().trim().min(1).max(300).optional(),
  tags: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
  // YAML turns an unquoted 2026-03-01 into a Date; a quoted one stays a string.
  updated: z.union([z.date(), z.iso.date(), z.iso.datetime({ offset: true })]).transform((v) => (v instanceof Date ? v.getTime() : Date.parse(v))),
});

export interface ArticleInput {
  slug: string;
  title: string;
  summary: string | null;
  tags: string[];
  bodyMarkdown: string;
  updatedAt: number;
}

export interface RenderedArticle extends ArticleInput {
  bodyHtml: string;
  bodyText: string;
}

export interface ArticleProblem {
  file: string;
  code: 'portal/front-matter' | 'portal/duplicate-slug' | 'portal/unreadable-file';
  message: string;
}

export class PortalArticleError extends Error {
  constructor(
    readonly code: ArticleProblem['code'],
    message: string,
  ) {
    super(message);
    this.name = 'PortalArticleError';
  }
}

const refuseCode = () => {
  throw new Error('front matter must be YAML; code in front matter is never run');
};

/** Parses one article file. Throws a PortalArticleError whose message starts with the file name. */
export function parseArticleFile(fileName: string, content: string): RenderedArticle {
  let parsed: { data: unknown; content: string };
  try {
    // Options disable gray-matter's cache; the engines refuse front matter written as code (---js would be eval'd).
    parsed = matter(content, { engines: { javascript: refuseCode, coffee: refuseCode } });
  } catch (e) {
    throw new PortalArticleError('portal/front-matter', `${fileName}: the front matter cannot be read (${firstLine((e as Error).message)}).`);
  }
  if (!content.trimStart().startsWith('---')) {
    throw new PortalArticleError('portal/front-matter', `${fileName}: the file has no front matter; start it with a --- block giving at least title and updated.`);
  }
  const result = FrontMatter.safeParse(parsed.data ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'front matter'}: ${i.message}`).join('; ');
    throw new PortalArticleError('portal/front-matter', `${fileName}: the front matter is not valid (${problems}).`);
  }
  const fm = result.data;
  const slug = fm.slug ?? fileName.replace(/^.*[\\/]/, '').replace(/\.(md|markdown)$/i, '').toLowerCase();
  if (!SLUG_PATTERN.test(slug)) {
    throw new PortalArticleError('portal/front-matter', `${fileName}: "${slug}" cannot be a slug; name the file like reset-password.md or set slug in the front matter.`);
  }
  return renderArticle({ slug, title: fm.title, summary: fm.summary ?? null, tags: fm.tags, bodyMarkdown: parsed.content, updatedAt: fm.updated });
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

export function renderArticle(article: ArticleInput): RenderedArticle {
  return { ...article, bodyHtml: renderMarkdown(article.bodyMarkdown), bodyText: markdownText(article.bodyMarkdown) };
}

const ALLOWED_SCHEMES = new Set(['http', 'https', 'mailto']);

/** http(s), mailto, or a relative link (another article, an anchor); anything with another scheme is dropped. */
export function isAllowedLink(url: string): boolean {
  // Browsers ignore leading controls and spaces and tabs or newlines inside a scheme.
  // eslint-disable-next-line no-control-regex
  const compact = url.replace(/[\u0000-\u0020]/g, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact);
  return scheme === null || ALLOWED_SCHEMES.has(scheme[1]!.toLowerCase());
}

const md = new MarkdownIt({ html: false, linkify: true, typographer: true });
md.validateLink = isAllowedLink;
const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const href = String(tokens[idx]!.attrGet('href') ?? '');
  // Links leaving the portal neither pass the referrer nor get a handle on this page.
  if (/^(https?:)?\/\//i.test(href)) tokens[idx]!.attrSet('rel', 'noopener noreferrer nofollow');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderMarkdown(markdown: string): string {
  return md.render(markdown);
}

/** The words of an article for the search index and its snippets: text, code, link texts; no markup. */
export function markdownText(markdown: string): string {
  const blocks: string[] = [];
  for (const token of md.parse(markdown, {})) {
    if (token.type === 'inline') {
      blocks.push((token.children ?? []).map((c) => (c.type === 'text' || c.type === 'code_inline' ? c.content : c.type === 'softbreak' || c.type === 'hardbreak' ? ' ' : '')).join(''));
    } else if (token.type === 'fence' || token.type === 'code_block') {
      blocks.push(token.content.trim());
    }
  }
  return blocks.filter((b) => b.length > 0).join('\n');
}
