import { channelConfigRequests } from '../../src/shared/contractChannelConfig';
import { handoffRequests } from '../../src/shared/contractHandoff';
import { describe, expect, it } from 'vitest';
import { createApi, createDispatcher, RpcError, type Handlers, type RpcTransport } from '../../src/shared/rpc';
import { AppError } from '../../src/shared/errors';
import { say } from '../../src/shared/serverErrors';
import { hubRequests } from '../../src/shared/contractHub';
import { privacyRequests } from '../../src/shared/contractPrivacy';
import { composerRequests } from '../../src/shared/contractComposer';
import { kbRequests } from '../../src/shared/contractKb';
import { caseActionsRequests } from '../../src/shared/contractCaseActions';
import { supervisorRequests } from '../../src/shared/contractSupervisor';
import { desktopRequests } from '../../src/shared/contractDesktop';
import { voiceRequests } from '../../src/shared/contractVoice';

/** The hub's requests answer "not connected" here; their own tests run against a real hub. */
const offlineHub = Object.fromEntries(
  Object.keys(hubRequests).map((name) => [
    name,
    () => {
      throw new AppError('hub/offline', 'Not connected to the hub.');
    },
  ]),
) as unknown as Pick<Handlers, keyof typeof hubRequests>;

const agent = { id: 1, name: 'Alex Morgan', email: 'alex@support.example', role: 'admin' as const, tier: 2, seniority: 'senior' as const };

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  return {
    appInfo: () => ({ name: 'Omni Desk', version: '0.1.0', mode: 'headless', dataFile: '/tmp/x.sqlite', agent }),
    queueSnapshot: () => ({ items: [], total: 0, at: 1 }),
    customerTimeline: () => ({ events: [], older: null }),
    customerProfile: () => {
      throw new AppError('not-found', 'Customer 9 does not exist.');
    },
    caseInsights: ({ caseId }) => ({ caseId, sla: [], suggestion: null }),
    search: () => ({ hits: [], order: 'relevance', notSearchable: [] }),
    sendReply: () => {
      throw new Error('disk on fire');
    },
    retryReply: ({ eventId }) => {
      throw new AppError('not-found', `Event ${eventId} has no outgoing message to retry.`);
    },
    resolveCase: ({ caseId }) => {
      throw new AppError('not-found', `Case #${caseId} does not exist.`);
    },
    mailAccounts: () => ({ accounts: [] }),
    saveMailAccount: () => {
      throw new AppError('not-found', 'not in this test');
    },
    deleteMailAccount: () => ({ deleted: false }),
    emailContent: () => null,
    quarantinedMail: () => ({ total: 0, messages: [] }),
    allowRemoteContent: ({ sender }) => ({ sender }),
    ...offlineHub,
    ...(Object.fromEntries(Object.keys(privacyRequests).map((name) => [name, () => { throw new AppError('rpc/forbidden', 'not in this test'); }])) as unknown as Pick<Handlers, keyof typeof privacyRequests>),
    ...(Object.fromEntries(Object.keys(composerRequests).map((name) => [name, () => { throw new AppError('not-found', 'not in this test'); }])) as unknown as Pick<Handlers, keyof typeof composerRequests>),
    ...(Object.fromEntries(Object.keys(kbRequests).map((name) => [name, () => { throw new AppError('not-found', 'not in this test'); }])) as unknown as Pick<Handlers, keyof typeof kbRequests>),
    ...(Object.fromEntries(Object.keys(caseActionsRequests).map((name) => [name, () => { throw new AppError('not-found', 'not in this test'); }])) as unknown as Pick<Handlers, keyof typeof caseActionsRequests>),
    ...(Object.fromEntries(Object.keys(supervisorRequests).map((name) => [name, () => { throw new AppError('rpc/forbidden', 'not in this test'); }])) as unknown as Pick<Handlers, keyof typeof supervisorRequests>),
    ...(Object.fromEntries(Object.keys(desktopRequests).map((name) => [name, () => { throw new AppError('not-found', 'not in this test'); }])) as unknown as Pick<Handlers, keyof typeof desktopRequests>),
    ...(Object.fromEntries(Object.keys(voiceRequests).map((name) => [name, () => { throw new AppError('hub/offline', 'not in this test'); }])) as unknown as Pick<Handlers, keyof typeof voiceRequests>),
    ...(Object.fromEntries(Object.keys(channelConfigRequests).map((name) => [name, () => { throw new AppError('rpc/forbidden', 'not in this test'); }])) as unknown as Pick<Handlers, keyof typeof channelConfigRequests>),
    ...(Object.fromEntries(Object.keys(handoffRequests).map((name) => [name, () => { throw new AppError('rpc/forbidden', 'not in this test'); }])) as unknown as Pick<Handlers, keyof typeof handoffRequests>),
    ...overrides,
  };
}

