// The portal's server-rendered pages: home, search results, an article, not found. Every value
// is escaped here; the only markup not built here is an article body, rendered by articles.ts
// with raw HTML disabled. No scripts: the pages work with the CSP's script-src 'none'.
import type { ArticleRow, ArticleSummary, SearchHit } from './store';
import { SNIPPET_MARKS } from './store';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A snippet's pieces: the matched words flagged, so each caller can mark them its own way. */
export function snippetParts(marked: string): Array<{ text: string; match: boolean }> {
  const parts: Array<{ text: string; match: boolean }> = [];
  let match = false;
  let text = '';
  const flush = () => {
    if (text) parts.push({ text, match });
    text = '';
  };
  for (const ch of marked) {
    if (ch === SNIPPET_MARKS.start || ch === SNIPPET_MARKS.end) {
      flush();
      match = ch === SNIPPET_MARKS.start;
    } else text += ch;
  }
  flush();
  return parts;
}

function snippetHtml(marked: string): string {
  return snippetParts(marked)
    .map((p) => (p.match ? `<mark>${escapeHtml(p.text)}</mark>` : escapeHtml(p.text)))
    .join('');
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const dateFormat = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export interface PageChrome {
  /** The portal's name ("Help Center"). */
  siteTitle: string;
  /** The portal's path on the hub (/portal): links stay relative to the host the visitor used. */
  base: string;
  /** The hub's public URL, for canonical links. */
  publicUrl: string;
  contactUrl: string | null;
  /** The longest query the search accepts; the inputs stop there. */
  maxQueryLength: number;
}

interface PageOptions {
  title: string;
  description?: string;
  canonical?: string;
  body: string;
  /** The search box in the header (every page but the home, which has a big one). */
  headerSearch?: string | null;
}

function layout(chrome: PageChrome, o: PageOptions): string {
  const search =
    o.headerSearch === null
      ? ''
      : `<form class="header-search" role="search" action="${chrome.base}/search" method="get">
          <label class="visually-hidden" for="header-q">Search articles</label>
          <input id="header-q" name="q" type="search" value="${escapeHtml(o.headerSearch ?? '')}" maxlength="${chrome.maxQueryLength}" placeholder="Search articles" autocomplete="off">
          <button type="submit">Search</button>
        </form>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(o.title)} · ${escapeHtml(chrome.siteTitle)}</title>
${o.description ? `<meta name="description" content="${escapeHtml(o.description)}">` : ''}
${o.canonical ? `<link rel="canonical" href="${escapeHtml(o.canonical)}">` : ''}
<link rel="stylesheet" href="${chrome.base}/assets/portal.css">
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
  <div class="wrap header-row">
    <a class="brand" href="${chrome.base}"><span class="brand-mark" aria-hidden="true">?</span>${escapeHtml(chrome.siteTitle)}</a>
    ${search}
  </div>
</header>
<main id="main" tabindex="-1">
${o.body}
</main>
<footer class="site-footer">
  <div class="wrap">
    <p>${escapeHtml(chrome.siteTitle)} · <a href="${chrome.base}">All articles</a>${chrome.contactUrl ? ` · <a href="${escapeHtml(chrome.contactUrl)}">Contact support</a>` : ''}</p>
  </div>
</footer>
</body>
</html>
`;
}

function tagList(tags: readonly string[]): string {
  if (tags.length === 0) return '';
  return `<ul class="tags" aria-label="Topics">${tags.map((t) => `<li>${escapeHtml(t)}</li>`).join('')}</ul>`;
}

function articleCard(chrome: PageChrome, a: ArticleSummary): string {
  return `<li class="card">
    <h3><a href="${chrome.base}/articles/${a.slug}">${escapeHtml(a.title)}</a></h3>
    ${a.summary ? `<p>${escapeHtml(a.summary)}</p>` : ''}
    ${tagList(a.tags)}
  </li>`;
}

export function homePage(chrome: PageChrome, popular: readonly ArticleSummary[], all: readonly ArticleSummary[]): string {
  const byTopic = new Map<string, ArticleSummary[]>();
  for (const a of all) {
    const topic = a.tags[0] ?? 'General';
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), a]);
  }
  const topics = [...byTopic.entries()].sort(([a], [b]) => a.localeCompare(b));
  const body = `
<section class="hero" aria-labelledby="hero-title">
  <div class="wrap">
    <h1 id="hero-title">How can we help?</h1>
    <p class="lead">Answers to common questions about your account, billing, orders and security.</p>
    <form class="hero-search" role="search" action="${chrome.base}/search" method="get">
      <label class="visually-hidden" for="q">Search the ${escapeHtml(chrome.siteTitle)}</label>
      <input id="q" name="q" type="search" maxlength="${chrome.maxQueryLength}" placeholder="Search, e.g. “reset password” or “refund”" autocomplete="off">
      <button type="submit">Search</button>
    </form>
  </div>
</section>
<div class="wrap">
  <section aria-labelledby="popular-title">
    <h2 id="popular-title">Popular articles</h2>
    ${popular.length ? `<ul class="cards">${popular.map((a) => articleCard(chrome, a)).join('')}</ul>` : '<p class="muted">No articles yet.</p>'}
  </section>
  <section aria-labelledby="topics-title">
    <h2 id="topics-title">Browse by topic</h2>
    <div class="topics">
      ${topics
        .map(
          ([topic, list]) => `<section class="topic" aria-label="${escapeHtml(topic)}">
        <h3>${escapeHtml(topic)}</h3>
        <ul>${list.map((a) => `<li><a href="${chrome.base}/articles/${a.slug}">${escapeHtml(a.title)}</a></li>`).join('')}</ul>
      </section>`,
        )
        .join('')}
    </div>
  </section>
</div>`;
  return layout(chrome, { title: 'Home', description: 'Answers to common questions.', body, headerSearch: null, canonical: `${chrome.publicUrl}${chrome.base}` });
}

