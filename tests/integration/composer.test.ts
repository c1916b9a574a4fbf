// The composer's service on a real SQLite file: drafts outlive the store being closed and opened
// again, macros render and act on the case, notes never make an outbox row, replies keep email fields.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createComposerService } from '../../src/main/composer/composerService';
import { openDatabase, type Db } from '../../src/main/store/database';
import { Repository } from '../../src/main/store/repository';
import type { CallContext } from '../../src/shared/rpc';
import type { EventName } from '../../src/shared/contract';
import { tempDir } from '../helpers/tempDir';

const T0 = Date.UTC(2026, 0, 10, 14, 0);
const ctx: CallContext = { transport: 'direct' };
const alex = { id: 1, name: 'Alex Morgan', email: 'alex@support.example', role: 'admin' as const, tier: 2, seniority: 'senior' as const };

function seed(repo: Repository): { caseId: number; customerId: number } {
  return repo.transaction(() => {
    const agentRow = { skills: {}, channels: {}, languages: ['en'], capacity: {}, presence: 'available', createdAt: T0 };
    repo.insertAgent({ ...alex, ...agentRow });
    repo.insertAgent({ name: 'Maya Chen', email: 'maya@support.example', role: 'agent', tier: 1, seniority: 'mid', ...agentRow });
    const customerId = repo.insertCustomer({
      name: 'Jane Smith',
      company: 'Acme Corp',
      title: null,
      tier: 'enterprise',
      vip: true,
      healthScore: null,
      language: 'en',
      timezone: null,
      preferredChannel: 'email',
      createdAt: T0,
      identities: [{ kind: 'email', value: 'jane@acme.example', display: 'jane@acme.example', verified: true, source: 'email', firstSeenAt: T0, lastSeenAt: T0 }],
    });
    const caseId = repo.insertCase({
      customerId,
      subject: 'API timeouts',
      status: 'open',
      priority: 'normal',
      issueType: 'technical',
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
    repo.insertEvent({ caseId, customerId, channel: 'chat', direction: 'in', kind: 'message', authorType: 'customer', authorId: null, authorName: 'Jane Smith', subject: null, body: 'Checkout fails.', occurredAt: T0 });
    return { caseId, customerId };
  });
}

describe('the composer on a real SQLite file', () => {
  let tmp: ReturnType<typeof tempDir>;
  let file: string;
  let db: Db | undefined;
  let clock = T0 + 60_000;
  const emitted: Array<{ name: EventName; payload: unknown }> = [];

  const open = () => {
    db = openDatabase(file);
    const repo = new Repository(db);
    const service = createComposerService({ db, repo, emit: (name, payload) => void emitted.push({ name, payload }), now: () => clock, agent: alex, seedMacros: true });
    return { repo, service, h: service.handlers };
  };

  beforeEach(() => {
    tmp = tempDir();
    file = path.join(tmp.dir, 'omni-desk.sqlite');
    emitted.length = 0;
    clock = T0 + 60_000;
  });
  afterEach(() => {
    db?.close();
    db = undefined;
    tmp.remove();
  });

  it('a draft survives closing and reopening the store, per case and channel, and an empty one is deleted', async () => {
    const logs = { sha256: 'a'.repeat(64), name: 'timeouts.log', contentType: 'text/plain', size: 2048 };
    const first = open();
    let h = first.h;
    const { caseId } = seed(first.repo);
    await h.saveDraft({ caseId, channel: 'email', mode: 'reply', body: 'Dear Jane, about the timeouts', subject: 'Re: API timeouts', cc: 'cto@acme.example', includeQuoted: true, mentions: [], pendingMacroIds: [], attachments: [logs] }, ctx);
    clock += 1000;
    await h.saveDraft({ caseId, channel: 'chat', mode: 'reply', body: 'Quick chat answer', subject: null, cc: '', includeQuoted: false, mentions: [], pendingMacroIds: [], attachments: [] }, ctx);
    db!.close();

    ({ h } = open());
    const { drafts } = await h.draft({ caseId }, ctx);
    expect(drafts.map((d) => [d.channel, d.body])).toEqual([
      ['chat', 'Quick chat answer'],
      ['email', 'Dear Jane, about the timeouts'],
    ]);
    expect(drafts[1]).toMatchObject({ subject: 'Re: API timeouts', cc: 'cto@acme.example', includeQuoted: true, attachments: [logs] });

    // Files alone keep a draft: the agent attached something and has not typed yet.
    await h.saveDraft({ caseId, channel: 'email', mode: 'reply', body: '', subject: null, cc: '', includeQuoted: false, mentions: [], pendingMacroIds: [], attachments: [logs] }, ctx);
    expect((await h.draft({ caseId }, ctx)).drafts.find((d) => d.channel === 'email')?.attachments).toEqual([logs]);

    await h.saveDraft({ caseId, channel: 'chat', mode: 'reply', body: '   ', subject: null, cc: '', includeQuoted: false, mentions: [], pendingMacroIds: [], attachments: [] }, ctx);
    expect((await h.draft({ caseId }, ctx)).drafts.map((d) => d.channel)).toEqual(['email']);
  });

  it('sending a reply clears the drafts of the case', async () => {
    const { repo, h } = open();
    const { caseId } = seed(repo);
    await h.saveDraft({ caseId, channel: 'chat', mode: 'reply', body: 'On it', subject: null, cc: '', includeQuoted: false, mentions: [], pendingMacroIds: [], attachments: [] }, ctx);
    await h.sendComposed({ caseId, channel: 'chat', body: 'On it', idempotencyKey: 'reply-key-0001', macroIds: [], attachments: [] }, ctx);
    expect((await h.draft({ caseId }, ctx)).drafts).toEqual([]);
  });

  it('the demo center starts with shared macros with hotkeys, once', async () => {
    let { h } = open();
    const first = (await h.macros({}, ctx)).macros;
    expect(first.length).toBeGreaterThanOrEqual(8);
    expect(first.every((m) => m.scope === 'shared')).toBe(true);
    expect(first.slice(0, 3).map((m) => m.hotkey)).toEqual([1, 2, 3]);
    db!.close();
    ({ h } = open());
    expect((await h.macros({}, ctx)).macros).toHaveLength(first.length);
  });

  it('a macro renders the case and customer, and its send actions run when the reply is sent', async () => {
    const { repo, service, h } = open();
    const { caseId } = seed(repo);
    const escalate = { title: 'Escalate', body: 'Hi {{customer.first_name}}, #{{case.id}} is with engineering. {{order.id}} – {{agent.name}}', scope: 'personal' as const, hotkey: 9, actions: [{ type: 'setPriority' as const, priority: 'urgent' as const }, { type: 'addTag' as const, tag: 'Engineering' }, { type: 'assignToMe' as const }], applyOn: 'send' as const };
    // An unknown variable is refused with the list of those that exist, and nothing is stored.
    const count = (await h.macros({}, ctx)).macros.length;
    expect(() => h.saveMacro(escalate, ctx)).toThrow(expect.objectContaining({ code: 'macro/unknown-variable', message: expect.stringMatching(/^Unknown variable \{\{order\.id\}\}\. A macro can use \{\{customer\.first_name\}\}/) }));
    // So is a hotkey another macro has (the starter "Greeting" is Alt+1).
    expect(() => h.saveMacro({ ...escalate, body: 'x', hotkey: 1 }, ctx)).toThrow(expect.objectContaining({ code: 'macro/hotkey-taken', message: expect.stringMatching(/^Alt\+1 is already the hotkey of “/) }));
    expect((await h.macros({}, ctx)).macros).toHaveLength(count);
    const macro = await h.saveMacro({ ...escalate, body: escalate.body.replace(' {{order.id}}', '') }, ctx);
    // A macro stored before the check (or by an older version) still renders, its unknown variable left visible.
    db!.prepare(`UPDATE macros SET body = ? WHERE id = ?`).run(escalate.body, macro.id);
    const applied = await h.applyMacro({ caseId, macroId: macro.id }, ctx);
    expect(applied).toEqual({ text: `Hi Jane, #${caseId} is with engineering. {{order.id}} – Alex Morgan`, unknown: ['order.id'], missing: [], applied: [], pendingOnSend: true });
    // Saving it again under its own hotkey is no conflict.
    expect((await h.saveMacro({ ...escalate, id: macro.id, body: 'Hi {{customer.first_name}}' }, ctx)).hotkey).toBe(9);
    // Nothing changed yet: the actions wait for the send.
    expect(db!.prepare(`SELECT priority, assigned_agent_id AS a FROM cases WHERE id = ?`).get(caseId)).toEqual({ priority: 'normal', a: null });

    await h.sendComposed({ caseId, channel: 'chat', body: applied.text, idempotencyKey: 'reply-key-0002', macroIds: [macro.id], attachments: [] }, ctx);
    expect(db!.prepare(`SELECT priority, assigned_agent_id AS a FROM cases WHERE id = ?`).get(caseId)).toEqual({ priority: 'urgent', a: 1 });
    expect(service.store.tags(caseId)).toEqual(['engineering']);
    // The same send again (a retry) stores one reply and does not run the actions twice.
    await h.sendComposed({ caseId, channel: 'chat', body: applied.text, idempotencyKey: 'reply-key-0002', macroIds: [macro.id], attachments: [] }, ctx);
    expect(db!.prepare(`SELECT count(*) FROM outbox`).pluck().get()).toBe(1);
  });

  it('a macro set to act on insert resolves the case at once and the timeline says so', async () => {
    const { repo, h } = open();
    const { caseId } = seed(repo);
    const macro = await h.saveMacro({ title: 'Close', body: 'Bye {{customer.name}}', scope: 'shared', hotkey: null, actions: [{ type: 'resolve' }], applyOn: 'insert' }, ctx);
    const applied = await h.applyMacro({ caseId, macroId: macro.id }, ctx);
    expect(applied.applied).toEqual(['Resolve']);
    expect(db!.prepare(`SELECT status FROM cases WHERE id = ?`).pluck().get(caseId)).toBe('resolved');
    expect(emitted.map((e) => e.name)).toEqual(['timelineAppended', 'queueChanged']);
  });

  it("another agent's personal macro is neither listed nor usable", async () => {
    const { repo, h } = open();
    const { caseId } = seed(repo);
    const id = Number(db!.prepare(`INSERT INTO macros (title, body, scope, owner_agent_id, created_at, updated_at) VALUES ('Maya only', 'x', 'personal', 2, 0, 0)`).run().lastInsertRowid);
    expect((await h.macros({}, ctx)).macros.map((m) => m.id)).not.toContain(id);
    expect(() => h.applyMacro({ caseId, macroId: id }, ctx)).toThrow(/does not exist/);
  });

  it('an internal note creates no outbox row, is stored as an internal note with its mentions, and tells the mentioned local agent', async () => {
    const { repo, h } = open();
    const { caseId } = seed(repo);
    const note = await h.addNote({ caseId, body: '@Alex Morgan @Maya Chen please check the gateway logs', mentions: [{ agentId: 1, name: 'Alex Morgan' }, { agentId: 2, name: 'Maya Chen' }, { agentId: 99, name: 'Ghost' }], idempotencyKey: 'note-key-0001' }, ctx);
    expect(note).toMatchObject({ kind: 'note', direction: 'internal', delivery: null, metadata: { mentions: [{ agentId: 1, name: 'Alex Morgan' }, { agentId: 2, name: 'Maya Chen' }] } });
    expect(db!.prepare(`SELECT count(*) FROM outbox`).pluck().get()).toBe(0);
    expect(emitted).toContainEqual({ name: 'mentioned', payload: { eventId: note.id, caseId, by: 'Alex Morgan' } });
    // Saved twice under the same key: one note.
    await h.addNote({ caseId, body: 'again', mentions: [], idempotencyKey: 'note-key-0001' }, ctx);
    expect(db!.prepare(`SELECT count(*) FROM events WHERE kind = 'note'`).pluck().get()).toBe(1);
    expect(repo.search('gateway', 10).hits.map((h) => h.eventId)).toContain(note.id);
  });

  it('an email reply keeps its edited subject and cc for the mail', async () => {
    const { repo, h } = open();
    const { caseId } = seed(repo);
    const event = await h.sendComposed({ caseId, channel: 'email', body: 'Details below.', idempotencyKey: 'reply-key-0003', subject: 'Re: API timeouts – findings', cc: ['cto@acme.example'], macroIds: [], attachments: [] }, ctx);
    expect(event).toMatchObject({ channel: 'email', subject: 'Re: API timeouts – findings', metadata: expect.objectContaining({ cc: ['cto@acme.example'] }), delivery: 'queued' });
    const payload = JSON.parse(db!.prepare(`SELECT payload FROM outbox WHERE event_id = ?`).pluck().get(event.id) as string) as Record<string, unknown>;
    expect(payload).toEqual({ body: 'Details below.', subject: 'Re: API timeouts – findings', cc: ['cto@acme.example'] });
  });

  it('a reply over the channel limit is refused with the reason', async () => {
    const { repo, h } = open();
    const { caseId } = seed(repo);
    await expect(h.sendComposed({ caseId, channel: 'instagram', body: 'a'.repeat(1001), idempotencyKey: 'reply-key-0004', macroIds: [], attachments: [] }, ctx)).rejects.toThrow(/at most 1,000/);
    expect(db!.prepare(`SELECT count(*) FROM outbox`).pluck().get()).toBe(0);
  });
});
