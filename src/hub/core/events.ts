// The hub's write path: one transaction per change, with the per-agent events it produces numbered
// and stored inside it. Live sockets and after-commit work (observers, routing) see a change only
// once it is committed; a rolled-back change leaves no event and no callback behind.
//
// Group commit (the hub's default): the changes of one turn of the event loop share one SQLite
// transaction, committed on setImmediate — one disk flush for all of them instead of one each.
// Each change runs in a savepoint of it, so a change that throws is undone alone. Whatever leaves
// the hub (an agent's answer, a visitor's ack, an HTTP response, a provider call) waits for the
// commit through afterCommit, or commits what is open first (flush): nothing is acknowledged
// before it is committed. When a commit fails, every change of the group is lost and the
// after-commit work is told (its `failed` callback) instead of run.
import type { Statement } from 'better-sqlite3';
import type { HubEvent } from '../../shared/hub/agentProtocol';
import type { HubStore, StoredEvent } from '../store/hubStore';
import type { HubLog } from '../services';

export type EventListener = (agentId: number, stored: StoredEvent) => void;
/** Sees each event as it is appended, inside its transaction (which may still roll back). */
export type AppendWatcher = (agentId: number, event: HubEvent) => void;

interface Action {
  run: () => void;
  /** Instead of run, when the transaction it waited for did not commit. */
  failed?: () => void;
}

export interface EventLogOptions {
  /** One transaction per turn of the event loop (committed on setImmediate) instead of one per change. */
  groupCommit?: boolean;
}

export class EventLog {
  private depth = 0;
  /** The current change's events and callbacks (run in that order once it commits). */
  private changeEvents: { agentId: number; stored: StoredEvent }[] = [];
  private changeCallbacks: Action[] = [];
  /** Group commit: the open group's work, in order; null when no group is open. */
  private group: Action[] | null = null;
  private readonly listeners = new Set<EventListener>();
  private readonly watchers = new Set<AppendWatcher>();
  private readonly rollbackHooks = new Set<() => void>();
  private statements: Record<'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackTo', Statement> | null = null;
  /** Commits made (groups in group mode), for tests and the benchmark. */
  commits = 0;

  constructor(
    private readonly store: HubStore,
    private readonly now: () => number,
    private readonly log: HubLog,
    private readonly options: EventLogOptions = {},
  ) {}

  /** True while written changes wait for their commit (inside a change, or a group is open). */
  get uncommitted(): boolean {
    return this.depth > 0 || this.group !== null;
  }

