// The headless WebSocket transport, against a fake socket: calls matched to answers, events,
// reconnect with backoff, and calls failing with a sentence when the connection is not there.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApi, RpcError } from '../../src/shared/rpc';
import { backoffDelay, createWsTransport, type SocketLike, type TransportState, type WsTransportOptions } from '../../src/renderer/src/transport/wsTransport';

function fakeSocketClass() {
  const sockets: FakeSocket[] = [];
  class FakeSocket implements SocketLike {
    readyState = 0;
    onopen: SocketLike['onopen'] = null;
    onclose: SocketLike['onclose'] = null;
    onerror: SocketLike['onerror'] = null;
    onmessage: SocketLike['onmessage'] = null;
    sent: Array<{ t: string; id: number; method: string; input: unknown }> = [];
    constructor(readonly url: string) {
      sockets.push(this);
    }
    send(data: string) {
      if (this.readyState !== 1) throw new Error('not open');
      this.sent.push(JSON.parse(data));
    }
    close() {
      this.readyState = 3;
    }
    // what the server side does
    open() {
      this.readyState = 1;
      this.onopen?.({});
    }
    fail() {
      this.readyState = 3;
      this.onerror?.({});
      this.onclose?.({});
    }
    receive(frame: unknown) {
      this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
    }
    answer(id: number, value: unknown) {
      this.receive({ t: 'res', id, result: { ok: true, value } });
    }
  }
  return { FakeSocket, sockets };
}

