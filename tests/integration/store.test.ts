import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPLICATION_ID, LATEST_SCHEMA_VERSION, openDatabase, schemaVersion, type Db } from '../../src/main/store/database';
import { MIGRATIONS } from '../../src/main/store/migrations';
import { Repository, RELEVANCE_RANK_LIMIT, searchWords, toFtsQuery } from '../../src/main/store/repository';
import { tempDir } from '../helpers/tempDir';

const T0 = Date.UTC(2026, 0, 10, 14, 0);
const agent = { id: 1, name: 'Alex Morgan', email: 'alex@support.example', role: 'admin' as const, tier: 2, seniority: 'senior' as const };

function seedSmall(repo: Repository): { customerId: number; caseId: number } {
  return repo.transaction(() => {
    repo.insertAgent({ ...agent, skills: {}, channels: {}, languages: ['en'], capacity: {}, presence: 'available', createdAt: T0 });
    const customerId = repo.insertCustomer({
      name: 'Jane Smith',
      company: 'Acme Corp',
      title: 'VP Operations',
      tier: 'enterprise',
      vip: true,
      healthScore: 64,
      language: 'en',
      timezone: 'America/New_York',
      preferredChannel: 'email',
      createdAt: T0 - 86_400_000,
      identities: [{ kind: 'email', value: 'jane.smith@acme.example', display: 'jane.smith@acme.example', verified: true, source: 'email', firstSeenAt: T0, lastSeenAt: T0 }],
    });
    const caseId = repo.insertCase({
      customerId,
      subject: 'API timeouts on /v2/orders',
      status: 'open',
      priority: 'urgent',
      issueType: 'technical',
      channel: 'chat',
      originChannel: 'email',
      assignedAgentId: null,
      createdAt: T0,
      updatedAt: T0,
      waitingSince: T0 + 5 * 86_400_000,
      firstResponseAt: null,
      slaDueAt: T0 + 5 * 86_400_000 + 120_000,
      resolvedAt: null,
      resolutionCode: null,
      csatScore: null,
    });
    const base = { caseId, customerId, kind: 'message' as const, authorId: null, metadata: {} };
    repo.insertEvent({ ...base, channel: 'email', direction: 'in', authorType: 'customer', authorName: 'Jane Smith', subject: 'API timeouts on /v2/orders', body: 'We see 504 gateway timeouts from the orders API since your deploy.', occurredAt: T0 });
    repo.insertEvent({ ...base, channel: 'email', direction: 'out', authorType: 'agent', authorName: 'Alex Morgan', subject: 'Re: API timeouts on /v2/orders', body: 'Thanks Jane, we are looking into the timeouts.', occurredAt: T0 + 3_600_000 });
    repo.insertEvent({ ...base, channel: 'chat', direction: 'in', authorType: 'customer', authorName: 'Jane Smith', subject: null, body: 'This is urgent: checkout is failing.', occurredAt: T0 + 5 * 86_400_000 });
    repo.insertEvent({ ...base, channel: 'chat', direction: 'internal', kind: 'note', authorType: 'agent', authorName: 'Alex Morgan', subject: null, body: 'Escalate to the platform team if the gateway logs show saturation.', occurredAt: T0 + 5 * 86_400_000 + 1000 });
    repo.insertCustomerNote({ customerId, authorAgentId: 1, body: 'Key account; escalate API incidents to tier 2.', createdAt: T0 });
    return { customerId, caseId };
  });
}

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

