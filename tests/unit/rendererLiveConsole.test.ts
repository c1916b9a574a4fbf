// The live console slice in the renderer against a fake main process: pushed snapshots replace the
// view without a request, each alert shows once and goes when dismissed or when its conversation no
// longer waits, an open reads the latest snapshot, and an action's refusal is the sentence main gave.
import { describe, expect, it } from 'vitest';
import type { EventPayload, RequestName } from '../../src/shared/contract';
import { createApi } from '../../src/shared/rpc';
import { installApi } from '../../src/renderer/src/api';
import { startLiveConsole, useLiveConsoleStore } from '../../src/renderer/src/state/liveConsole';

type Update = EventPayload<'supervisorConsoleUpdated'>;
const T = 1_800_000_000_000;

function fakeMain(handlers: Partial<Record<RequestName, (input: Record<string, unknown>) => unknown>>) {
  const listeners = new Set<(name: string, payload: unknown) => void>();
  const calls: string[] = [];
  const api = createApi({
    async invoke(method, input) {
      calls.push(method);
      const handler = handlers[method];
      if (!handler) return { ok: false, error: { code: 'internal', message: `${method} is not faked` } };
      try {
        return { ok: true, value: await handler(input as Record<string, unknown>) };
      } catch (e) {
        return { ok: false, error: { code: 'hub/refused', message: (e as Error).message } };
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  });
  installApi(api);
  return { api, calls, emit: (name: string, payload: unknown) => listeners.forEach((l) => l(name, payload)) };
}

const waiting = (conversationId: number, sla: 'ok' | 'atRisk' | 'breached') => ({ conversationId, channel: 'chat' as const, contact: `Visitor ${conversationId}`, subject: null, waitingSince: T - 90_000, sla });
const snapshot = (w: ReturnType<typeof waiting>[], at = T): Update['snapshot'] => ({
  agents: [{ agentId: 4, displayName: 'Cleo', presence: 'available', capacity: { chat: 2 }, load: {}, connected: true, since: T }],
  queues: [{ channel: 'chat', waiting: w.length, oldestSince: w.length ? T - 90_000 : null, slaSeconds: 60, atRisk: 0, breached: w.length }],
  waiting: w,
  assigned: [],
  outages: [],
  at,
});
const alert = (conversationId: number) => ({ key: `sla:${conversationId}:breached`, kind: 'breached' as const, channel: 'chat' as const, conversationId, contact: `Visitor ${conversationId}`, since: T - 90_000, backup: null, detail: null });

describe('the live console slice', () => {
  it('follows pushed snapshots, keeps each alert once until dismissed or no longer waiting, and shows refusals', async () => {
    const main = fakeMain({
      supervisorConsole: () => ({ snapshot: snapshot([waiting(1, 'ok')], T - 1000) }),
      supervisorReassign: () => {
        throw new Error('Cleo is away; the conversation stays where it is.');
      },
      supervisorTake: () => ({ reassigned: true }),
    });
    const stop = startLiveConsole(main.api);
    useLiveConsoleStore.getState().openConsole();
    await expect.poll(() => useLiveConsoleStore.getState().snapshot?.waiting.length).toBe(1);
    expect(useLiveConsoleStore.getState().open).toBe(true);

    // Pushed: no request is made for it; the skew to the hub's clock is kept for the ticking waits.
    const before = main.calls.length;
    main.emit('supervisorConsoleUpdated', { snapshot: snapshot([waiting(1, 'breached'), waiting(2, 'breached')]), alerts: [alert(1), alert(2)] });
    main.emit('supervisorConsoleUpdated', { snapshot: snapshot([waiting(1, 'breached'), waiting(2, 'breached')]), alerts: [alert(2)] });
    expect(main.calls.length).toBe(before);
    expect(useLiveConsoleStore.getState().snapshot!.queues[0]!.waiting).toBe(2);
    expect(useLiveConsoleStore.getState().alerts.map((a) => a.key)).toEqual(['sla:1:breached', 'sla:2:breached']);

    useLiveConsoleStore.getState().dismiss('sla:1:breached');
    expect(useLiveConsoleStore.getState().alerts.map((a) => a.key)).toEqual(['sla:2:breached']);

    // A refusal is main's sentence; a take is confirmed by name.
    await useLiveConsoleStore.getState().reassign(2, 4);
    expect(useLiveConsoleStore.getState().result).toEqual({ tone: 'error', text: 'Cleo is away; the conversation stays where it is.' });
    await useLiveConsoleStore.getState().take(2);
    expect(useLiveConsoleStore.getState().result).toEqual({ tone: 'ok', text: 'You have the conversation with Visitor 2 now; it is in your queue.' });

    // Taken: it no longer waits, so its banner goes with the next snapshot.
    main.emit('supervisorConsoleUpdated', { snapshot: snapshot([waiting(1, 'breached')]), alerts: [] });
    expect(useLiveConsoleStore.getState().alerts).toEqual([]);
    stop();
  });

  it("names the customer of a conversation an agent holds when it is moved to another agent", async () => {
    const main = fakeMain({ supervisorReassign: () => ({ reassigned: true }) });
    const stop = startLiveConsole(main.api);
    main.emit('supervisorConsoleUpdated', {
      snapshot: {
        ...snapshot([]),
        agents: [
          { agentId: 4, displayName: 'Cleo', presence: 'available', capacity: { chat: 2 }, load: { chat: 1 }, connected: true, since: T },
          { agentId: 5, displayName: 'Dev', presence: 'available', capacity: { chat: 2 }, load: {}, connected: true, since: T },
        ],
        assigned: [{ agentId: 4, total: 1, conversations: [{ conversationId: 31, channel: 'chat', contact: 'Noor Haddad', since: T - 60_000, awaitingReplySince: null, sla: 'ok' }] }],
      },
      alerts: [],
    });
    await useLiveConsoleStore.getState().reassign(31, 5);
    expect(useLiveConsoleStore.getState().result).toEqual({ tone: 'ok', text: 'The conversation with Noor Haddad is now with Dev.' });
    stop();
  });
});