describe('the contract dispatcher', () => {
  const quiet = { error: () => {} };

  it('answers a valid call with the handler output', async () => {
    const dispatch = createDispatcher(handlers(), quiet);
    const result = await dispatch('appInfo', {}, { transport: 'direct' });
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ name: 'Omni Desk', mode: 'headless' }) });
  });

  it('refuses a method that is not in the contract', async () => {
    const result = await createDispatcher(handlers(), quiet)('dropTables', {}, { transport: 'direct' });
    expect(result).toEqual({ ok: false, error: { code: 'rpc/unknown-method', message: expect.stringContaining('dropTables') } });
  });

  it('refuses inherited object keys posing as methods', async () => {
    const result = await createDispatcher(handlers(), quiet)('constructor', {}, { transport: 'direct' });
    expect(result.ok).toBe(false);
  });

  it('refuses an invalid payload before the handler runs and says which field is wrong', async () => {
    let called = false;
    const dispatch = createDispatcher(handlers({ customerTimeline: () => ((called = true), { events: [], older: null }) }), quiet);
    const result = await dispatch('customerTimeline', { customerId: -4 }, { transport: 'direct' });
    expect(called).toBe(false);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('rpc/invalid-input');
      expect(result.error.message).toContain('customerId');
    }
  });

  it('refuses unknown extra fields (strict inputs)', async () => {
    const result = await createDispatcher(handlers(), quiet)('customerProfile', { customerId: 1, sql: 'x' }, { transport: 'direct' });
    expect(result.ok).toBe(false);
  });

  it('applies input defaults before the handler sees them', async () => {
    let seen: unknown;
    const dispatch = createDispatcher(handlers({ customerTimeline: (input) => ((seen = input), { events: [], older: null }) }), quiet);
    await dispatch('customerTimeline', { customerId: 3 }, { transport: 'direct' });
    expect(seen).toEqual({ customerId: 3, limit: 100 });
  });

  it('passes an AppError through as its code and sentence', async () => {
    const result = await createDispatcher(handlers(), quiet)('customerProfile', { customerId: 9 }, { transport: 'direct' });
    expect(result).toEqual({ ok: false, error: { code: 'not-found', message: 'Customer 9 does not exist.' } });
  });

  it('hides an unexpected error behind a generic sentence and logs it', async () => {
    const logged: string[] = [];
    const dispatch = createDispatcher(handlers(), { error: (m) => logged.push(m) });
    const result = await dispatch('sendReply', { caseId: 1, channel: 'email', body: 'Hi', idempotencyKey: 'abcdefgh' }, { transport: 'direct' });
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: 'sendReply failed unexpectedly; the details are in the log.', key: 'internal', params: { method: 'sendReply' } } });
    expect(logged).toEqual(['sendReply failed']);
  });

  it('refuses output that breaks the contract instead of passing it on', async () => {
    const dispatch = createDispatcher(handlers({ queueSnapshot: () => ({ items: [{ caseId: 'x' }], total: 1, at: 1 }) as never }), quiet);
    const result = await dispatch('queueSnapshot', {}, { transport: 'direct' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('rpc/invalid-output');
  });
});

