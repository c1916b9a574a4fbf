// The embeddable chat widget: one framework-free script a website adds with
// `<script src="https://hub.example/widget.js" data-org="acme" async>`. It draws a launcher and a
// chat panel inside a Shadow DOM, talks to the hub over one WebSocket, and keeps the visitor, the
// conversation and unsent messages in localStorage. Only protocol *types* are imported, so the
// bundle stays small; the hub validates every frame the widget sends.
import type { HubToVisitorFrame, UploadResult, VisitorFrameInput, WidgetMessage, WidgetOrgInfo } from '../shared/hub/widgetProtocol';
import { WIDGET_CSS } from './styles';

interface Staged {
  id: string;
  name: string;
}
interface Pending {
  clientId: string;
  text: string;
  uploads: Staged[];
}
interface Saved {
  visitorId: string;
  conversationId: number | null;
  token: string | null;
  pending: Pending[];
}
interface Article {
  title: string;
  snippet?: string;
  url: string;
}

declare global {
  interface Window {
    __omniWidgetLoaded?: boolean;
  }
}

const TYPING_IDLE_MS = 3000;
const SEARCH_DEBOUNCE_MS = 300;
const PING_MS = 25_000;
const MAX_BACKOFF_MS = 30_000;

function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

type Child = Node | string | null | false | undefined;
function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false) continue;
    el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c) el.append(c);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
function icon(d: string): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', d);
  svg.append(path);
  return svg;
}
const ICON_CHAT = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z';
const ICON_CLOSE = 'M6 6l12 12M18 6L6 18';
const ICON_SEND = 'M3 20l18-8L3 4v6l12 2-12 2z';
const ICON_CLIP = 'M16.5 6.5l-7.8 7.8a2 2 0 0 0 2.8 2.8l7.8-7.8a4 4 0 0 0-5.6-5.6l-7.8 7.8a6 6 0 0 0 8.5 8.5l6.4-6.4';

/** What an agent's in-app message may contain (the hub renders its Markdown to these and nothing else). */
const RICH_TAGS = new Set(['P', 'BR', 'STRONG', 'EM', 'A', 'UL', 'OL', 'LI', 'CODE']);
const SAFE_LINK = /^(?:https?:\/\/|mailto:)/i;

/**
 * The hub's HTML of a rich message, rebuilt element by element from an allowlist: any other
 * element keeps only its text, links keep only an http(s)/mailto href, no other attribute survives.
 */
function richContent(html: string): DocumentFragment {
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  const out = document.createDocumentFragment();
  const copy = (from: Node, to: Node): void => {
    for (const n of Array.from(from.childNodes)) {
      if (n.nodeType === Node.TEXT_NODE) {
        to.appendChild(document.createTextNode(n.textContent ?? ''));
        continue;
      }
      if (n.nodeType !== Node.ELEMENT_NODE) continue;
      const el = n as Element;
      if (!RICH_TAGS.has(el.tagName)) {
        if (el.tagName !== 'SCRIPT' && el.tagName !== 'STYLE') copy(el, to);
        continue;
      }
      const clean = document.createElement(el.tagName.toLowerCase());
      const href = el.tagName === 'A' ? (el.getAttribute('href') ?? '') : '';
      if (href && SAFE_LINK.test(href.trim())) {
        clean.setAttribute('href', href);
        clean.setAttribute('target', '_blank');
        clean.setAttribute('rel', 'noopener noreferrer nofollow');
      }
      copy(el, clean);
      to.appendChild(clean);
    }
  };
  copy(parsed.body, out);
  return out;
}

