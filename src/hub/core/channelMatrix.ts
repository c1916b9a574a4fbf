// The channel configuration matrix the hub runs on: every saved version kept (hub schema 12) with who,
// when and what changed; version 1 seeded from the config file. Routing, the supervisor feed's SLA
// and the voice hours read `current()`; a save by an admin notifies listeners (the gateway tells
// every connected desktop). A stale save (someone saved in between) is refused, nothing changes.
import { ZodError } from 'zod';
import type { Db } from '../../platform/sqlite';
import {
  ChannelMatrix,
  defaultChannelMatrix,
  describeMatrixProblems,
  matrixChanges,
  type ChannelMatrixHistoryEntry,
  type ChannelMatrixVersion,
  type MatrixSources,
} from '../../shared/channelConfig';
import { CHANNELS, type Channel } from '../../shared/domain';
import type { CalendarInput } from '../../shared/time';
import type { HubConfig } from '../config';
import type { AgentRecord } from '../store/hubStore';
import { HubError } from './errors';
import { say } from '../../shared/serverErrors';
import { readStoredText, sentenceKeyOf, type StoredSentence } from '../../shared/storedSentence';

interface VersionRow {
  version: number;
  matrix: string;
  saved_at: number;
  saved_by_name: string;
  changes: string;
}

/** What today's configuration file says, as the matrix's version 1. */
export function matrixSourcesOf(config: HubConfig): MatrixSources {
  const hours: Partial<Record<Channel, CalendarInput | null>> = { phone: config.voice.hours };
  const autoReply: MatrixSources['autoReply'] = {};
  for (const ch of ['sms', 'messenger', 'instagram', 'x'] as const) {
    const a = config.channels.autoReply[ch];
    hours[ch] = a.hours;
    autoReply[ch] = { enabled: a.enabled, text: a.insideHours, closedText: a.outsideHours };
  }
  const costs: MatrixSources['costs'] = {};
  for (const ch of CHANNELS) costs[ch] = config.metrics.dashboard.costs[ch];
  return { slaSeconds: config.firstResponseSlaSeconds, backup: config.routing.backup, hours, autoReply, costs };
}

/** The changes column: a JSON list of lines, each the English or, with its key, `{"message","key","params"}` (readStoredText). */
function storedChanges(v: ChannelMatrixVersion): string {
  return JSON.stringify(v.changes.map((message, i) => {
    const text = v.changesText?.[i];
    return text ? JSON.stringify({ message, ...text }) : message;
  }));
}

function changesOf(column: string): { changes: string[]; changesText: (StoredSentence | null)[] } {
  const lines = (JSON.parse(column) as string[]).map(readStoredText);
  return { changes: lines.map((l) => l.message ?? ''), changesText: lines.map((l) => l.text) };
}

export class ChannelMatrixBook {
  private cached: ChannelMatrixVersion;
  private readonly listeners = new Set<(current: ChannelMatrixVersion) => void>();

  constructor(
    private readonly db: Db,
    seed: MatrixSources,
    private readonly now: () => number,
    /** The hub's transaction (the event log's, so a save commits with the group). */
    private readonly tx: <T>(fn: () => T) => T,
  ) {
    const latest = this.row('SELECT * FROM channel_config_versions ORDER BY version DESC LIMIT 1');
    if (latest) this.cached = this.toVersion(latest);
    else {
      let matrix: ChannelMatrix;
      try {
        matrix = defaultChannelMatrix(seed);
      } catch (e) {
        const detail = e instanceof ZodError ? describeMatrixProblems(e) : String(e);
        throw new HubError('config/invalid', `The configuration file's channel settings cannot seed the channel configuration: ${detail}`);
      }
      const created = say('matrixCreatedFromFile');
      this.cached = { version: 1, matrix, savedAt: now(), savedBy: say('matrixSavedByFile').message, changes: [created.message], changesText: [sentenceKeyOf(created)] };
      this.insert(this.cached, null);
    }
  }

  current(): ChannelMatrixVersion {
    return this.cached;
  }

  history(): ChannelMatrixHistoryEntry[] {
    const rows = this.db.prepare('SELECT version, saved_at, saved_by_name, changes FROM channel_config_versions ORDER BY version DESC').all() as Omit<VersionRow, 'matrix'>[];
    return rows.map((r) => ({ version: r.version, savedAt: r.saved_at, savedBy: r.saved_by_name, ...changesOf(r.changes) }));
  }

  onChange(listener: (current: ChannelMatrixVersion) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** An admin saves a new version on top of `expectedVersion`. */
  save(actor: AgentRecord, expectedVersion: number, input: unknown): ChannelMatrixVersion {
    if (actor.role !== 'admin') throw new HubError('auth/forbidden', say('channelConfigChangeAdminOnly'));
    const parsed = ChannelMatrix.safeParse(input);
    if (!parsed.success) throw new HubError('config/invalid', describeMatrixProblems(parsed.error));
    const saved = this.tx(() => {
      const current = this.toVersion(this.row('SELECT * FROM channel_config_versions ORDER BY version DESC LIMIT 1')!);
      if (current.version !== expectedVersion) {
        throw new HubError(
          'config/stale',
          say('channelConfigStale', { version: current.version, savedBy: current.savedBy, at: new Date(current.savedAt).toISOString().slice(0, 16).replace('T', ' '), opened: expectedVersion }),
        );
      }
      const lines = matrixChanges(current.matrix, parsed.data);
      if (lines.length === 0) throw new HubError('config/unchanged', say('channelConfigUnchanged', { version: current.version }));
      const next: ChannelMatrixVersion = { version: current.version + 1, matrix: parsed.data, savedAt: this.now(), savedBy: actor.displayName, changes: lines.map((c) => c.message), changesText: lines.map((c) => c.text) };
      this.insert(next, actor.id);
      return next;
    });
    this.cached = saved;
    for (const l of this.listeners) l(saved);
    return saved;
  }

  private row(sql: string): VersionRow | undefined {
    return this.db.prepare(sql).get() as VersionRow | undefined;
  }

  private insert(v: ChannelMatrixVersion, agentId: number | null): void {
    this.db
      .prepare('INSERT INTO channel_config_versions (version, matrix, saved_at, saved_by_id, saved_by_name, changes) VALUES (?, ?, ?, ?, ?, ?)')
      .run(v.version, JSON.stringify(v.matrix), v.savedAt, agentId, v.savedBy, storedChanges(v));
  }

  private toVersion(r: VersionRow): ChannelMatrixVersion {
    const parsed = ChannelMatrix.safeParse(JSON.parse(r.matrix));
    if (!parsed.success) throw new HubError('config/invalid', `Stored channel configuration version ${r.version} is not readable: ${describeMatrixProblems(parsed.error)}`);
    return { version: r.version, matrix: parsed.data, savedAt: r.saved_at, savedBy: r.saved_by_name, ...changesOf(r.changes) };
  }
}