describe('the generated API', () => {
  function loopback(h: Handlers): RpcTransport & { sent: string[]; fire(name: string, payload: unknown): void } {
    const dispatch = createDispatcher(h, { error: () => {} });
    const listeners = new Set<(name: string, payload: unknown) => void>();
    const sent: string[] = [];
    return {
      sent,
      invoke: (method, input) => (sent.push(method), dispatch(method, input, { transport: 'direct' })),
      subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
      fire: (name, payload) => listeners.forEach((l) => l(name, payload)),
    };
  }

  it('has one method per request of the contract and returns validated output', async () => {
    const api = createApi(loopback(handlers()));
    await expect(api.appInfo({})).resolves.toMatchObject({ agent: { name: 'Alex Morgan' } });
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('rejects invalid input locally without touching the transport', async () => {
    const transport = loopback(handlers());
    const api = createApi(transport);
    await expect(api.sendReply({ caseId: 1, channel: 'email', body: '   ', idempotencyKey: 'abcdefgh' })).rejects.toThrow(/empty/);
    expect(transport.sent).toEqual([]);
  });

  it('turns an error result into an RpcError with the code and sentence', async () => {
    const api = createApi(loopback(handlers()));
    const error = await api.customerProfile({ customerId: 9 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ code: 'not-found', message: 'Customer 9 does not exist.' });
  });

  it('carries the sentence\'s catalog key and params across the wire next to the English sentence', async () => {
    const refused = handlers({
      stageAttachmentStart: ({ name }) => {
        throw new AppError('composer/attachment-refused', say('attachmentDangerousExtension', { name, ext: 'exe' }));
      },
    });
    const dispatch = createDispatcher(refused, { error: () => {} });
    // Through JSON, as both transports carry it.
    const api = createApi({ invoke: async (method, input) => JSON.parse(JSON.stringify(await dispatch(method, input, { transport: 'direct' }))), subscribe: () => () => {} });
    const error = await api.stageAttachmentStart({ name: 'setup.exe', size: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({
      code: 'composer/attachment-refused',
      message: '“setup.exe” is a .exe file, which can run programs when opened; such files are not sent. Put it in a shared folder and send the link instead.',
      key: 'attachmentDangerousExtension',
      params: { name: 'setup.exe', ext: 'exe' },
    });
  });

  it('keeps the sentence of an error without a key, or with a key and params it cannot read', async () => {
    const plain = createApi({ invoke: async () => ({ ok: false, error: { code: 'hub/refused', message: 'An older hub said no.' } }), subscribe: () => () => {} });
    const old = await plain.appInfo({}).catch((e: unknown) => e);
    expect(old).toMatchObject({ code: 'hub/refused', message: 'An older hub said no.' });
    expect((old as RpcError).key).toBeUndefined();
    const odd = createApi({ invoke: async () => ({ ok: false, error: { code: 'hub/refused', message: 'Refused.', key: 'linkSelf', params: { x: { nested: true } } } }), subscribe: () => () => {} });
    const broken = await odd.appInfo({}).catch((e: unknown) => e);
    expect(broken).toMatchObject({ code: 'hub/refused', message: 'Refused.' });
    expect((broken as RpcError).key).toBeUndefined();
  });

  it('resolves a case by id, and names an unknown case in the error', async () => {
    const api = createApi(loopback(handlers({ resolveCase: ({ caseId }) => ({ caseId, status: 'resolved', resolvedAt: 10, changed: true }) })));
    await expect(api.resolveCase({ caseId: 4 })).resolves.toEqual({ caseId: 4, status: 'resolved', resolvedAt: 10, changed: true });
    await expect(createApi(loopback(handlers())).resolveCase({ caseId: 77 })).rejects.toMatchObject({ code: 'not-found', message: 'Case #77 does not exist.' });
    await expect(api.resolveCase({ caseId: 0 })).rejects.toMatchObject({ code: 'rpc/invalid-input' });
  });

  it('fills in the archive-on-resolve defaults of a new mailbox and refuses a folder name with wildcards', async () => {
    let saved: unknown;
    const view = { id: 1, name: 'Help', address: 'help@example.com', imap: { host: 'imap.example.com', port: 993, tls: 'tls' as const }, smtp: null, username: 'help', auth: 'password' as const, syncDays: 90, sentCopy: 'append' as const, archiveOnResolve: true, archiveFolder: 'Archive', archiveProblem: null, status: 'new' as const, statusDetail: null, progress: { done: 0, total: 0 }, connected: false, lastConnectedAt: null, hasSecret: true };
    const api = createApi(loopback(handlers({ saveMailAccount: (input) => ((saved = input), view) })));
    const input = { name: 'Help', address: 'help@example.com', imap: { host: 'imap.example.com', port: 993, tls: 'tls' as const }, username: 'help', secret: 'pw' };
    await api.saveMailAccount(input);
    expect(saved).toMatchObject({ archiveOnResolve: true, archiveFolder: 'Archive' });
    await expect(api.saveMailAccount({ ...input, archiveFolder: 'Done*' })).rejects.toThrow(/cannot contain \* or %/);
    await expect(api.saveMailAccount({ ...input, archiveFolder: '  ' })).rejects.toThrow(/Enter the folder name/);
  });

  it('rejects a reply that is not an envelope', async () => {
    const api = createApi({ invoke: async () => 'garbage', subscribe: () => () => {} });
    await expect(api.appInfo({})).rejects.toMatchObject({ code: 'rpc/transport' });
  });

  it('delivers only valid events of the subscribed name', () => {
    const transport = loopback(handlers());
    const api = createApi(transport);
    const seen: unknown[] = [];
    const off = api.on('queueChanged', (p) => seen.push(p));
    const warn = console.warn;
    console.warn = () => {};
    try {
      transport.fire('queueChanged', { at: 5 });
      transport.fire('queueChanged', { at: 'soon' });
      transport.fire('connectionChanged', { state: 'online', detail: '' });
      off();
      transport.fire('queueChanged', { at: 6 });
    } finally {
      console.warn = warn;
    }
    expect(seen).toEqual([{ at: 5 }]);
  });
});
