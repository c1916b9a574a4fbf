// The hub's write path: one transaction per change, with the per-agent events it produces numbered
// and stored inside it. Live sockets and after-commit work (observers, routing) see a change only
// once it is committed; a rolled-back change leaves no event and no callback behind.
import type { HubEvent } from '../../shared/hub/agentProtocol';
import type { HubStore, StoredEvent } from '../store/hubStore';
import type { HubLog } from '../services';

export type EventListener = (agentId: number, stored: StoredEvent) => void;

export class EventLog {
  private depth = 0;
  private pendingEvents: { agentId: number; stored: StoredEvent }[] = [];
  private pendingCallbacks: (() => void)[] = [];
  private readonly listeners = new Set<EventListener>();

  constructor(
    private readonly store: HubStore,
    private readonly now: () => number,
    private readonly log: HubLog,
  ) {}

  /**
   * Runs fn in one transaction. Nested calls join the outer transaction (no savepoint): an error
   * must abort the whole change, so never catch inside fn and carry on.
   */
  tx<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.depth++;
    let result: T;
    try {
      result = this.store.tx(fn);
    } catch (e) {
      this.pendingEvents = [];
      this.pendingCallbacks = [];
      throw e;
    } finally {
      this.depth--;
    }
    const events = this.pendingEvents;
    const callbacks = this.pendingCallbacks;
    this.pendingEvents = [];
    this.pendingCallbacks = [];
    for (const { agentId, stored } of events) {
      for (const listener of this.listeners) {
        try {
          listener(agentId, stored);
        } catch (e) {
          this.log.error('An event listener failed', e);
        }
      }
    }
    for (const callback of callbacks) {
      try {
        callback();
      } catch (e) {
        this.log.error('After-commit work failed', e);
      }
    }
    return result;
  }

  /** Stores an event for an agent inside the current transaction. */
  append(agentId: number, event: HubEvent): StoredEvent {
    if (this.depth === 0) throw new Error('EventLog.append outside a transaction');
    const stored = this.store.appendEvent(agentId, event, this.now());
    this.pendingEvents.push({ agentId, stored });
    return stored;
  }

  /** Runs after the current transaction commits (immediately when there is none). */
  afterCommit(fn: () => void): void {
    if (this.depth === 0) fn();
    else this.pendingCallbacks.push(fn);
  }

  listen(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