function setup(overrides: Partial<WsTransportOptions> = {}) {
  const { FakeSocket, sockets } = fakeSocketClass();
  const transport = createWsTransport({
    url: 'ws://127.0.0.1:4900/api',
    WebSocketImpl: FakeSocket,
    initialDelayMs: 100,
    maxDelayMs: 1_000,
    connectWaitMs: 5_000,
    responseTimeoutMs: 0,
    random: () => 0.5,
    ...overrides,
  });
  const states: TransportState[] = [];
  transport.onState((s) => states.push(s));
  const last = () => sockets[sockets.length - 1]!;
  return { transport, sockets, last, states };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('the headless WebSocket transport', () => {
  it('connects to the given URL and sends a call made before the socket opened once it opens', async () => {
    const { transport, sockets, last } = setup();
    expect(sockets).toHaveLength(1);
    expect(last().url).toBe('ws://127.0.0.1:4900/api');
    expect(transport.state).toBe('connecting');

    const result = transport.invoke('appInfo', {});
    expect(last().sent).toHaveLength(0);
    last().open();
    expect(transport.state).toBe('online');
    expect(last().sent).toEqual([{ t: 'req', id: 1, method: 'appInfo', input: {} }]);

    last().answer(1, { hello: 'there' });
    await expect(result).resolves.toEqual({ ok: true, value: { hello: 'there' } });
  });

  it('matches answers to calls by id, in whatever order they come back', async () => {
    const { transport, last } = setup();
    last().open();
    const a = transport.invoke('queueSnapshot', { view: 'all' });
    const b = transport.invoke('customerProfile', { customerId: 7 });
    const [first, second] = last().sent;
    expect(first!.id).not.toBe(second!.id);
    last().answer(second!.id, 'profile');
    last().answer(first!.id, 'queue');
    await expect(a).resolves.toEqual({ ok: true, value: 'queue' });
    await expect(b).resolves.toEqual({ ok: true, value: 'profile' });
  });

  it('hands events to every subscriber and ignores frames that break the wire format', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { transport, last } = setup();
    last().open();
    const seen: Array<[string, unknown]> = [];
    const stop = transport.subscribe((name, payload) => seen.push([name, payload]));

    last().receive({ t: 'evt', name: 'queueChanged', payload: { at: 5 } });
    last().receive('not json');
    last().receive({ t: 'res', id: 'x' });
    last().receive({ t: 'evt' });
    last().answer(999, 'nobody asked');
    stop();
    last().receive({ t: 'evt', name: 'queueChanged', payload: { at: 6 } });

    expect(seen).toEqual([['queueChanged', { at: 5 }]]);
    expect(warn).toHaveBeenCalledTimes(3);
  });

  it('fails a call in flight with rpc/transport and a sentence when the socket drops', async () => {
    const { transport, last } = setup();
    last().open();
    const pending = transport.invoke('sendReply', { caseId: 1 });
    last().fail();
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe('rpc/transport');
    expect((error as RpcError).message).toMatch(/^The connection to Omni Desk dropped before it answered/);
    expect(transport.state).toBe('offline');
  });

  it('a call made while disconnected waits for the reconnect and is sent then', async () => {
    const { transport, sockets, last } = setup();
    last().open();
    last().fail();
    const pending = transport.invoke('appInfo', {});
    // The call skips the rest of the backoff and tries at once.
    expect(sockets).toHaveLength(2);
    last().open();
    expect(last().sent).toHaveLength(1);
    last().answer(last().sent[0]!.id, 1);
    await expect(pending).resolves.toEqual({ ok: true, value: 1 });
  });

  it('a call made while disconnected fails with a sentence once the wait runs out', async () => {
    const { transport, last } = setup({ connectWaitMs: 2_000 });
    last().fail();
    const pending = transport.invoke('search', { query: 'x' }).catch((e: unknown) => e);
    vi.advanceTimersByTime(1_999);
    await Promise.resolve();
    vi.advanceTimersByTime(1);
    const error = (await pending) as RpcError;
    expect(error).toBeInstanceOf(RpcError);
    expect(error.code).toBe('rpc/transport');
    expect(error.message).toMatch(/^Omni Desk is not reachable right now/);
  });

  it('reconnects with exponential, capped, jittered delays and starts over after a success', () => {
    const { transport, sockets, last, states } = setup({ initialDelayMs: 100, maxDelayMs: 1_000, random: () => 0.5 });
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      const before = sockets.length;
      last().fail();
      let waited = 0;
      while (sockets.length === before) {
        vi.advanceTimersByTime(1);
        waited++;
      }
      delays.push(waited);
    }
    // ceiling = min(1000, 100 * 2^n); delay = ceiling/2 + ceiling/2 * 0.5
    expect(delays).toEqual([75, 150, 300, 600, 750, 750]);

    last().open();
    expect(transport.state).toBe('online');
    last().fail();
    vi.advanceTimersByTime(74);
    const count = sockets.length;
    vi.advanceTimersByTime(1);
    expect(sockets.length).toBe(count + 1);
    expect(states.slice(0, 4)).toEqual(['offline', 'connecting', 'offline', 'connecting']);
    expect(states).toContain('online');
  });

  it('reconnectNow skips the backoff (the browser came back online)', () => {
    const { transport, sockets, last } = setup({ initialDelayMs: 10_000, maxDelayMs: 60_000 });
    last().fail();
    expect(sockets).toHaveLength(1);
    transport.reconnectNow();
    expect(sockets).toHaveLength(2);
    expect(transport.state).toBe('connecting');
  });

  it('a sent call that gets no answer fails after the response timeout', async () => {
    const { transport, last } = setup({ responseTimeoutMs: 3_000 });
    last().open();
    const pending = transport.invoke('appInfo', {}).catch((e: unknown) => e);
    vi.advanceTimersByTime(3_000);
    const error = (await pending) as RpcError;
    expect(error.code).toBe('rpc/transport');
    expect(error.message).toMatch(/did not answer in time/);
  });

  it('close() fails waiting calls, closes the socket and stops reconnecting', async () => {
    const { transport, sockets } = setup();
    const waiting = transport.invoke('appInfo', {}).catch((e: unknown) => e);
    transport.close();
    expect(((await waiting) as RpcError).code).toBe('rpc/transport');
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(transport.state).toBe('offline');
    await expect(transport.invoke('appInfo', {})).rejects.toBeInstanceOf(RpcError);
  });

  it('carries the generated API: the answer is validated and unwrapped, errors keep their sentence', async () => {
    const { transport, last } = setup();
    const api = createApi(transport);
    last().open();
    const agent = { id: 1, name: 'Ada Agent', email: 'ada@example.com', role: 'agent', tier: 1, seniority: 'mid' };
    const info = api.appInfo({});
    last().answer(last().sent[0]!.id, { name: 'Omni Desk', version: '0.1.0', mode: 'headless', dataFile: '/tmp/x', agent });
    await expect(info).resolves.toMatchObject({ mode: 'headless', agent: { name: 'Ada Agent' } });

    const profile = api.customerProfile({ customerId: 404 });
    last().receive({ t: 'res', id: last().sent[1]!.id, result: { ok: false, error: { code: 'not-found', message: 'Customer 404 does not exist.' } } });
    await expect(profile).rejects.toMatchObject({ code: 'not-found', message: 'Customer 404 does not exist.' });

    const events: unknown[] = [];
    api.on('queueChanged', (p) => events.push(p));
    last().receive({ t: 'evt', name: 'queueChanged', payload: { at: 42 } });
    expect(events).toEqual([{ at: 42 }]);
  });
});

describe('backoffDelay', () => {
  it('stays between half and all of the capped ceiling', () => {
    expect(backoffDelay(0, 500, 15_000, () => 0)).toBe(250);
    expect(backoffDelay(0, 500, 15_000, () => 0.999999)).toBe(500);
    expect(backoffDelay(3, 500, 15_000, () => 0)).toBe(2_000);
    expect(backoffDelay(50, 500, 15_000, () => 0)).toBe(7_500);
    expect(backoffDelay(50, 500, 15_000, () => 0.999999)).toBe(15_000);
  });
});
