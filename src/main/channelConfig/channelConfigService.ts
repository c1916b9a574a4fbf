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
  /** After each version the hub pushes or a save returns; `announced`: it was new and channelConfigChanged went out. */
  afterApply?: (current: ChannelMatrixVersion, announced: boolean) => void;
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
    const announced = keep(current);
    o.afterApply?.(current, announced);
  }

  function keep(current: ChannelMatrixVersion): boolean {
    const hubKey = key();
    if (hubKey === null) return false;
    const kept = o.db.prepare('SELECT version FROM channel_config_applied WHERE hub_key = ?').get(hubKey) as Pick<AppliedRow, 'version'> | undefined;
    if (kept && kept.version === current.version) return false;
    o.db
      .prepare('INSERT INTO channel_config_applied (hub_key, version, matrix, applied_at) VALUES (?, ?, ?, ?) ON CONFLICT(hub_key) DO UPDATE SET version = excluded.version, matrix = excluded.matrix, applied_at = excluded.applied_at')
      .run(hubKey, current.version, JSON.stringify(current.matrix), o.now());
    o.log(`channel configuration: version ${current.version} from the hub applied`);
    o.emit('channelConfigChanged', { current });
    return true;
  }

  /**
   * The matrix an admin saved (version 2 or later) last applied from the current hub, or null. Version 1
   * only mirrors the hub's configuration file, which knows nothing of this desktop's own settings.
   */
  function applied(): ChannelMatrix | null {
    const k = kept();
    return k && k.hubKey === key() && k.version >= 2 ? k.matrix : null;
  }

  // One parsed matrix object per hub and version: the engines cache their calendars on it.
  let parsedKept: { hubKey: string; version: number; matrix: ChannelMatrix } | null = null;
  /**
   * The version last applied from the current hub (version 1 included); before the hub is known (at
   * start) the one of `hubBefore` (the hub last in use); failing those, the one applied last from any
   * hub; null: none was ever received.
   */
  function kept(hubBefore: string | null = null): { hubKey: string; version: number; matrix: ChannelMatrix } | null {
    const hubKey = key() ?? hubBefore;
    const row = ((hubKey !== null ? o.db.prepare('SELECT hub_key AS hubKey, version FROM channel_config_applied WHERE hub_key = ?').get(hubKey) : undefined) ??
      o.db.prepare('SELECT hub_key AS hubKey, version FROM channel_config_applied ORDER BY applied_at DESC, rowid DESC LIMIT 1').get()) as { hubKey: string; version: number } | undefined;
    if (!row) return null;
    if (parsedKept?.hubKey === row.hubKey && parsedKept.version === row.version) return parsedKept;
    const { matrix } = o.db.prepare('SELECT matrix FROM channel_config_applied WHERE hub_key = ?').get(row.hubKey) as Pick<AppliedRow, 'matrix'>;
    const parsed = ChannelMatrix.safeParse(JSON.parse(matrix));
    parsedKept = parsed.success ? { hubKey: row.hubKey, version: row.version, matrix: parsed.data } : null;
    return parsedKept;
  }


  /**
   * The matrix last pushed by the current hub, whatever its version (the built-in hub pushes version 1
   * from its configuration), or null before any push. The handoff rules follow it.
   */
  function current(): { version: number; matrix: ChannelMatrix } | null {
    const k = kept();
    return k && k.hubKey === key() ? { version: k.version, matrix: k.matrix } : null;
  }

  return { handlers, apply, applied, kept, current };
}
