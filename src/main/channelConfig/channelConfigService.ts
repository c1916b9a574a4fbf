// The channel configuration on the desktop: admins read and save the hub's matrix through the agent
// socket (the hub checks the role and the expected version too); every desktop applies what the hub
// pushes (after sign-in and on each save) and keeps the last applied version per hub (schema 20), so
// the dashboard's costs hold offline and after a restart.
import type { ChannelConfigParsedInput, ChannelConfigRequestName, ChannelConfigRequestOutput } from '../../shared/contractChannelConfig';
import { ChannelMatrix, type ChannelMatrixVersion } from '../../shared/channelConfig';
import type { Agent } from '../../shared/domain';
import { AppError, type ErrorCode } from '../../shared/errors';
import type { Db } from '../store/database';
import type { HubService } from '../hub/hubService';
import { HubRequestError } from '../hub/hubClient';
import { say } from '../../shared/serverErrors';

type Role = Agent['role'];

export interface ChannelConfigServiceOptions {
  db: Db;
  /** The hub service (its live client asks the hub). */
  hub: () => Pick<HubService, 'client' | 'connection'>;
  /** Who is asking: the hub's role on a team hub, else the desktop's own user's. */
  role: () => Role | null;
  emit: (name: 'channelConfigChanged', payload: { current: ChannelMatrixVersion }) => void;
  now: () => number;
  log: (line: string) => void;
}

interface AppliedRow {
  version: number;
  matrix: string;
}

export function requireAdmin(role: Role | null): void {
  if (role === 'admin') return;
  throw new AppError('rpc/forbidden', say(role === null ? 'channelConfigSignIn' : 'channelConfigRole'));
}

/** A hub error keeps its sentence; the code tells the screen what happened (stale, invalid, offline). */
function fromHub(e: unknown): never {
  if (e instanceof HubRequestError) {
    const codes: Record<string, ErrorCode> = {
      'auth/forbidden': 'rpc/forbidden',
      'config/invalid': 'config/invalid',
      'config/stale': 'config/stale',
      'hub/offline': 'hub/offline',
      'hub/disconnected': 'hub/offline',
      'hub/timeout': 'hub/timeout',
    };
    throw new AppError(codes[e.code] ?? 'hub/refused', e);
  }
  throw e;
}

export function createChannelConfigService(o: ChannelConfigServiceOptions) {
  const client = () => {
    const c = o.hub().client;
    if (!c) throw new AppError('hub/offline', say('channelConfigNoHub'));
    return c;
  };
  const key = () => o.hub().connection?.hubKey ?? o.hub().connection?.url ?? null;

  const handlers = {
    channelConfig: async (_: ChannelConfigParsedInput<'channelConfig'>): Promise<ChannelConfigRequestOutput<'channelConfig'>> => {
      requireAdmin(o.role());
      return await client().request({ type: 'channelConfig' }).catch(fromHub);
    },
    saveChannelConfig: async ({ expectedVersion, matrix }: ChannelConfigParsedInput<'saveChannelConfig'>): Promise<ChannelConfigRequestOutput<'saveChannelConfig'>> => {
      requireAdmin(o.role());
      const saved = await client().request({ type: 'saveChannelConfig', expectedVersion, matrix }).catch(fromHub);
      apply(saved.current);
      return saved;
    },
  } satisfies Record<ChannelConfigRequestName, unknown>;

  /** Keeps a pushed version (newer than the one kept for this hub) and tells the workspace. */
  function apply(current: ChannelMatrixVersion): void {
    const hubKey = key();
    if (hubKey === null) return;
    const kept = o.db.prepare('SELECT version, matrix FROM channel_config_applied WHERE hub_key = ?').get(hubKey) as AppliedRow | undefined;
    if (kept && kept.version === current.version) return;
    o.db
      .prepare('INSERT INTO channel_config_applied (hub_key, version, matrix, applied_at) VALUES (?, ?, ?, ?) ON CONFLICT(hub_key) DO UPDATE SET version = excluded.version, matrix = excluded.matrix, applied_at = excluded.applied_at')
      .run(hubKey, current.version, JSON.stringify(current.matrix), o.now());
    o.log(`channel configuration: version ${current.version} from the hub applied`);
    o.emit('channelConfigChanged', { current });
  }

  /**
   * The matrix an admin saved (version 2 or later) last applied from the current hub, or null. Version 1
   * only mirrors the hub's configuration file, which knows nothing of this desktop's own settings.
   */
  function applied(): ChannelMatrix | null {
    const hubKey = key();
    if (hubKey === null) return null;
    const kept = o.db.prepare('SELECT version, matrix FROM channel_config_applied WHERE hub_key = ?').get(hubKey) as AppliedRow | undefined;
    if (!kept || kept.version < 2) return null;
    const parsed = ChannelMatrix.safeParse(JSON.parse(kept.matrix));
    return parsed.success ? parsed.data : null;
  }

  return { handlers, apply, applied };
}
