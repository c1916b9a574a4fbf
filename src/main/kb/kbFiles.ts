// Reads the repository's kb/ folder (the portal's Markdown articles) into cache rows: front matter
// for title, slug, summary, tags and date, markdown-it for the plain text. This is the fallback that
// fills the offline cache at start: the portal has no "list every article" API yet.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import MarkdownIt from 'markdown-it';
import { z } from 'zod';

export interface KbCacheArticle {
  slug: string;
  title: string;
  summary: string | null;
  bodyText: string;
  tags: string[];
  updatedAt: number;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const Front = z.object({
  title: z.string().trim().min(1).max(200),
  slug: z.string().regex(SLUG).max(100).optional(),
  summary: z.string().trim().min(1).max(300).optional(),
  tags: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
  updated: z.union([z.date(), z.string()]).transform((v) => (v instanceof Date ? v.getTime() : Date.parse(v))),
});

const md = new MarkdownIt({ html: false });

/** The words of the Markdown: text, inline code and fenced code; no markup. */
export function markdownToText(markdown: string): string {
  const blocks: string[] = [];
  for (const token of md.parse(markdown, {})) {
    if (token.type === 'inline') {
      blocks.push((token.children ?? []).map((c) => (c.type === 'text' || c.type === 'code_inline' ? c.content : c.type === 'softbreak' || c.type === 'hardbreak' ? ' ' : '')).join(''));
    } else if (token.type === 'fence' || token.type === 'code_block') {
      blocks.push(token.content.trim());
    }
  }
  return blocks.filter(Boolean).join('\n');
}

const refuseCode = () => {
  throw new Error('front matter must be YAML');
};

/** One article file, or a sentence saying why it was skipped. */
export function parseKbFile(name: string, content: string): { article: KbCacheArticle } | { problem: string } {
  if (!content.trimStart().startsWith('---')) return { problem: `${name}: no front matter.` };
  let parsed: { data: unknown; content: string };
  try {
    parsed = matter(content, { engines: { javascript: refuseCode, coffee: refuseCode } });
  } catch (e) {
    return { problem: `${name}: the front matter cannot be read (${(e as Error).message.split('\n')[0]}).` };
  }
  const front = Front.safeParse(parsed.data ?? {});
  if (!front.success || Number.isNaN(front.data.updated)) return { problem: `${name}: the front matter is not valid.` };
  const slug = front.data.slug ?? path.basename(name).replace(/\.(md|markdown)$/i, '').toLowerCase();
  if (!SLUG.test(slug)) return { problem: `${name}: "${slug}" cannot be a slug.` };
  return {
    article: { slug, title: front.data.title, summary: front.data.summary ?? null, bodyText: markdownToText(parsed.content), tags: front.data.tags, updatedAt: front.data.updated },
  };
}

/** Every article under the folder (README.md excluded) and a hash of the files, so an unchanged folder is not re-read into the cache. */
export function readKbFolder(dir: string): { exists: boolean; hash: string; articles: KbCacheArticle[]; problems: string[] } {
  const hash = crypto.createHash('sha256');
  const articles: KbCacheArticle[] = [];
  const problems: string[] = [];
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return { exists: false, hash: '', articles, problems };
  const files = fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(md|markdown)$/i.test(e.name) && !e.name.startsWith('.') && !/^readme\.md$/i.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  const seen = new Set<string>();
  for (const file of files) {
    const name = path.relative(dir, file).split(path.sep).join('/');
    const content = fs.readFileSync(file, 'utf8');
    hash.update(`${name}\0${content}\0`);
    const result = parseKbFile(name, content);
    if ('problem' in result) problems.push(result.problem);
    else if (seen.has(result.article.slug)) problems.push(`${name}: the slug "${result.article.slug}" is used twice; skipped.`);
    else {
      seen.add(result.article.slug);
      articles.push(result.article);
    }
  }
  return { exists: true, hash: hash.digest('hex'), articles, problems };
}
