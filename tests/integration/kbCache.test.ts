// The knowledge base in the composer on a real SQLite file: the portal's articles are cached from
// the kb/ folder and searched offline with FTS5 (after the store is closed and opened again), and
// every article used in a reply is recorded for the metrics.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKbService } from '../../src/main/kb/kbService';
import { openDatabase, type Db } from '../../src/main/store/database';
import { Repository } from '../../src/main/store/repository';
import type { CallContext } from '../../src/shared/rpc';
import { tempDir } from '../helpers/tempDir';

const T0 = Date.UTC(2026, 0, 10, 14, 0);
const ctx: CallContext = { transport: 'direct' };
const REPO_KB = path.resolve(__dirname, '../../kb');

function seedCase(repo: Repository): { caseId: number; agentId: number } {
  return repo.transaction(() => {
    const agentId = repo.insertAgent({ name: 'Alex Morgan', email: 'alex@support.example', role: 'admin', tier: 2, seniority: 'senior', skills: {}, channels: {}, languages: ['en'], capacity: {}, presence: 'available', createdAt: T0 });
    const customerId = repo.insertCustomer({
      name: 'Jane Smith',
      company: null,
      title: null,
      tier: 'standard',
      vip: false,
      healthScore: null,
      language: 'en',
      timezone: null,
      preferredChannel: 'chat',
      createdAt: T0,
      identities: [{ kind: 'email', value: 'jane@acme.example', display: 'jane@acme.example', verified: true, source: 'email', firstSeenAt: T0, lastSeenAt: T0 }],
    });
    const caseId = repo.insertCase({
      customerId,
      subject: 'Money back?',
      status: 'open',
      priority: 'normal',
      issueType: 'billing',
      channel: 'chat',
      originChannel: 'chat',
      assignedAgentId: null,
      createdAt: T0,
      updatedAt: T0,
      waitingSince: T0,
      firstResponseAt: null,
      slaDueAt: null,
      resolvedAt: null,
      resolutionCode: null,
      csatScore: null,
    });
    return { caseId, agentId };
  });
}