function sizeLabel(bytes: number): string {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function start(script: HTMLScriptElement): void {
  const org = script.dataset.org ?? '';
  // The hub's base URL: where this script came from (a hub behind a path prefix keeps its prefix).
  const base = new URL('.', script.src);
  const wsUrl = new URL(`widget?org=${encodeURIComponent(org)}`, base);
  wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  const user = script.dataset.userId
    ? { id: script.dataset.userId, hash: script.dataset.userHash ?? '', name: script.dataset.userName ?? null, email: script.dataset.userEmail ?? null }
    : null;

  // ---- storage (a blocked localStorage degrades to this page's memory)
  const storageKey = `omni-widget:${org}`;
  // Starts with a letter: the portal's visitor ids (for deflection) must.
  let saved: Saved = { visitorId: `v${randomKey()}`, conversationId: null, token: null, pending: [] };
  try {
    const raw = localStorage.getItem(storageKey);
    if (raw) saved = { ...saved, ...(JSON.parse(raw) as Partial<Saved>) };
  } catch {
    /* keep the fresh visitor */
  }
  const save = (): void => {
    try {
      localStorage.setItem(storageKey, JSON.stringify(saved));
    } catch {
      /* private mode: this page keeps it in memory */
    }
  };
  save();

  // ---- DOM
  const host = h('div', { 'data-omni-widget': org });
  for (const [k, v] of [['all', 'initial'], ['position', 'fixed'], ['z-index', '2147483000'], ['right', '0'], ['bottom', '0']]) host.style.setProperty(k!, v!, 'important');
  const root = host.attachShadow({ mode: 'open' });
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(WIDGET_CSS);
    root.adoptedStyleSheets = [sheet];
  } else {
    root.append(h('style', {}, WIDGET_CSS));
  }

  const badge = h('span', { class: 'badge', hidden: true, 'aria-hidden': 'true' });
  const chatIcon = icon(ICON_CHAT);
  const closeIcon = icon(ICON_CLOSE);
  closeIcon.classList.add('x');
  const launcher = h('button', { type: 'button', class: 'launcher', 'aria-label': 'Open chat', 'aria-expanded': 'false', 'aria-controls': 'omni-panel' }, chatIcon, badge);
  const title = h('h2', { id: 'omni-title' }, 'Chat with us');
  const status = h('p', { class: 'status' }, 'Connecting…');
  const avatar = h('div', { class: 'avatar', 'aria-hidden': 'true' }, 'S');
  const closeBtn = h('button', { type: 'button', class: 'icon-btn close', 'aria-label': 'Close chat' }, icon(ICON_CLOSE));
  const banner = h('div', { class: 'banner', role: 'status', hidden: true });
  const greeting = h('div', { class: 'msg agent greeting' }, h('div', { class: 'bubble' }, 'Hi there! Ask us anything.'));
  const log = h('div', { class: 'log', role: 'log', 'aria-label': 'Messages', 'aria-live': 'polite', tabindex: '0' }, greeting);
  const suggestList = h('ul');
  const suggest = h('div', { class: 'suggest', role: 'region', 'aria-label': 'Suggested articles', hidden: true }, h('p', {}, 'These articles might answer your question:'), suggestList);
  const typingLine = h('div', { class: 'typing', 'aria-live': 'polite' });
  const errorLine = h('div', { class: 'error', role: 'alert' });

  const stars: HTMLButtonElement[] = [];
  let rating = 0;
  const starRow = h('div', { class: 'stars' });
  for (let i = 1; i <= 5; i++) {
    const b = h('button', { type: 'button', class: 'star', 'aria-label': `${i} star${i > 1 ? 's' : ''}`, 'aria-pressed': 'false' }, '★');
    b.addEventListener('click', () => {
      rating = i;
      stars.forEach((s, j) => {
        s.setAttribute('aria-pressed', String(j + 1 === i));
        s.classList.toggle('on', j < i);
      });
      csatSubmit.disabled = false;
    });
    stars.push(b);
    starRow.append(b);
  }
  const csatComment = h('textarea', { id: 'omni-csat-comment', rows: '2', maxlength: '2000', placeholder: 'Anything we could do better?' });
  const csatSubmit = h('button', { type: 'submit', class: 'primary', disabled: true }, 'Send rating');
  const csat = h(
    'form',
    { class: 'card csat', 'aria-label': 'Rate this chat', hidden: true },
    h('p', { class: 'card-title' }, 'How was your chat?'),
    starRow,
    h('label', { for: 'omni-csat-comment' }, 'Comment (optional)'),
    csatComment,
    csatSubmit,
  );

  const offName = h('input', { id: 'omni-off-name', autocomplete: 'name', required: true, maxlength: '200' });
  const offEmail = h('input', { id: 'omni-off-email', type: 'email', autocomplete: 'email', required: true, maxlength: '320' });
  const offText = h('textarea', { id: 'omni-off-text', rows: '4', required: true, maxlength: '20000' });
  const offSubmit = h('button', { type: 'submit', class: 'primary' }, 'Send message');
  const offline = h(
    'form',
    { class: 'card offline', 'aria-labelledby': 'omni-off-title', hidden: true },
    h('p', { class: 'card-title', id: 'omni-off-title' }, 'Our team is offline. Leave a message'),
    h('p', { class: 'hint' }, 'We will answer by email as soon as we are back.'),
    h('label', { for: 'omni-off-name' }, 'Name'),
    offName,
    h('label', { for: 'omni-off-email' }, 'Email'),
    offEmail,
    h('label', { for: 'omni-off-text' }, 'Message'),
    offText,
    offSubmit,
  );

  const chips = h('div', { class: 'chips' });
  const input = h('textarea', { id: 'omni-input', rows: '1', placeholder: 'Write a message…', maxlength: '20000' });
  const fileInput = h('input', { type: 'file', hidden: true, accept: 'image/png,image/jpeg,image/gif,image/webp,application/pdf', tabindex: '-1' });
  const attachBtn = h('button', { type: 'button', class: 'icon-btn', 'aria-label': 'Attach a file' }, icon(ICON_CLIP));
  const sendBtn = h('button', { type: 'submit', class: 'icon-btn send', 'aria-label': 'Send' }, icon(ICON_SEND));
  const composer = h(
    'form',
    { class: 'composer' },
    chips,
    h('div', { class: 'row' }, h('label', { for: 'omni-input', class: 'sr' }, 'Message'), input, fileInput, attachBtn, sendBtn),
  );

  const panel = h(
    'section',
    { class: 'panel', id: 'omni-panel', role: 'dialog', 'aria-modal': 'false', 'aria-label': 'Chat', hidden: true },
    h('header', {}, avatar, h('div', { class: 'who' }, title, status), closeBtn),
    banner,
    h('div', { class: 'body' }, log, suggest, csat, offline),
    typingLine,
    errorLine,
    composer,
    h('p', { class: 'brand' }, 'Powered by Omni Desk'),
  );
  root.append(panel, launcher);
  (document.body ?? document.documentElement).append(host);

  // ---- state
  let orgInfo: WidgetOrgInfo | null = null;
  let ws: WebSocket | null = null;
  let welcomed = false;
  let attempt = 0;
  let unread = 0;
  let staged: Staged[] = [];
  let typingSent = false;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  let agentTypingTimer: ReturnType<typeof setTimeout> | undefined;
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  let searchAbort: AbortController | null = null;
  let offlineClientId: string | null = null;
  const shown = new Map<number, HTMLElement>();
  const pendingEls = new Map<string, HTMLElement>();

  const isOpen = (): boolean => !panel.hidden;
  const send = (frame: VisitorFrameInput): boolean => {
    if (!ws || ws.readyState !== WebSocket.OPEN || (!welcomed && frame.t !== 'hello')) return false;
    ws.send(JSON.stringify(frame));
    return true;
  };
  const showError = (message: string): void => {
    errorLine.textContent = message;
  };
  const scrollDown = (): void => {
    log.scrollTop = log.scrollHeight;
  };
  const lastId = (): number => Math.max(0, ...shown.keys());

  function fileUrl(url: string): string {
    const u = new URL(url.replace(/^\//, ''), base);
    if (saved.token) u.searchParams.set('token', saved.token);
    return u.href;
  }

  function bubble(from: string, text: string, attachments: WidgetMessage['attachments'], meta: string, html?: string): HTMLElement {
    const b = h('div', { class: 'bubble' });
    if (html) {
      const rich = h('div', { class: 'rich' });
      rich.append(richContent(html));
      b.append(rich);
    } else if (text) b.append(h('p', {}, text));
    for (const a of attachments) {
      const link = h('a', { href: fileUrl(a.url), target: '_blank', rel: 'noopener noreferrer', class: 'file' });
      if (a.contentType.startsWith('image/')) link.append(h('img', { src: fileUrl(a.url), alt: a.name }));
      else link.append(`📄 ${a.name} (${sizeLabel(a.size)})`);
      b.append(link);
    }
    return h('div', { class: `msg ${from}` }, b, h('span', { class: 'meta' }, meta));
  }

  function addMessage(m: WidgetMessage): void {
    if (shown.has(m.id)) return;
    const time = new Date(m.createdAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const el = bubble(m.from, m.text, m.attachments, m.from === 'visitor' ? time : `${m.authorName} · ${time}`, m.from === 'agent' ? m.html : undefined);
    el.dataset.id = String(m.id);
    // Keep id order even when a resume brings older messages after newer pushes.
    const later = [...shown.entries()].filter(([id]) => id > m.id).sort((a, b) => a[0] - b[0])[0];
    if (later) log.insertBefore(el, later[1]);
    else {
      const firstPending = pendingEls.values().next().value;
      if (firstPending) log.insertBefore(el, firstPending);
      else log.append(el);
    }
    shown.set(m.id, el);
    if (m.from !== 'visitor') {
      typingLine.textContent = '';
      if (!isOpen()) {
        unread += 1;
        badge.textContent = String(unread);
        badge.hidden = false;
        launcher.setAttribute('aria-label', `Open chat (${unread} unread)`);
      }
    }
    hideSuggestions();
    scrollDown();
  }

  function renderPending(p: Pending, note = 'Sending…'): void {
    pendingEls.get(p.clientId)?.remove();
    const el = bubble('visitor pending', p.text, [], note);
    for (const u of p.uploads) el.firstElementChild!.append(h('span', { class: 'file' }, `📄 ${u.name}`));
    log.append(el);
    pendingEls.set(p.clientId, el);
    scrollDown();
  }

  function dropPending(clientId: string): Pending | undefined {
    const p = saved.pending.find((x) => x.clientId === clientId);
    saved.pending = saved.pending.filter((x) => x.clientId !== clientId);
    save();
    pendingEls.get(clientId)?.remove();
    pendingEls.delete(clientId);
    return p;
  }

  function flushPending(): void {
    for (const p of saved.pending) send({ t: 'msg', clientId: p.clientId, text: p.text, uploads: p.uploads.map((u) => u.id) });
  }

  function showCsat(): void {
    csat.hidden = false;
    scrollDown();
  }

  function renderOrg(): void {
    if (!orgInfo) return;
    host.style.setProperty('--omni-accent', orgInfo.accentColor);
    title.textContent = orgInfo.name;
    avatar.textContent = orgInfo.name.trim().charAt(0).toUpperCase() || 'S';
    panel.setAttribute('aria-label', `Chat with ${orgInfo.name}`);
    greeting.firstElementChild!.textContent = orgInfo.greeting;
    const offlineNow = !orgInfo.online && saved.conversationId === null && saved.pending.length === 0;
    status.textContent = orgInfo.online ? 'We typically reply in a few minutes' : 'Offline right now';
    status.classList.toggle('off', !orgInfo.online);
    offline.hidden = !offlineNow || offline.dataset.done === '1';
    composer.hidden = offlineNow;
    greeting.hidden = offlineNow;
  }

  // ---- connection
  function connect(): void {
    if (ws) return;
    const socket = new WebSocket(wsUrl.href);
    ws = socket;
    let ping: ReturnType<typeof setInterval> | undefined;
    socket.onopen = () => {
      send({
        t: 'hello',
        protocol: 1,
        visitorId: saved.visitorId,
        resume: saved.conversationId !== null && saved.token ? { conversationId: saved.conversationId, token: saved.token } : null,
        lastMessageId: lastId(),
        user,
        page: location.href.slice(0, 2048),
      });
      ping = setInterval(() => send({ t: 'ping' }), PING_MS);
    };
    socket.onmessage = (e) => {
      let f: HubToVisitorFrame;
      try {
        f = JSON.parse(String(e.data)) as HubToVisitorFrame;
      } catch {
        return;
      }
      if (f && typeof f === 'object' && typeof f.t === 'string') onFrame(f);
    };
    socket.onclose = () => {
      clearInterval(ping);
      ws = null;
      welcomed = false;
      // Exponential backoff with jitter, so a hub restart is not met by every visitor at once.
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
      attempt += 1;
      if (attempt > 1) {
        banner.textContent = 'Connection lost. Reconnecting…';
        banner.hidden = false;
        status.textContent = 'Reconnecting…';
      }
      setTimeout(connect, delay);
    };
  }

  function onFrame(f: HubToVisitorFrame): void {
    switch (f.t) {
      case 'welcome':
        welcomed = true;
        attempt = 0;
        banner.hidden = true;
        orgInfo = f.org;
        if (f.resumeRefused) {
          // The stored conversation is not ours (cleared token, other hub): start afresh.
          saved.conversationId = null;
          saved.token = null;
          save();
        }
        for (const m of f.messages) addMessage(m);
        if (f.conversation?.askCsat) showCsat();
        renderOrg();
        flushPending();
        return;
      case 'ack': {
        dropPending(f.clientId);
        if (f.token) {
          saved.conversationId = f.conversationId;
          saved.token = f.token;
          save();
          csat.hidden = true;
        }
        addMessage(f.message);
        return;
      }
      case 'msg':
        addMessage(f.message);
        return;
      case 'typing':
        clearTimeout(agentTypingTimer);
        typingLine.textContent = f.typing ? `${f.agentName} is typing…` : '';
        // A lost "stopped typing" must not leave the line forever.
        if (f.typing) agentTypingTimer = setTimeout(() => (typingLine.textContent = ''), 10_000);
        return;
      case 'resolved':
        log.append(h('div', { class: 'notice' }, 'This chat has ended.'));
        showCsat();
        return;
      case 'csatThanks':
        csat.replaceChildren(h('p', { class: 'card-title' }, 'Thanks for your feedback!'));
        return;
      case 'leftMessage':
        offline.dataset.done = '1';
        offline.replaceChildren(h('p', { class: 'card-title' }, `Thanks, ${offName.value.trim()}!`), h('p', { class: 'hint' }, `We will reply to ${offEmail.value.trim()} soon.`));
        offline.hidden = false;
        return;
      case 'error':
        onError(f.error.code, f.error.message, f.clientId);
        return;
      case 'pong':
        return;
    }
  }

  function onError(code: string, message: string, clientId: string | null): void {
    showError(message);
    if (clientId && clientId === offlineClientId) {
      offSubmit.disabled = false;
      return;
    }
    if (code === 'widget/csat-already') {
      csat.replaceChildren(h('p', { class: 'card-title' }, 'Thanks for your feedback!'));
      return;
    }
    const p = clientId ? saved.pending.find((x) => x.clientId === clientId) : undefined;
    if (!p) return;
    if (code === 'widget/rate-limited' || code === 'widget/not-stored' || code === 'internal') {
      renderPending(p, 'Not sent yet, retrying…');
      setTimeout(() => send({ t: 'msg', clientId: p.clientId, text: p.text, uploads: p.uploads.map((u) => u.id) }), 5000);
      return;
    }
    // Refused for good: give the text back so nothing typed is lost.
    dropPending(p.clientId);
    if (!input.value) input.value = p.text;
  }

  // ---- actions
  function open(): void {
    panel.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    launcher.setAttribute('aria-label', 'Close chat');
    launcher.classList.add('open');
    chatIcon.replaceWith(closeIcon);
    unread = 0;
    badge.hidden = true;
    connect();
    (composer.hidden ? offName : input).focus();
    scrollDown();
  }
  function close(): void {
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    launcher.setAttribute('aria-label', 'Open chat');
    launcher.classList.remove('open');
    closeIcon.replaceWith(chatIcon);
    launcher.focus();
  }

  function submitMessage(): void {
    const text = input.value.trim();
    if (!text && staged.length === 0) return;
    const p: Pending = { clientId: randomKey(), text, uploads: staged };
    saved.pending.push(p);
    save();
    staged = [];
    chips.replaceChildren();
    input.value = '';
    autosize();
    showError('');
    hideSuggestions();
    stopTyping();
    renderPending(p);
    connect();
    send({ t: 'msg', clientId: p.clientId, text: p.text, uploads: p.uploads.map((u) => u.id) });
  }

  function stopTyping(): void {
    clearTimeout(typingTimer);
    if (typingSent) send({ t: 'typing', typing: false });
    typingSent = false;
  }

  function autosize(): void {
    input.style.height = 'auto';
    input.style.height = `${Math.min(120, input.scrollHeight)}px`;
  }

  function hideSuggestions(): void {
    clearTimeout(searchTimer);
    searchAbort?.abort();
    suggest.hidden = true;
  }

  // Before a chat starts, what the visitor types is looked up in the knowledge base (deflection).
  async function searchArticles(q: string): Promise<void> {
    searchAbort?.abort();
    const abort = new AbortController();
    searchAbort = abort;
    try {
      const url = new URL('portal/api/search', base);
      url.searchParams.set('q', q);
      url.searchParams.set('visitor', saved.visitorId);
      const res = await fetch(url.href, { signal: abort.signal });
      if (!res.ok) return;
      const body = (await res.json()) as { articles?: Article[] };
      const articles = Array.isArray(body.articles) ? body.articles.filter((a) => typeof a.title === 'string' && typeof a.url === 'string').slice(0, 3) : [];
      if (abort.signal.aborted || saved.conversationId !== null || saved.pending.length > 0) return;
      suggestList.replaceChildren(
        ...articles.map((a) => {
          const link = new URL(a.url.replace(/^\//, ''), base);
          if (!link.searchParams.has('visitor')) link.searchParams.set('visitor', saved.visitorId);
          return h('li', {}, h('a', { href: link.href, target: '_blank', rel: 'noopener' }, a.title), a.snippet ? h('span', {}, a.snippet) : null);
        }),
      );
      suggest.hidden = articles.length === 0;
      scrollDown();
    } catch {
      /* no portal, or the visitor kept typing: no suggestions */
    }
  }

  async function upload(file: File): Promise<void> {
    showError('');
    const chip = h('span', { class: 'chip' }, `Uploading ${file.name}…`);
    chips.append(chip);
    try {
      const form = new FormData();
      form.append('visitorId', saved.visitorId);
      form.append('file', file, file.name);
      const res = await fetch(new URL(`widget/upload?org=${encodeURIComponent(org)}`, base).href, { method: 'POST', body: form });
      const body = (await res.json()) as Partial<UploadResult> & { error?: { message: string } };
      if (!res.ok || !body.upload) throw new Error(body.error?.message ?? 'The file could not be sent.');
      const up = body.upload;
      staged.push({ id: up.id, name: up.name });
      const remove = h('button', { type: 'button', 'aria-label': `Remove ${up.name}` }, '×');
      remove.addEventListener('click', () => {
        staged = staged.filter((s) => s.id !== up.id);
        chip.remove();
      });
      chip.replaceChildren(`📄 ${up.name} (${sizeLabel(up.size)})`, remove);
    } catch (e) {
      chip.remove();
      showError(e instanceof Error && e.message ? e.message : 'The file could not be sent. Please try again.');
    }
  }

  // ---- events
  launcher.addEventListener('click', () => (isOpen() ? close() : open()));
  closeBtn.addEventListener('click', close);
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') close();
  });
  composer.addEventListener('submit', (e) => {
    e.preventDefault();
    submitMessage();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submitMessage();
    }
  });
  input.addEventListener('input', () => {
    autosize();
    if (saved.conversationId !== null) {
      if (!typingSent) typingSent = send({ t: 'typing', typing: true });
      clearTimeout(typingTimer);
      typingTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
      return;
    }
    clearTimeout(searchTimer);
    const q = input.value.trim();
    if (q.length < 3) {
      hideSuggestions();
      return;
    }
    searchTimer = setTimeout(() => void searchArticles(q), SEARCH_DEBOUNCE_MS);
  });
  attachBtn.addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    fileInput.value = '';
    if (file) void upload(file);
  });
  csat.addEventListener('submit', (e) => {
    e.preventDefault();
    if (rating < 1) return;
    csatSubmit.disabled = true;
    send({ t: 'csat', rating, comment: csatComment.value.trim() || null });
  });
  offline.addEventListener('submit', (e) => {
    e.preventDefault();
    showError('');
    offlineClientId = randomKey();
    offSubmit.disabled = true;
    if (!send({ t: 'leaveMessage', clientId: offlineClientId, name: offName.value, email: offEmail.value, text: offText.value })) {
      offSubmit.disabled = false;
      showError('We are not connected right now. Please try again in a moment.');
    }
  });

  // Show the unsent messages and, for a known conversation, connect now to show its history.
  for (const p of saved.pending) renderPending(p);
  if (saved.conversationId !== null || saved.pending.length > 0) connect();
}

(() => {
  if (window.__omniWidgetLoaded) return;
  const script = document.currentScript ?? document.querySelector('script[src*="widget.js"][data-org]');
  if (!(script instanceof HTMLScriptElement) || !script.dataset.org) return;
  window.__omniWidgetLoaded = true;
  if (document.body) start(script);
  else document.addEventListener('DOMContentLoaded', () => start(script), { once: true });
})();
