// The composer's handlers: drafts saved as the agent types, macros rendered for a case with their
// actions applied on insert or on send, replies with their email fields, and internal notes that
// never reach an outbox. The composition root creates one and spreads its handlers.
import type { EventName, EventPayload } from '../../shared/contract';
import type { ComposerParsedInput, ComposerRequestName, ComposerRequestOutput, MacroAction, MacroView } from '../../shared/contractComposer';
import { describeMacroAction } from '../../shared/contractComposer';
import { authorMetadata, serverAuthorName } from '../../shared/storedSentence';
import { checkLength } from '../../shared/composer/channelLimits';
import { refuseAttachmentSet } from '../../shared/composer/attachments';
import { macroProblems } from '../../shared/composer/macroRules';
import { renderMacro } from '../../shared/composer/macroTemplate';
import type { Agent, Channel, TimelineEvent } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import type { CallContext } from '../../shared/rpc';
import type { AttachmentFile } from '../attachmentFiles';
import type { AttachmentStore } from '../email/attachmentStore';
import type { Db } from '../store/database';
import type { Repository } from '../store/repository';
import { ComposerStore } from './composerStore';
import { STARTER_MACROS } from './starterMacros';
import { createAttachmentStaging, type AttachmentStaging } from './attachmentStaging';
import { sealForChannel } from '../privacy/contentSealer';
import type { ReplyHandoff } from '../handoff/handoffService';
import { say } from '../../shared/serverErrors';

export type ComposerHandlers = {
  [K in ComposerRequestName]: (input: ComposerParsedInput<K>, ctx: CallContext) => Promise<ComposerRequestOutput<K>> | ComposerRequestOutput<K>;
};

export interface ComposerServiceOptions {
  db: Db;
  repo: Repository;
  emit: <K extends EventName>(name: K, payload: EventPayload<K>) => void;
  now: () => number;
  /** The desktop's own agent: the author of replies and notes, the owner of personal macros. */
  agent: Agent;
  /** After a reply is stored: wake the outbox workers (email, hub). */
  afterReply?: () => void;
  /** The domain of an email reply's Message-ID (the support address the case's mail came to); null: the default. */
  senderDomain?: (caseId: number) => string | null;
  /** Store the starter macros when none exist yet (the demo center's first run). */
  seedMacros?: boolean;
  /** A macro resolved a case: the same follow-ups as the Resolve button (the hub, the mail archive). */
  onResolved?: (caseId: number) => void;
  /** Where attached files are kept (content-addressed); absent: the composer takes no files. */
  attachments?: AttachmentStore;
  /** The team's agents to @mention when a hub is connected (null: none; the local agents are listed). */
  mentionCandidates?: () => Promise<Array<{ id: number; name: string }> | null>;
  /** Whether an @mention names an agent of the hub's directory. */
  isTeamAgent?: (agentId: number, name: string) => boolean;
  /** A new note was stored: a hub case shares it with the team, the mentioned agents are notified. */
  afterNote?: (note: { caseId: number; eventId: number; body: string; idempotencyKey: string; mentions: Array<{ agentId: number; name: string }> }) => void;
  /** The channel configuration's handoff rule for a reply on another channel (transcript file, public context note). */
  handoff?: (caseId: number, channel: Channel) => ReplyHandoff | null;
}

export interface ComposerService {
  readonly handlers: ComposerHandlers;
  readonly store: ComposerStore;
  /** A file some sent reply carries, by its SHA-256 (for /attachments/<sha256>); null when none does. */
  attachmentFile(sha256: string): AttachmentFile | null;
}

const SEEDED_KEY = 'composer.macrosSeededAt';