describe('the knowledge-base cache on a real SQLite file', () => {
  let tmp: ReturnType<typeof tempDir>;
  let file: string;
  let db: Db | undefined;
  let clock = T0 + 60_000;
  let hubUrl: string | null = null;

  const open = (kbDir: string | null = REPO_KB, agentId = 1) => {
    db = openDatabase(file);
    const repo = new Repository(db);
    const service = createKbService({ db, repo, now: () => clock, agentId, kbDir, hubUrl: () => hubUrl });
    return { repo, service, h: service.handlers };
  };

  beforeEach(() => {
    tmp = tempDir();
    file = path.join(tmp.dir, 'omni-desk.sqlite');
    clock = T0 + 60_000;
    hubUrl = null;
  });
  afterEach(() => {
    db?.close();
    db = undefined;
    tmp.remove();
  });

  it('finds the refund article by a word prefix, offline, after the store is closed and opened without the folder', async () => {
    const first = open();
    const seeded = await first.h.kbSearch({ query: '', limit: 50 }, ctx);
    const files = fs.readdirSync(REPO_KB).filter((f) => f.endsWith('.md') && f !== 'README.md');
    expect(seeded.cached).toBe(files.length);
    db!.close();

    // No folder and no hub: the cache in the file is all there is.
    const { h } = open(null);
    const result = await h.kbSearch({ query: 'refu', limit: 8 }, ctx);
    expect(result.articles[0]).toMatchObject({ slug: 'refunds', title: 'Requesting a refund', url: null });
    expect(result.articles[0]!.summary).toMatch(/refunded/);
    expect(result.articles.every((a) => a.snippet.length > 0)).toBe(true);
  });

  it('ranks a title match above a body mention, and falls back to any word when no article has them all', async () => {
    const { h } = open();
    const password = await h.kbSearch({ query: 'reset password', limit: 8 }, ctx);
    expect(password.articles[0]!.slug).toBe('reset-password');
    const anyWord = await h.kbSearch({ query: 'password zzzunknownword', limit: 8 }, ctx);
    expect(anyWord.articles.map((a) => a.slug)).toContain('reset-password');
    const nothing = await h.kbSearch({ query: 'qqqxxyy', limit: 8 }, ctx);
    expect(nothing.articles).toEqual([]);
  });

  it('treats what the agent types as words, never as search syntax', async () => {
    const { h } = open();
    for (const query of ['"', 'refund*', 'NEAR(', 'title:refund', '-- OR AND']) {
      await expect(Promise.resolve(h.kbSearch({ query, limit: 5 }, ctx))).resolves.toHaveProperty('articles');
    }
  });

  it('re-reads the folder only when a file changed, and an edited article is found by its new words', async () => {
    const dir = path.join(tmp.dir, 'kb');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'gift-cards.md'), '---\ntitle: Gift cards\nsummary: How to redeem one.\nupdated: 2026-01-01\n---\nRedeem at checkout.\n');
    fs.writeFileSync(path.join(dir, 'broken.md'), 'no front matter here');
    const first = open(dir);
    expect(first.service.syncFromFolder()).toBe(false);
    expect((await first.h.kbSearch({ query: 'redeem', limit: 5 }, ctx)).articles.map((a) => a.slug)).toEqual(['gift-cards']);
    fs.writeFileSync(path.join(dir, 'gift-cards.md'), '---\ntitle: Gift cards\nupdated: 2026-02-01\n---\nBalances expire after five years.\n');
    expect(first.service.syncFromFolder()).toBe(true);
    expect((await first.h.kbSearch({ query: 'balances', limit: 5 }, ctx)).articles.map((a) => a.slug)).toEqual(['gift-cards']);
    expect((await first.h.kbSearch({ query: 'redeem', limit: 5 }, ctx)).articles).toEqual([]);
  });

  it('inserting a link or a summary records the article, case, agent and time, and kbUsage counts them', async () => {
    const first = open();
    const { caseId, agentId } = seedCase(first.repo);
    db!.close();
    hubUrl = 'ws://127.0.0.1:4455/agent';
    const { h } = open(REPO_KB, agentId);

    const link = await h.kbUse({ slug: 'refunds', caseId, kind: 'link' }, ctx);
    expect(link.text).toBe('Requesting a refund: http://127.0.0.1:4455/portal/articles/refunds');
    clock += 1000;
    const summary = await h.kbUse({ slug: 'refunds', caseId, kind: 'summary' }, ctx);
    expect(summary.text).toMatch(/^Which purchases can be refunded.*\n\nMore in “Requesting a refund”: http:\/\/127\.0\.0\.1:4455\/portal\/articles\/refunds$/s);
    clock += 1000;
    await h.kbUse({ slug: 'reset-password', caseId, kind: 'summary' }, ctx);

    const usage = await h.kbUsage({}, ctx);
    expect(usage.total).toBe(3);
    expect(usage.articles[0]).toEqual({ slug: 'refunds', title: 'Requesting a refund', uses: 2, links: 1, summaries: 1, cases: 1, agents: 1, lastUsedAt: T0 + 61_000 });
    expect((await h.kbUsage({ from: T0 + 61_500 }, ctx)).articles.map((a) => a.slug)).toEqual(['reset-password']);

    // The hub goes away: the last portal address seen is still used for links.
    hubUrl = null;
    expect((await h.kbSearch({ query: 'refund', limit: 1 }, ctx)).articles[0]!.url).toBe('http://127.0.0.1:4455/portal/articles/refunds');
  });

  it('refuses a link before any portal address is known, an unknown article and an unknown case, recording nothing', async () => {
    const first = open();
    const { caseId, agentId } = seedCase(first.repo);
    db!.close();
    const { h } = open(REPO_KB, agentId);
    expect(() => h.kbUse({ slug: 'refunds', caseId, kind: 'link' }, ctx)).toThrow(expect.objectContaining({ code: 'kb/no-portal-address' }));
    expect(() => h.kbUse({ slug: 'no-such-article', caseId, kind: 'summary' }, ctx)).toThrow(expect.objectContaining({ code: 'not-found' }));
    expect(() => h.kbUse({ slug: 'refunds', caseId: caseId + 99, kind: 'summary' }, ctx)).toThrow(expect.objectContaining({ code: 'not-found' }));
    expect((await h.kbUsage({}, ctx)).total).toBe(0);
    expect((await h.kbUse({ slug: 'refunds', caseId, kind: 'summary' }, ctx)).text).not.toMatch(/http/);
  });
});