describe('the local store on a real SQLite file', () => {
  let tmp: ReturnType<typeof tempDir>;
  let file: string;
  let db: Db | undefined;
  beforeEach(() => {
    tmp = tempDir();
    file = path.join(tmp.dir, 'omni-desk.sqlite');
  });
  afterEach(() => {
    db?.close();
    db = undefined;
    tmp.remove();
  });

  it('creates the latest schema from an empty file, in WAL mode with explicit synchronous FULL', () => {
    db = openDatabase(file);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name);
    for (const t of ['customers', 'identities', 'agents', 'cases', 'events', 'customer_notes', 'outbox', 'settings', 'events_fts', 'notes_fts']) {
      expect(tables).toContain(t);
    }
  });

  it('upgrades a file of the previous schema version and indexes the rows it already had', () => {
    // The migration before the last (numbers may leave gaps: each feature area has its own).
    const previous = MIGRATIONS[MIGRATIONS.length - 2]!.version;
    const v1 = openDatabase(file, { targetVersion: previous });
    expect(schemaVersion(v1)).toBe(previous);
    const { customerId } = seedSmall(new Repository(v1));
    v1.close();

    db = openDatabase(file);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    const repo = new Repository(db);
    expect(repo.counts()).toMatchObject({ customers: 1, cases: 1, events: 4 });
    const { hits } = repo.search('gateway', 10);
    expect(hits.map((h) => h.customerId)).toEqual([customerId, customerId]);
  });

  it('refuses a file from a newer version with a clear error and leaves it byte for byte untouched', () => {
    const newer = new Database(file);
    newer.pragma(`application_id = ${APPLICATION_ID}`);
    newer.exec('CREATE TABLE future (x)');
    newer.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    newer.close();
    const before = sha256(file);

    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: 'store/newer-version', message: expect.stringMatching(/newer version of Omni Desk.*untouched/s) }));
    expect(sha256(file)).toBe(before);
    expect(fs.existsSync(file + '-wal')).toBe(false);
  });

  it('refuses a file that is not a database, and one from another program, without changing them', () => {
    fs.writeFileSync(file, 'From: someone\nThis is a mailbox, not a database.\n'.repeat(200));
    const before = sha256(file);
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: 'store/not-a-database' }));
    expect(sha256(file)).toBe(before);

    const other = path.join(tmp.dir, 'other.sqlite');
    const foreign = new Database(other);
    foreign.pragma('application_id = 1234');
    foreign.exec('CREATE TABLE t (x)');
    foreign.close();
    expect(() => openDatabase(other)).toThrow(expect.objectContaining({ code: 'store/not-a-database' }));
  });

  it('rolls a failing migration back entirely and keeps the file at its old version', () => {
    const v1 = openDatabase(file, { targetVersion: 1 });
    seedSmall(new Repository(v1));
    v1.close();
    const broken = [
      { version: 1, name: 'initial', sql: '' },
      { version: 2, name: 'half-broken', sql: 'CREATE TABLE half_done (x); INSERT INTO no_such_table VALUES (1);' },
    ];
    expect(() => openDatabase(file, { migrations: broken })).toThrow(expect.objectContaining({ code: 'store/migration-failed' }));
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(1);
    expect(check.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'half_done'`).get()).toEqual({ n: 0 });
    check.close();
  });

  it('stores identifiers in the identity engine\'s canonical form, and refuses ones that are not identifiers', () => {
    db = openDatabase(file);
    const repo = new Repository(db);
    const base = { company: null, title: null, tier: 'standard' as const, vip: false, healthScore: null, language: null, timezone: null, preferredChannel: null, createdAt: T0 };
    const seen = { verified: true, source: 'email', firstSeenAt: T0, lastSeenAt: T0 };
    const id = repo.insertCustomer({
      ...base,
      name: 'Sam Ortiz',
      identities: [
        { kind: 'email', value: ' Sam.Ortiz@Example.COM ', display: 'Sam Ortiz', ...seen },
        { kind: 'phone', value: '415/867 5310', display: '415/867 5310', ...seen },
        { kind: 'social', platform: 'x', value: '@SamOrtiz', display: '@SamOrtiz', ...seen },
      ],
    });
    expect(repo.customerProfile(id, T0).identities.map((i) => `${i.kind}:${i.platform}:${i.value}`).sort()).toEqual([
      'email::sam.ortiz@example.com',
      'phone::+14158675310',
      'social:x:samortiz',
    ]);
    expect(() => repo.insertCustomer({ ...base, name: 'Nobody', identities: [{ kind: 'email', value: 'not an address', display: 'x', ...seen }] })).toThrow(
      expect.objectContaining({ code: 'invalid-identifier' }),
    );
  });

  it('reads a customer timeline across channels in pages, oldest first within a page', () => {
    db = openDatabase(file);
    const repo = new Repository(db);
    const { customerId } = seedSmall(repo);
    const newest = repo.timelineForCustomer(customerId, undefined, 2);
    expect(newest.events.map((e) => e.channel)).toEqual(['chat', 'chat']);
    expect(newest.events[1]!.kind).toBe('note');
    expect(newest.older).not.toBeNull();
    const older = repo.timelineForCustomer(customerId, newest.older!, 2);
    expect(older.events.map((e) => [e.channel, e.direction])).toEqual([
      ['email', 'in'],
      ['email', 'out'],
    ]);
    expect(older.older).toBeNull();
  });

  it('builds the customer profile the sidebar shows', () => {
    db = openDatabase(file);
    const repo = new Repository(db);
    const { customerId, caseId } = seedSmall(repo);
    const profile = repo.customerProfile(customerId, T0 + 6 * 86_400_000);
    expect(profile).toMatchObject({ name: 'Jane Smith', company: 'Acme Corp', tier: 'enterprise', vip: true, healthScore: 64 });
    expect(profile.channelsUsed).toEqual([
      { channel: 'chat', count: 1 },
      { channel: 'email', count: 1 },
    ]);
    expect(profile.openCases.map((c) => c.id)).toEqual([caseId]);
    expect(profile.notes[0]).toMatchObject({ body: expect.stringContaining('Key account'), authorName: 'Alex Morgan' });
    expect(() => repo.customerProfile(999, T0)).toThrow(expect.objectContaining({ code: 'not-found' }));
  });

  it('finds messages and internal notes by full-text search, by word prefix, and survives query syntax', () => {
    db = openDatabase(file);
    const repo = new Repository(db);
    seedSmall(repo);
    expect(repo.search('saturation', 10).hits).toHaveLength(1);
    expect(repo.search('timeo', 10).hits.length).toBeGreaterThanOrEqual(2);
    expect(repo.search('checkout urgent', 10).hits[0]!.snippet).toContain('[urgent]');
    for (const nasty of ['"', 'AND OR NOT', 'a*b:c', "'; DROP TABLE events; --", 'NEAR(', '^']) {
      expect(() => repo.search(nasty, 10)).not.toThrow();
    }
    expect(toFtsQuery(searchWords('  '), true)).toBeNull();
    expect(toFtsQuery(searchWords('say "hi" now'), true)).toBe('"say" "hi" "now"*');
    expect(repo.search('ti', 10).hits).toEqual([]); // two letters match whole words only
  });

  it('lists a term with very many hits newest first instead of ranking all of them', () => {
    db = openDatabase(file);
    const repo = new Repository(db);
    const { customerId, caseId } = seedSmall(repo);
    repo.transaction(() => {
      for (let i = 0; i < RELEVANCE_RANK_LIMIT + 10; i++) {
        repo.insertEvent({ caseId, customerId, channel: 'sms', direction: 'in', kind: 'message', authorType: 'customer', authorId: null, authorName: 'Jane', subject: null, body: `refund request number ${i}`, occurredAt: T0 + i });
      }
    });
    const result = repo.search('refund', 5);
    expect(result.order).toBe('recency');
    expect(result.hits.map((h) => h.snippet)).toEqual([509, 508, 507, 506, 505].map((n) => expect.stringContaining(`number ${n}`)));
    expect(repo.search('saturation', 5).order).toBe('relevance');
  });

  it('imports in bulk all or nothing, and the search index and its triggers work afterwards', () => {
    db = openDatabase(file);
    const repo = new Repository(db);
    const triggers = () => db!.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name`).all();
    const before = triggers();
    expect(() =>
      repo.bulkLoad(() => {
        seedSmall(repo);
        throw new Error('power cut');
      }),
    ).toThrow('power cut');
    expect(repo.counts()).toMatchObject({ customers: 0, events: 0 });
    expect(triggers()).toEqual(before);

    const { customerId, caseId } = repo.bulkLoad(() => seedSmall(repo));
    expect(triggers()).toEqual(before);
    expect(repo.search('saturation', 5).hits).toHaveLength(1);
    repo.insertEvent({ caseId, customerId, channel: 'sms', direction: 'in', kind: 'message', authorType: 'customer', authorId: null, authorName: 'Jane', subject: null, body: 'Zebrafish arrived', occurredAt: T0 + 9e8 });
    expect(repo.search('zebrafish', 5).hits).toHaveLength(1);
  });

  it('stores a reply and its outbox row together, once per idempotency key', () => {
    db = openDatabase(file);
    const repo = new Repository(db);
    const { caseId } = seedSmall(repo);
    const first = repo.appendOutgoingMessage({ caseId, channel: 'chat', body: 'We are on it.', agent, idempotencyKey: 'reply-0001', now: T0 + 6e8 });
    const again = repo.appendOutgoingMessage({ caseId, channel: 'chat', body: 'We are on it.', agent, idempotencyKey: 'reply-0001', now: T0 + 6e8 + 5 });
    expect(again.id).toBe(first.id);
    expect(first).toMatchObject({ direction: 'out', delivery: 'queued', authorName: 'Alex Morgan' });
    expect(db.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 1 });
    expect(repo.activeQueue()).toEqual([]); // answered: the case waits on the customer now
    expect(() => repo.appendOutgoingMessage({ caseId: 424242, channel: 'chat', body: 'x', agent, idempotencyKey: 'reply-0002', now: T0 })).toThrow(
      expect.objectContaining({ code: 'not-found' }),
    );
    expect(db.prepare('SELECT count(*) AS n FROM events WHERE direction = ?').get('out')).toEqual({ n: 2 });
  });

  it('keeps a committed reply after the process dies without closing the database', () => {
    db = openDatabase(file);
    const repo = new Repository(db);
    const { caseId } = seedSmall(repo);
    repo.appendOutgoingMessage({ caseId, channel: 'email', body: 'Committed before the crash.', agent, idempotencyKey: 'reply-crash', now: T0 + 7e8 });
    // Simulate a crash: copy the main file and its WAL as they are on disk, without a checkpoint.
    const crashed = path.join(tmp.dir, 'crashed.sqlite');
    fs.copyFileSync(file, crashed);
    fs.copyFileSync(file + '-wal', crashed + '-wal');
    const reopened = openDatabase(crashed);
    const row = reopened.prepare(`SELECT o.status, e.body FROM outbox o JOIN events e ON e.id = o.event_id`).get();
    reopened.close();
    expect(row).toEqual({ status: 'queued', body: 'Committed before the crash.' });
  });
});
