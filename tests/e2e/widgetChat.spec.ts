// A website visitor chats through the real widget script on the hub's demo page, in Chromium,
// while an agent on a real WebSocket (agent protocol) accepts, types, replies and resolves.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { agentSession, startHub, type StartedHub } from '../helpers/hub';

/** A desktop's side of /agent, reduced to what this story needs; frames are kept as JSON. */
class Agent {
  private frames: Array<Record<string, unknown> & { t: string }> = [];
  private nextId = 1;
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => this.frames.push(JSON.parse(String(data)) as Record<string, unknown> & { t: string }));
  }
  static async connect(url: string, token: string): Promise<Agent> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/agent`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const agent = new Agent(ws);
    ws.send(JSON.stringify({ t: 'hello', token, resumeAfter: 0, protocol: 1 }));
    await agent.waitFor((f) => f.t === 'caughtUp', 'caughtUp');
    return agent;
  }
  async waitFor(match: (f: Record<string, unknown> & { t: string }) => boolean, what: string): Promise<Record<string, unknown>> {
    let found: Record<string, unknown> | undefined;
    await expect.poll(() => (found = this.frames.find(match)) !== undefined, { message: `the agent receives ${what}`, timeout: 20_000 }).toBe(true);
    return found!;
  }
  async event(type: string): Promise<Record<string, unknown>> {
    const f = await this.waitFor((x) => x.t === 'evt' && (x.event as { type: string }).type === type, `a ${type} event`);
    return f.event as Record<string, unknown>;
  }
  async call(req: Record<string, unknown>): Promise<unknown> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ t: 'req', id, req }));
    const res = await this.waitFor((f) => f.t === 'res' && f.id === id, `the answer to ${String(req.type)}`);
    if (!res.ok) throw new Error(`${String(req.type)} was refused: ${JSON.stringify(res.error)}`);
    return res.value;
  }
  close(): void {
    this.ws.terminate();
  }
}

let hub: StartedHub;

test.beforeAll(async () => {
  if (!fs.existsSync(path.resolve('dist/widget/widget.js'))) throw new Error('dist/widget/widget.js is missing: run `npm run build` before the end-to-end tests.');
  hub = await startHub();
});

test.afterAll(async () => {
  await hub?.close();
});

test('a visitor chats on the demo page, sees the agent reply, keeps the history after a reload and rates the chat', async ({ page }) => {
  const session = await agentSession(hub, { username: 'maya', displayName: 'Maya' });
  const agent = await Agent.connect(hub.url, session.token);
  try {
    await agent.call({ type: 'setPresence', presence: 'available', capacity: { chat: 3 } });

    await page.goto(`${hub.url}/widget/demo`);
    await page.getByRole('button', { name: 'Open chat' }).click();
    const panel = page.getByRole('dialog', { name: 'Chat with Fernhill Coffee' });
    await expect(panel).toBeVisible();
    await expect(panel.getByText('We typically reply in a few minutes')).toBeVisible();

    const box = panel.getByRole('textbox', { name: 'Message' });
    await expect(box).toBeFocused();
    await box.fill('Hi! Does the Morning Ridge come as whole beans?');
    await box.press('Enter');
    const log = panel.getByRole('log', { name: 'Messages' });
    await expect(log).toContainText('Hi! Does the Morning Ridge come as whole beans?');

    const offer = await agent.event('offer');
    await agent.call({ type: 'acceptOffer', offerId: offer.offerId });
    const conversationId = (offer.conversation as { id: number }).id;

    await agent.call({ type: 'typing', conversationId, typing: true, drafting: true });
    await expect(panel.getByText('Maya is typing…')).toBeVisible();
    await agent.call({ type: 'send', idempotencyKey: 'e2e-widget-reply-1', conversationId, text: 'It does! Choose "Whole bean" under grind size.' });
    await expect(log).toContainText('It does! Choose "Whole bean" under grind size.');
    await expect(log).toContainText('Maya');
    await expect(panel.getByText('Maya is typing…')).toBeHidden();

    fs.mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/widget-panel.png' });

    await page.reload();
    await page.getByRole('button', { name: /Open chat/ }).click();
    const again = page.getByRole('dialog', { name: 'Chat with Fernhill Coffee' }).getByRole('log', { name: 'Messages' });
    await expect(again).toContainText('Hi! Does the Morning Ridge come as whole beans?');
    await expect(again).toContainText('It does! Choose "Whole bean" under grind size.');

    await agent.call({ type: 'resolve', conversationId });
    const rate = page.getByRole('form', { name: 'Rate this chat' });
    await expect(rate.getByText('How was your chat?')).toBeVisible();
    await rate.getByRole('button', { name: '5 stars' }).click();
    await rate.getByRole('textbox', { name: 'Comment (optional)' }).fill('Fast and friendly');
    await page.screenshot({ path: 'test-results/widget-csat.png' });
    await rate.getByRole('button', { name: 'Send rating' }).click();
    await expect(page.getByText('Thanks for your feedback!')).toBeVisible();
    const csat = await agent.event('csat');
    expect(csat).toMatchObject({ conversationId, rating: 5, comment: 'Fast and friendly' });
  } finally {
    agent.close();
  }
});

test('before a chat starts, what the visitor types brings up help articles that credit the visitor', async ({ page }) => {
  await page.goto(`${hub.url}/widget/demo`);
  await page.getByRole('button', { name: 'Open chat' }).click();
  const panel = page.getByRole('dialog', { name: 'Chat with Fernhill Coffee' });
  await panel.getByRole('textbox', { name: 'Message' }).pressSequentially('how long does shipping take', { delay: 20 });
  const suggestions = panel.getByRole('region', { name: 'Suggested articles' });
  const first = suggestions.getByRole('link').first();
  await expect(first).toBeVisible({ timeout: 15_000 });
  const href = new URL((await first.getAttribute('href'))!);
  expect(href.origin).toBe(new URL(hub.url).origin);
  expect(href.pathname).toMatch(/^\/portal\/articles\//);
  const visitorId = await page.evaluate(() => (JSON.parse(localStorage.getItem('omni-widget:demo')!) as { visitorId: string }).visitorId);
  expect(href.searchParams.get('visitor')).toBe(visitorId);
  await page.screenshot({ path: 'test-results/widget-suggestions.png' });
});

test('outside chat hours the panel takes a message that becomes an email ticket', async ({ page }) => {
  const closed = await startHub({
    // A calendar with no open hours: always outside chat hours.
    config: { widget: { orgs: { demo: { name: 'Fernhill Coffee', businessHours: { id: 'chat', timeZone: 'UTC', weekly: {}, holidays: [] } } } } },
  });
  const tickets: { channel: string; email: string | null | undefined; text: string }[] = [];
  closed.hub.context.conversations.observe({ inbound: (c, _m, input) => tickets.push({ channel: c.channel, email: input.contact.email, text: input.text }) });
  try {
    await page.goto(`${closed.url}/widget/demo`);
    await page.getByRole('button', { name: 'Open chat' }).click();
    const form = page.getByRole('form', { name: 'Our team is offline. Leave a message' });
    await expect(form).toBeVisible();
    await form.getByRole('textbox', { name: 'Name' }).fill('Ann Lee');
    await form.getByRole('textbox', { name: 'Email' }).fill('ann@example.com');
    await form.getByRole('textbox', { name: 'Message' }).fill('Can I pause my subscription for a month?');
    await page.screenshot({ path: 'test-results/widget-offline.png' });
    await form.getByRole('button', { name: 'Send message' }).click();
    await expect(page.getByText('We will reply to ann@example.com soon.')).toBeVisible();
    expect(tickets).toEqual([{ channel: 'email', email: 'ann@example.com', text: 'Can I pause my subscription for a month?' }]);
  } finally {
    // Leave the page first: the hub waits for open visitor sockets when it stops.
    await page.goto('about:blank');
    await closed.close();
  }
});