  /**
   * Runs fn in one transaction. Nested calls join the outer transaction (no savepoint): an error
   * must abort the whole change, so never catch inside fn and carry on.
   */
  tx<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    return this.options.groupCommit ? this.inGroup(fn) : this.alone(fn);
  }

  private alone<T>(fn: () => T): T {
    this.depth++;
    let result: T;
    try {
      result = this.store.tx(fn);
    } catch (e) {
      this.changeEvents = [];
      this.changeCallbacks = [];
      throw e;
    } finally {
      this.depth--;
    }
    this.commits++;
    this.run(this.endChange());
    return result;
  }

  private inGroup<T>(fn: () => T): T {
    // Inside a transaction someone else opened on the connection: a savepoint of it, as before.
    if (this.group === null && this.store.db.inTransaction) return this.alone(fn);
    const s = this.sql();
    if (this.group === null) {
      s.begin.run();
      this.group = [];
      setImmediate(() => this.flush());
    }
    this.depth++;
    let result: T;
    try {
      s.savepoint.run();
      result = fn();
      s.release.run();
    } catch (e) {
      this.depth--;
      this.changeEvents = [];
      this.changeCallbacks = [];
      let undone = false;
      if (this.store.db.inTransaction) {
        try {
          s.rollbackTo.run();
          s.release.run();
          undone = true;
        } catch (inner) {
          this.log.error('Undoing a failed change failed', inner);
        }
      }
      // Otherwise SQLite rolled the whole transaction back (I/O error, disk full): the group is lost.
      if (!undone) this.abandon(e);
      throw e;
    }
    this.depth--;
    this.group!.push(...this.endChange());
    return result;
  }

  private endChange(): Action[] {
    const events = this.changeEvents;
    const callbacks = this.changeCallbacks;
    this.changeEvents = [];
    this.changeCallbacks = [];
    const out: Action[] = events.map(({ agentId, stored }) => ({ run: () => this.dispatch(agentId, stored) }));
    out.push(...callbacks);
    return out;
  }

  /**
   * Commits the open group now (before a response that must not precede it). Returns false when
   * the commit failed (its waiting work was told so instead of run).
   */
  flush(): boolean {
    if (this.group === null) return true;
    if (this.depth > 0) {
      // A response written from inside a change: a bug in its caller. The change commits with its group.
      this.log.error('Asked to commit from inside a change; it commits with its group', new Error('EventLog.flush inside tx'));
      return true;
    }
    const actions = this.group;
    this.group = null;
    try {
      this.sql().commit.run();
    } catch (e) {
      this.log.error('A group of changes could not be committed; they were rolled back', e);
      try {
        if (this.store.db.inTransaction) this.sql().rollback.run();
      } catch (inner) {
        this.log.error('Rolling back the group failed', inner);
      }
      this.failed(actions);
      return false;
    }
    this.commits++;
    this.run(actions);
    return true;
  }

  private abandon(e: unknown): void {
    const actions = this.group ?? [];
    this.group = null;
    try {
      if (this.store.db.inTransaction) this.sql().rollback.run();
    } catch (inner) {
      this.log.error('Rolling back the group failed', inner);
    }
    this.log.error('The open group of changes was rolled back by SQLite', e);
    this.failed(actions);
  }

  private failed(actions: Action[]): void {
    for (const hook of this.rollbackHooks) {
      try {
        hook();
      } catch (e) {
        this.log.error('A rollback hook failed', e);
      }
    }
    for (const action of actions) {
      try {
        action.failed?.();
      } catch (e) {
        this.log.error('After-rollback work failed', e);
      }
    }
  }

  private run(actions: Action[]): void {
    for (const action of actions) {
      try {
        action.run();
      } catch (e) {
        this.log.error('After-commit work failed', e);
      }
    }
  }

  private dispatch(agentId: number, stored: StoredEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(agentId, stored);
      } catch (e) {
        this.log.error('An event listener failed', e);
      }
    }
  }

  private sql() {
    const db = this.store.db;
    this.statements ??= {
      begin: db.prepare('BEGIN'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      savepoint: db.prepare('SAVEPOINT hub_change'),
      release: db.prepare('RELEASE hub_change'),
      rollbackTo: db.prepare('ROLLBACK TO hub_change'),
    };
    return this.statements;
  }

  /** Stores an event for an agent inside the current transaction. */
  append(agentId: number, event: HubEvent): StoredEvent {
    if (this.depth === 0) throw new Error('EventLog.append outside a transaction');
    const stored = this.store.appendEvent(agentId, event, this.now());
    this.changeEvents.push({ agentId, stored });
    for (const watcher of this.watchers) watcher(agentId, event);
    return stored;
  }

  /**
   * Runs fn after the current transaction commits (immediately when nothing is uncommitted).
   * `failed` runs instead when that commit fails after the change itself succeeded (group commit).
   */
  afterCommit(fn: () => void, failed?: () => void): void {
    if (this.depth > 0) this.changeCallbacks.push({ run: fn, ...(failed ? { failed } : {}) });
    else if (this.group !== null) this.group.push({ run: fn, ...(failed ? { failed } : {}) });
    else fn();
  }

  /** Called when a group commit fails (everything in it is lost): in-memory indexes start over. */
  onRollback(hook: () => void): () => void {
    this.rollbackHooks.add(hook);
    return () => this.rollbackHooks.delete(hook);
  }

  /**
   * Called on every append, before the commit: for in-memory indexes that must never lag behind
   * what the connection reads (a rolled-back change only makes them look again).
   */
  watchAppends(watcher: AppendWatcher): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  listen(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
