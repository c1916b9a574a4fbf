// All SQL of the composer: drafts, macros, the case facts macros are rendered with, and the small
// case changes macro actions make (priority, tag, assignee). Resolving goes through the repository.
import { z } from 'zod';
import type { DraftView, MacroAction as MacroActionT, MacroView, Mention as MentionT } from '../../shared/contractComposer';
import { ComposerAttachment, MacroAction, Mention } from '../../shared/contractComposer';
import type { Channel, Priority } from '../../shared/domain';
import type { Db } from '../store/database';
import { lazyStatements } from '../store/statements';
import { openStored, sealForChannel } from '../privacy/contentSealer';

interface DraftRow {
  case_id: number;
  channel: Channel;
  mode: 'reply' | 'note';
  body: string;
  subject: string | null;
  cc: string;
  include_quoted: number;
  mentions: string;
  pending_macro_ids: string;
  attachments: string;
  updated_at: number;
}

interface MacroRow {
  id: number;
  title: string;
  body: string;
  scope: 'shared' | 'personal';
  owner_agent_id: number | null;
  hotkey: number | null;
  actions: string;
  apply_on: 'insert' | 'send';
}

export interface CaseContext {
  caseId: number;
  subject: string;
  customerName: string;
  channel: Channel;
}

export interface NewMacro {
  title: string;
  body: string;
  scope: 'shared' | 'personal';
  ownerAgentId: number | null;
  hotkey: number | null;
  actions: MacroActionT[];
  applyOn: 'insert' | 'send';
}

const Mentions = z.array(Mention).catch([]);
const Ids = z.array(z.number().int().positive()).catch([]);
const Actions = z.array(MacroAction).catch([]);
const Attachments = z.array(ComposerAttachment).catch([]);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function toDraft(r: DraftRow): DraftView {
  return {
    caseId: r.case_id,
    channel: r.channel,
    mode: r.mode,
    body: r.body,
    subject: r.subject,
    cc: r.cc,
    includeQuoted: r.include_quoted === 1,
    mentions: Mentions.parse(parseJson(r.mentions)),
    pendingMacroIds: Ids.parse(parseJson(r.pending_macro_ids)),
    attachments: Attachments.parse(parseJson(r.attachments)),
    updatedAt: r.updated_at,
  };
}

function toMacro(r: MacroRow): MacroView {
  return {
    id: r.id,
    title: r.title,
    body: r.body,
    scope: r.scope,
    ownerAgentId: r.owner_agent_id,
    hotkey: r.hotkey,
    actions: Actions.parse(parseJson(r.actions)),
    applyOn: r.apply_on,
  };
}

const MACRO_COLUMNS = `id, title, body, scope, owner_agent_id, hotkey, actions, apply_on`;

export class ComposerStore {
  private readonly s;

  constructor(readonly db: Db) {
    this.s = lazyStatements(db, {
      drafts: `SELECT * FROM composer_drafts WHERE case_id = ? ORDER BY updated_at DESC, channel`,
      upsertDraft: `INSERT INTO composer_drafts (case_id, channel, mode, body, subject, cc, include_quoted, mentions, pending_macro_ids, attachments, updated_at)
        VALUES (@caseId, @channel, @mode, @body, @subject, @cc, @includeQuoted, @mentions, @pendingMacroIds, @attachments, @updatedAt)
        ON CONFLICT(case_id, channel) DO UPDATE SET mode = excluded.mode, body = excluded.body, subject = excluded.subject, cc = excluded.cc,
          include_quoted = excluded.include_quoted, mentions = excluded.mentions, pending_macro_ids = excluded.pending_macro_ids,
          attachments = excluded.attachments, updated_at = excluded.updated_at`,
      deleteDraft: `DELETE FROM composer_drafts WHERE case_id = ? AND channel = ?`,
      deleteDrafts: `DELETE FROM composer_drafts WHERE case_id = ?`,
      deleteNoteDrafts: `DELETE FROM composer_drafts WHERE case_id = ? AND mode = 'note'`,
      macrosFor: `SELECT ${MACRO_COLUMNS} FROM macros WHERE scope = 'shared' OR owner_agent_id = ?
        ORDER BY hotkey IS NULL, hotkey, title COLLATE NOCASE, id`,
      macroById: `SELECT ${MACRO_COLUMNS} FROM macros WHERE id = ?`,
      macroCount: `SELECT count(*) AS n FROM macros`,
      insertMacro: `INSERT INTO macros (title, body, scope, owner_agent_id, hotkey, actions, apply_on, created_at, updated_at)
        VALUES (@title, @body, @scope, @ownerAgentId, @hotkey, @actions, @applyOn, @now, @now)`,
      updateMacro: `UPDATE macros SET title = @title, body = @body, scope = @scope, owner_agent_id = @ownerAgentId, hotkey = @hotkey,
        actions = @actions, apply_on = @applyOn, updated_at = @now WHERE id = @id`,
      deleteMacro: `DELETE FROM macros WHERE id = ?`,
      caseContext: `SELECT c.id AS caseId, c.subject, cu.name AS customerName, c.channel FROM cases c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = ?`,
      setPriority: `UPDATE cases SET priority = @priority, updated_at = max(updated_at, @now) WHERE id = @caseId`,
      assign: `UPDATE cases SET assigned_agent_id = @agentId, updated_at = max(updated_at, @now) WHERE id = @caseId`,
      addTag: `INSERT OR IGNORE INTO case_tags (case_id, tag, added_by, added_at) VALUES (@caseId, @tag, @agentId, @now)`,
      tags: `SELECT tag FROM case_tags WHERE case_id = ? ORDER BY tag`,
      agents: `SELECT id, name FROM agents ORDER BY name COLLATE NOCASE, id`,
      agentIds: `SELECT id FROM agents`,
      noteByKey: `SELECT id FROM events WHERE channel = ? AND external_id = ?`,
    });
  }