export function searchPage(chrome: PageChrome, query: string, hits: readonly SearchHit[]): string {
  const q = escapeHtml(query);
  const heading = query.trim() === '' ? 'Search' : `${hits.length} ${hits.length === 1 ? 'result' : 'results'} for “${q}”`;
  const results =
    query.trim() === ''
      ? '<p class="muted">Type a few words about your question.</p>'
      : hits.length === 0
        ? `<div class="empty"><p>No articles match “${q}”.</p><p class="muted">Try fewer or different words${chrome.contactUrl ? `, or <a href="${escapeHtml(chrome.contactUrl)}">contact support</a>` : ''}.</p></div>`
        : `<ol class="results">${hits
            .map(
              (h) => `<li>
          <h2><a href="${chrome.base}/articles/${h.slug}">${escapeHtml(h.title)}</a></h2>
          <p class="snippet">${snippetHtml(h.marked)}</p>
          ${tagList(h.tags)}
        </li>`,
            )
            .join('')}</ol>`;
  const body = `<div class="wrap narrow">
  <nav class="breadcrumb" aria-label="Breadcrumb"><ol><li><a href="${chrome.base}">${escapeHtml(chrome.siteTitle)}</a></li><li aria-current="page">Search</li></ol></nav>
  <h1 class="page-title">${heading}</h1>
  ${results}
</div>`;
  return layout(chrome, { title: query ? `Search: ${query}` : 'Search', body, headerSearch: query });
}

export function articlePage(chrome: PageChrome, a: ArticleRow, feedback: 'thanks' | null): string {
  const topic = a.tags[0];
  const body = `<div class="wrap narrow">
  <nav class="breadcrumb" aria-label="Breadcrumb"><ol><li><a href="${chrome.base}">${escapeHtml(chrome.siteTitle)}</a></li>${topic ? `<li>${escapeHtml(capitalized(topic))}</li>` : ''}<li aria-current="page">${escapeHtml(a.title)}</li></ol></nav>
  <article class="article" aria-labelledby="article-title">
    <h1 id="article-title">${escapeHtml(a.title)}</h1>
    <p class="meta">Updated <time datetime="${isoDate(a.updatedAt)}">${dateFormat.format(a.updatedAt)}</time></p>
    <div class="article-body">
${a.bodyHtml}
    </div>
    ${tagList(a.tags)}
  </article>
  <aside class="feedback" aria-labelledby="feedback-title">
    ${
      feedback === 'thanks'
        ? `<p id="feedback-title" role="status">Thanks for your feedback!</p>`
        : `<form action="${chrome.base}/articles/${a.slug}/feedback" method="post">
      <fieldset>
        <legend id="feedback-title">Was this article helpful?</legend>
        <button type="submit" name="helpful" value="yes">Yes</button>
        <button type="submit" name="helpful" value="no">No</button>
      </fieldset>
    </form>`
    }
    ${chrome.contactUrl ? `<p class="contact">Still need help? <a href="${escapeHtml(chrome.contactUrl)}">Contact support</a></p>` : ''}
  </aside>
</div>`;
  return layout(chrome, { title: a.title, description: a.summary ?? undefined, body, canonical: `${chrome.publicUrl}${chrome.base}/articles/${a.slug}` });
}

export function messagePage(chrome: PageChrome, title: string, sentence: string): string {
  const body = `<div class="wrap narrow message">
  <h1 class="page-title">${escapeHtml(title)}</h1>
  <p>${escapeHtml(sentence)}</p>
  <p><a href="${chrome.base}">Back to the ${escapeHtml(chrome.siteTitle)}</a></p>
</div>`;
  return layout(chrome, { title, body });
}