export function createComposerService(options: ComposerServiceOptions): ComposerService {
  const { db, repo, emit, now, agent } = options;
  const store = new ComposerStore(db);
  const staging: AttachmentStaging | null = options.attachments ? createAttachmentStaging({ store: options.attachments, now }) : null;
  const stagingOrFail = (): AttachmentStaging => {
    if (!staging) throw new AppError('composer/no-attachments', say('noAttachmentsHere'));
    return staging;
  };

  if (options.seedMacros && repo.getSetting(SEEDED_KEY) === undefined) {
    repo.transaction(() => {
      if (store.macroCount() === 0) for (const m of STARTER_MACROS) store.insertMacro(m, now());
      repo.setSetting(SEEDED_KEY, now());
    });
  }

  const visibleMacro = (id: number): MacroView => {
    const macro = store.macro(id);
    if (!macro || (macro.scope === 'personal' && macro.ownerAgentId !== agent.id)) throw new AppError('not-found', say('macroMissing', { macroId: id }));
    return macro;
  };
  const editableMacro = (id: number): MacroView => {
    const macro = visibleMacro(id);
    if (macro.scope === 'shared' && agent.role === 'agent') throw new AppError('rpc/forbidden', say('macroSharedOnly'));
    return macro;
  };
  const caseContext = (caseId: number) => {
    const ctx = store.caseContext(caseId);
    if (!ctx) throw new AppError('not-found', say('caseMissing', { caseId }));
    return ctx;
  };

  /** Runs macro actions on a case (inside the caller's transaction); returns what was done and a resolve line if any. */
  const runActions = (caseId: number, actions: readonly MacroAction[]): { applied: string[]; resolved: TimelineEvent | null } => {
    const applied: string[] = [];
    let resolved: TimelineEvent | null = null;
    const at = now();
    for (const action of actions) {
      switch (action.type) {
        case 'setPriority':
          store.setPriority(caseId, action.priority, at);
          break;
        case 'addTag':
          store.addTag(caseId, action.tag, agent.id, at);
          break;
        case 'assignToMe':
          store.assign(caseId, agent.id, at);
          break;
        case 'resolve': {
          const result = repo.resolveCase({ caseId, agent, now: at });
          if (result.event) resolved = result.event;
          break;
        }
      }
      applied.push(describeMacroAction(action));
    }
    return { applied, resolved };
  };
  const announceActions = (result: { applied: string[]; resolved: TimelineEvent | null }) => {
    if (result.resolved) {
      emit('timelineAppended', { event: result.resolved });
      if (result.resolved.caseId !== null) options.onResolved?.(result.resolved.caseId);
    }
    if (result.applied.length) emit('queueChanged', { at: now() });
  };

  /** The chat transcript as a text file in the attachment store, ready to go with the email. */
  const storeTranscript = async (file: { filename: string; mimeType: 'text/plain'; content: string }) => {
    if (!options.attachments) throw new AppError('composer/no-attachments', say('transcriptNoFiles'));
    const put = await options.attachments.put(Buffer.from(file.content, 'utf8'));
    if (!put.ok) throw new AppError('composer/attachments-refused', say('transcriptNotStored', { reason: put.message }));
    return { sha256: put.sha256, name: file.filename, contentType: 'text/plain; charset=utf-8', size: put.size, path: put.path };
  };

  /** The public thread's context, on the case before the private reply, as an internal note (never sent). */
  const insertContextNote = (caseId: number, channel: Channel, text: string, idempotencyKey: string): number => {
    const kase = db.prepare(`SELECT customer_id FROM cases WHERE id = ?`).get(caseId) as { customer_id: number };
    return repo.insertEvent({
      caseId,
      customerId: kase.customer_id,
      channel,
      direction: 'internal',
      kind: 'note',
      authorType: 'system',
      authorId: null,
      authorName: serverAuthorName('authorHandoff'),
      subject: null,
      body: text,
      metadata: { handoff: 'public_context', ...authorMetadata('authorHandoff') },
      externalId: `handoff:${idempotencyKey}`,
      occurredAt: now(),
    });
  };

  const handlers: ComposerHandlers = {
    draft: ({ caseId }) => ({ drafts: store.drafts(caseId) }),

    saveDraft: (input) => {
      caseContext(input.caseId);
      const updatedAt = now();
      // Macros whose text was erased are dropped with it.
      const empty = input.body.trim() === '' && input.cc.trim() === '' && input.attachments.length === 0;
      if (empty) {
        store.deleteDraft(input.caseId, input.channel);
        return { saved: false, updatedAt };
      }
      store.saveDraft({ ...input, updatedAt });
      return { saved: true, updatedAt };
    },

    macros: () => ({ macros: store.macrosFor(agent.id) }),

    saveMacro: (input) => {
      if (input.scope === 'shared' && agent.role === 'agent') throw new AppError('rpc/forbidden', say('macroShareForbidden'));
      // Unknown variables would reach a customer as typed; a taken hotkey would insert the other macro.
      const problem = macroProblems({ id: input.id ?? null, body: input.body, hotkey: input.hotkey }, store.macrosFor(agent.id))[0];
      if (problem) throw new AppError(problem.field === 'body' ? 'macro/unknown-variable' : 'macro/hotkey-taken', problem);
      const record = {
        title: input.title,
        body: input.body,
        scope: input.scope,
        ownerAgentId: input.scope === 'personal' ? agent.id : null,
        hotkey: input.hotkey,
        actions: input.actions,
        applyOn: input.applyOn,
      };
      if (input.id !== undefined) {
        editableMacro(input.id);
        store.updateMacro(input.id, record, now());
        return visibleMacro(input.id);
      }
      return visibleMacro(store.insertMacro(record, now()));
    },

    deleteMacro: ({ id }) => {
      if (!store.macro(id)) return { deleted: false };
      editableMacro(id);
      return { deleted: store.deleteMacro(id) };
    },

    applyMacro: ({ caseId, macroId }) => {
      const macro = visibleMacro(macroId);
      const ctx = caseContext(caseId);
      const rendered = renderMacro(macro.body, { customer: { name: ctx.customerName }, case: { id: ctx.caseId, subject: ctx.subject }, agent: { name: agent.name } });
      if (macro.applyOn === 'insert' && macro.actions.length) {
        const result = repo.transaction(() => runActions(caseId, macro.actions));
        announceActions(result);
        return { ...rendered, applied: result.applied, pendingOnSend: false };
      }
      return { ...rendered, applied: [], pendingOnSend: macro.actions.length > 0 };
    },

    mentionableAgents: async () => ({ agents: (await options.mentionCandidates?.()) ?? store.agents() }),

    stageAttachmentStart: (input) => stagingOrFail().start(input),
    stageAttachmentChunk: (input) => stagingOrFail().chunk(input),
    stageAttachmentFinish: (input) => stagingOrFail().finish(input),

    sendComposed: async ({ caseId, channel, body, idempotencyKey, subject, cc, macroIds, attachments }) => {
      const length = checkLength(channel, body);
      if (length.over > 0) {
        throw new AppError('composer/over-limit', say('replyOverLimit', { length: length.length, channel, max: length.max!, over: length.over }));
      }
      const ctx = caseContext(caseId);
      const macros = macroIds.map(visibleMacro).filter((m) => m.applyOn === 'send');
      const known = db.prepare(`SELECT event_id FROM outbox WHERE idempotency_key = ?`).get(idempotencyKey) as { event_id: number } | undefined;
      // The files as stored (bytes re-read, type re-sniffed): the renderer's word is only the hash and the name.
      const files = known || attachments.length === 0 ? [] : await Promise.all(attachments.map((a) => stagingOrFail().resolve(a)));
      // The handoff rule of the matrix as it is now: chat → email attaches the transcript, public → private notes the context.
      const handoff = known ? null : (options.handoff?.(caseId, channel) ?? null);
      if (handoff?.kind === 'full_transcript' && channel === 'email') files.push(await storeTranscript(handoff.attachment));
      const refusal = refuseAttachmentSet(channel, files);
      if (refusal) throw new AppError('composer/attachments-refused', refusal);
      let fresh = false;
      const stored = repo.transaction(() => {
        const before = db.prepare(`SELECT event_id FROM outbox WHERE idempotency_key = ?`).get(idempotencyKey) as { event_id: number } | undefined;
        if (before) return { event: repo.eventById(before.event_id), actions: { applied: [], resolved: null }, contextNote: null };
        fresh = true;
        const domain = channel === 'email' ? (options.senderDomain?.(caseId) ?? null) : null;
        const contextNote = handoff?.kind === 'public_context' ? insertContextNote(caseId, channel, handoff.note, idempotencyKey) : null;
        const event = repo.appendOutgoingMessage({ caseId, channel, body, agent, idempotencyKey, now: now(), ...(domain ? { messageIdDomain: domain } : {}) });
        if (handoff) {
          const { from, to, visibility } = handoff.plan;
          event.metadata = { ...event.metadata, handoff: { kind: handoff.kind, from, to, ...(visibility ? { visibility } : {}) } };
          db.prepare(`UPDATE events SET metadata = ? WHERE id = ?`).run(sealForChannel(db, channel, JSON.stringify(event.metadata)), event.id);
        }
        const listed = files.map((f) => ({ sha256: f.sha256, name: f.name, contentType: f.contentType, size: f.size }));
        for (const f of files) {
          db.prepare(`INSERT INTO outgoing_attachments (event_id, sha256, filename, content_type, size, path) VALUES (?, ?, ?, ?, ?, ?)`).run(event.id, f.sha256, f.name, f.contentType, f.size, f.path);
        }
        if (channel === 'email') {
          // The subject the agent kept or edited and the cc list travel with the mail (payload) and show on the timeline.
          const fixedSubject = subject && subject.replace(/^\s*re:\s*/i, '').trim() !== ctx.subject.trim() ? subject : undefined;
          const payload = {
            body,
            ...(fixedSubject ? { subject: fixedSubject } : {}),
            ...(cc?.length ? { cc } : {}),
            ...(listed.length ? { attachments: listed.map((f) => ({ sha256: f.sha256, filename: f.name, contentType: f.contentType, size: f.size })) } : {}),
          };
          const seal = <T extends string | null>(value: T) => sealForChannel(db, channel, value);
          db.prepare(`UPDATE outbox SET payload = ? WHERE event_id = ?`).run(seal(JSON.stringify(payload)), event.id);
          db.prepare(`UPDATE events SET subject = ?, metadata = ? WHERE id = ?`).run(
            seal(subject ?? null),
            seal(JSON.stringify({ ...event.metadata, ...(cc?.length ? { cc } : {}), ...(listed.length ? { attachments: listed } : {}) })),
            event.id,
          );
        } else if (listed.length) {
          // Chat and in-app: the hub outbox worker uploads the files to the hub before the message.
          const payload = { body, attachments: listed.map((f) => ({ sha256: f.sha256, filename: f.name, contentType: f.contentType, size: f.size })) };
          db.prepare(`UPDATE outbox SET payload = ? WHERE event_id = ?`).run(JSON.stringify(payload), event.id);
          db.prepare(`UPDATE events SET metadata = ? WHERE id = ?`).run(JSON.stringify({ ...event.metadata, attachments: listed }), event.id);
        }
        const actions = runActions(caseId, macros.flatMap((m) => m.actions));
        store.deleteDrafts(caseId);
        return { event: repo.eventById(event.id), actions, contextNote };
      });
      if (fresh) {
        if (stored.contextNote !== null) emit('timelineAppended', { event: repo.eventById(stored.contextNote) });
        emit('timelineAppended', { event: stored.event });
        emit('queueChanged', { at: now() });
        announceActions(stored.actions);
        options.afterReply?.();
      }
      return stored.event;
    },

    addNote: ({ caseId, body, mentions, idempotencyKey }) => {
      const ctx = caseContext(caseId);
      const externalId = `note:${idempotencyKey}`;
      const known = store.agentIds();
      // A local agent, or one of the hub's directory (same id and name); the hub checks its own again.
      const named = mentions.filter((m, i) => (known.has(m.agentId) || options.isTeamAgent?.(m.agentId, m.name) === true) && mentions.findIndex((x) => x.agentId === m.agentId) === i);
      let fresh = false;
      const event = repo.transaction(() => {
        const existing = store.noteByKey(ctx.channel, externalId);
        if (existing !== null) return repo.eventById(existing);
        fresh = true;
        const at = now();
        const id = repo.insertEvent({
          caseId,
          customerId: repo.db.prepare(`SELECT customer_id FROM cases WHERE id = ?`).pluck().get(caseId) as number,
          channel: ctx.channel,
          direction: 'internal',
          kind: 'note',
          authorType: 'agent',
          authorId: agent.id,
          authorName: agent.name,
          subject: null,
          body,
          metadata: { mentions: named },
          externalId,
          occurredAt: at,
        });
        store.deleteNoteDrafts(caseId);
        return repo.eventById(id);
      });
      if (fresh) {
        emit('timelineAppended', { event });
        if (named.some((m) => m.agentId === agent.id && m.name === agent.name)) emit('mentioned', { eventId: event.id, caseId, by: agent.name });
        options.afterNote?.({ caseId, eventId: event.id, body, idempotencyKey, mentions: named });
      }
      return event;
    },
  };

  const attachmentFile = (sha256: string): AttachmentFile | null => {
    const row = db
      .prepare(`SELECT filename, content_type AS contentType, path FROM outgoing_attachments WHERE sha256 = ? ORDER BY id LIMIT 1`)
      .get(sha256) as { filename: string; contentType: string; path: string } | undefined;
    return row ? { path: row.path, contentType: row.contentType, filename: row.filename } : null;
  };

  return { handlers, store, attachmentFile };
}