  // ---------------------------------------------------------------- drafts

  drafts(caseId: number): DraftView[] {
    return (this.s.drafts!.all(caseId) as DraftRow[]).map((r) => toDraft({ ...r, body: openStored(this.db, r.body), subject: openStored(this.db, r.subject) }));
  }

  saveDraft(d: Omit<DraftView, 'mentions' | 'pendingMacroIds' | 'attachments'> & { mentions: MentionT[]; pendingMacroIds: number[]; attachments?: ComposerAttachment[] }): void {
    // A draft on a restricted channel is sealed like the messages it becomes.
    this.s.upsertDraft!.run({
      ...d,
      body: sealForChannel(this.db, d.channel, d.body),
      subject: sealForChannel(this.db, d.channel, d.subject),
      includeQuoted: d.includeQuoted ? 1 : 0,
      mentions: JSON.stringify(d.mentions),
      pendingMacroIds: JSON.stringify(d.pendingMacroIds),
      attachments: JSON.stringify(d.attachments ?? []),
    });
  }

  deleteDraft(caseId: number, channel: Channel): void {
    this.s.deleteDraft!.run(caseId, channel);
  }

  deleteDrafts(caseId: number): void {
    this.s.deleteDrafts!.run(caseId);
  }

  deleteNoteDrafts(caseId: number): void {
    this.s.deleteNoteDrafts!.run(caseId);
  }

  // ---------------------------------------------------------------- macros

  macrosFor(agentId: number): MacroView[] {
    return (this.s.macrosFor!.all(agentId) as MacroRow[]).map(toMacro);
  }

  macro(id: number): MacroView | null {
    const row = this.s.macroById!.get(id) as MacroRow | undefined;
    return row ? toMacro(row) : null;
  }

  macroCount(): number {
    return (this.s.macroCount!.get() as { n: number }).n;
  }

  insertMacro(m: NewMacro, now: number): number {
    return Number(this.s.insertMacro!.run({ ...m, actions: JSON.stringify(m.actions), now }).lastInsertRowid);
  }

  updateMacro(id: number, m: NewMacro, now: number): void {
    this.s.updateMacro!.run({ ...m, id, actions: JSON.stringify(m.actions), now });
  }

  deleteMacro(id: number): boolean {
    return this.s.deleteMacro!.run(id).changes > 0;
  }

  // ---------------------------------------------------------------- cases and agents

  caseContext(caseId: number): CaseContext | null {
    const row = this.s.caseContext!.get(caseId) as CaseContext | undefined;
    return row ? { ...row, subject: openStored(this.db, row.subject) } : null;
  }

  setPriority(caseId: number, priority: Priority, now: number): void {
    this.s.setPriority!.run({ caseId, priority, now });
  }

  assign(caseId: number, agentId: number, now: number): void {
    this.s.assign!.run({ caseId, agentId, now });
  }

  addTag(caseId: number, tag: string, agentId: number, now: number): void {
    this.s.addTag!.run({ caseId, tag: tag.trim().toLowerCase(), agentId, now });
  }

  tags(caseId: number): string[] {
    return (this.s.tags!.all(caseId) as Array<{ tag: string }>).map((r) => r.tag);
  }

  agents(): Array<{ id: number; name: string }> {
    return this.s.agents!.all() as Array<{ id: number; name: string }>;
  }

  agentIds(): Set<number> {
    return new Set((this.s.agentIds!.all() as Array<{ id: number }>).map((r) => r.id));
  }

  /** The note stored earlier under this idempotency key, if any. */
  noteByKey(channel: Channel, externalId: string): number | null {
    return (this.s.noteByKey!.get(channel, externalId) as { id: number } | undefined)?.id ?? null;
  }
}
