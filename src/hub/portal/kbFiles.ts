// Reads the knowledge-base directory: every *.md file below it (but README.md), their combined hash (so the index
// is rebuilt only when a file changed) and, on demand, the parsed articles with per-file problems.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArticleFile, PortalArticleError, type ArticleProblem, type RenderedArticle } from './articles';

/** Bump when parsing or rendering changes, so existing indexes are rebuilt with the new output. */
export const KB_FORMAT_VERSION = 1;

export interface KbFile {
  /** Relative to the directory, with forward slashes. */
  name: string;
  content: string;
}

export interface KbSnapshot {
  dir: string;
  exists: boolean;
  files: KbFile[];
  hash: string;
}

export function readKbDirectory(dir: string): KbSnapshot {
  const files: KbFile[] = [];
  const exists = fs.existsSync(dir) && fs.statSync(dir).isDirectory();
  if (exists) {
    for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
      // README.md describes the folder for authors; it is not an article.
      if (!entry.isFile() || !/\.(md|markdown)$/i.test(entry.name) || entry.name.startsWith('.') || /^readme\.md$/i.test(entry.name)) continue;
      const full = path.join(entry.parentPath, entry.name);
      files.push({ name: path.relative(dir, full).split(path.sep).join('/'), content: fs.readFileSync(full, 'utf8') });
    }
  }
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const hash = crypto.createHash('sha256');
  hash.update(`kb-format ${KB_FORMAT_VERSION}\0`);
  for (const f of files) hash.update(`${f.name}\0${f.content}\0`);
  return { dir, exists, files, hash: hash.digest('hex') };
}

/** Parses every file; a file with a problem is left out and reported, the others still load. */
export function parseKbFiles(files: readonly KbFile[]): { articles: Array<RenderedArticle & { file: string }>; problems: ArticleProblem[] } {
  const articles: Array<RenderedArticle & { file: string }> = [];
  const problems: ArticleProblem[] = [];
  const bySlug = new Map<string, string>();
  for (const file of files) {
    try {
      const article = parseArticleFile(file.name, file.content);
      const other = bySlug.get(article.slug);
      if (other !== undefined) {
        problems.push({ file: file.name, code: 'portal/duplicate-slug', message: `${file.name}: the slug "${article.slug}" is already used by ${other}; this file was skipped.` });
        continue;
      }
      bySlug.set(article.slug, file.name);
      articles.push({ ...article, file: file.name });
    } catch (e) {
      if (e instanceof PortalArticleError) problems.push({ file: file.name, code: e.code, message: e.message });
      else problems.push({ file: file.name, code: 'portal/unreadable-file', message: `${file.name}: ${(e as Error).message}` });
    }
  }
  return { articles, problems };
}
