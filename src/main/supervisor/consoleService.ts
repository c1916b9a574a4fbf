// The live console on the desktop: keeps the hub's latest team snapshot, pushes each one to the
// workspace with the alerts it raised (only for supervisors and admins), answers the snapshot when
// the console opens, and relays reassign / take / capacity to the hub (which audits them).
import type { EventName, EventPayload, ParsedInput, RequestOutput } from '../../shared/contract';
import type { Agent } from '../../shared/domain';
import type { SupervisorSnapshot } from '../../shared/hub/agentProtocol';
import { newConsoleAlerts, type ConsoleAlert } from '../../shared/supervisor/consoleAlerts';
import { HubError } from '../hub/hubError';
import { HubRequestError, type HubClient } from '../hub/hubClient';
import { AppError } from '../../shared/errors';
import { say } from '../../shared/serverErrors';

export type ConsoleRequestName = 'supervisorConsole' | 'supervisorReassign' | 'supervisorTake' | 'supervisorCapacity';

export interface ConsoleServiceOptions {
  /** The live hub client (null: none). */
  client: () => HubClient | null;
  role: () => Agent['role'] | null;
  emit: <K extends EventName>(name: K, payload: EventPayload<K>) => void;
}

function requireConsoleRole(role: Agent['role'] | null): void {
  if (role === 'supervisor' || role === 'admin') return;
  throw new AppError('rpc/forbidden', say(role === null ? 'consoleSignIn' : 'consoleRole'));
}

function relayError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof HubRequestError) {
    if (err.code === 'auth/forbidden') return new AppError('rpc/forbidden', err);
    if (err.code === 'hub/offline' || err.code === 'hub/disconnected') return new HubError('hub/offline', err);
    if (err.code === 'hub/timeout') return new HubError('hub/timeout', err);
    return new HubError('hub/refused', err);
  }
  return new HubError('hub/refused', (err as Error).message);
}

export function createConsoleService(o: ConsoleServiceOptions) {
  let latest: SupervisorSnapshot | null = null;

  const requireHub = (): HubClient => {
    requireConsoleRole(o.role());
    const c = o.client();
    if (!c) throw new HubError('hub/offline', say('consoleNeedsHub'));
    return c;
  };

  /** A snapshot from the hub (called by the hub service for supervisor and admin sessions); null: another hub, a new baseline. */
  const update = (snapshot: SupervisorSnapshot | null): ConsoleAlert[] => {
    if (snapshot === null) {
      latest = null;
      return [];
    }
    const role = o.role();
    if (role !== 'supervisor' && role !== 'admin') return [];
    const alerts = newConsoleAlerts(latest, snapshot);
    latest = snapshot;
    o.emit('supervisorConsoleUpdated', { snapshot, alerts });
    return alerts;
  };

  const handlers = {
    supervisorConsole: (): RequestOutput<'supervisorConsole'> => {
      requireConsoleRole(o.role());
      return { snapshot: o.client() ? latest : null };
    },
    supervisorReassign: async ({ conversationId, agentId }: ParsedInput<'supervisorReassign'>): Promise<RequestOutput<'supervisorReassign'>> => {
      const c = requireHub();
      try {
        return await c.request({ type: 'supervisorReassign', conversationId, agentId });
      } catch (err) {
        throw relayError(err);
      }
    },
    supervisorTake: async ({ conversationId }: ParsedInput<'supervisorTake'>): Promise<RequestOutput<'supervisorTake'>> => {
      const c = requireHub();
      try {
        return await c.request({ type: 'supervisorTake', conversationId });
      } catch (err) {
        throw relayError(err);
      }
    },
    supervisorCapacity: async ({ agentId, capacity }: ParsedInput<'supervisorCapacity'>): Promise<RequestOutput<'supervisorCapacity'>> => {
      const c = requireHub();
      try {
        return await c.request({ type: 'supervisorCapacity', agentId, capacity });
      } catch (err) {
        throw relayError(err);
      }
    },
  } satisfies Record<ConsoleRequestName, unknown>;

  return {
    handlers,
    update,
  };
}
