// All SQL of the CSAT module: surveys sent, answers to text questions (once per provider message
// id), the link-signing key, and the facts a survey decision needs (rated already, asked recently).
import crypto from 'node:crypto';
import type { Db } from '../../platform/sqlite';

export interface SurveyRow {
  id: number;
  conversationId: number;
  contactId: number;
  channel: string;
  threadKey: string;
  kind: 'text' | 'link';
  agentId: number | null;
  sentAt: number;
  expiresAt: number;
  answeredAt: number | null;
  rating: number | null;
}

interface SurveyDbRow {
  id: number;
  conversation_id: number;
  contact_id: number;
  channel: string;
  thread_key: string;
  kind: 'text' | 'link';
  agent_id: number | null;
  sent_at: number;
  expires_at: number;
  answered_at: number | null;
  rating: number | null;
}

const toSurvey = (r: SurveyDbRow): SurveyRow => ({
  id: r.id,
  conversationId: r.conversation_id,
  contactId: r.contact_id,
  channel: r.channel,
  threadKey: r.thread_key,
  kind: r.kind,
  agentId: r.agent_id,
  sentAt: r.sent_at,
  expiresAt: r.expires_at,
  answeredAt: r.answered_at,
  rating: r.rating,
});

export type CsatStore = ReturnType<typeof createCsatStore>;

export function createCsatStore(db: Db) {
  const s = {
    insert: db.prepare(`INSERT INTO csat_surveys (conversation_id, contact_id, channel, thread_key, kind, agent_id, sent_at, expires_at)
      VALUES (@conversationId, @contactId, @channel, @threadKey, @kind, @agentId, @sentAt, @expiresAt)`),
    byId: db.prepare(`SELECT * FROM csat_surveys WHERE id = ?`),
    openTextSurvey: db.prepare(`SELECT * FROM csat_surveys WHERE kind = 'text' AND channel = ? AND thread_key = ? AND sent_at <= ? AND expires_at > ?
      ORDER BY sent_at DESC, id DESC LIMIT 1`),
    askedSince: db.prepare(`SELECT 1 FROM csat_surveys WHERE contact_id = ? AND sent_at > ? LIMIT 1`),
    rated: db.prepare(`SELECT rating FROM csat WHERE conversation_id = ?`),
    answer: db.prepare(`UPDATE csat_surveys SET answered_at = ?, rating = ? WHERE id = ?`),
    reply: db.prepare(`SELECT survey_id AS surveyId FROM csat_replies WHERE channel = ? AND provider_id = ?`),
    insertReply: db.prepare(`INSERT INTO csat_replies (channel, provider_id, survey_id, rating, received_at) VALUES (?, ?, ?, ?, ?)`),
    conversation: db.prepare(`SELECT id, contact_id AS contactId, channel, thread_key AS threadKey, status, is_public AS isPublic FROM conversations WHERE id = ?`),
    key: db.prepare(`SELECT secret FROM csat_keys WHERE id = 1`),
    insertKey: db.prepare(`INSERT OR IGNORE INTO csat_keys (id, secret, created_at) VALUES (1, ?, ?)`),
  };
  return {
    insertSurvey(row: Omit<SurveyRow, 'id' | 'answeredAt' | 'rating'>): SurveyRow {
      const id = Number(s.insert.run(row).lastInsertRowid);
      return this.survey(id)!;
    },
    survey(id: number): SurveyRow | null {
      const r = s.byId.get(id) as SurveyDbRow | undefined;
      return r ? toSurvey(r) : null;
    },
    /** The latest text question on this thread still answerable at `at`. */
    openTextSurvey(channel: string, threadKey: string, at: number): SurveyRow | null {
      const r = s.openTextSurvey.get(channel, threadKey, at, at) as SurveyDbRow | undefined;
      return r ? toSurvey(r) : null;
    },
    askedSince(contactId: number, since: number): boolean {
      return s.askedSince.get(contactId, since) !== undefined;
    },
    rating(conversationId: number): number | null {
      return (s.rated.get(conversationId) as { rating: number } | undefined)?.rating ?? null;
    },
    answer(surveyId: number, rating: number, at: number): void {
      s.answer.run(at, rating, surveyId);
    },
    /** The survey a provider message already answered (a webhook retry), or null. */
    replySurvey(channel: string, providerId: string): number | null {
      return (s.reply.get(channel, providerId) as { surveyId: number } | undefined)?.surveyId ?? null;
    },
    recordReply(channel: string, providerId: string, surveyId: number, rating: number, at: number): void {
      s.insertReply.run(channel, providerId, surveyId, rating, at);
    },
    conversation(id: number): { id: number; contactId: number; channel: string; threadKey: string; status: string; isPublic: number } | null {
      return (s.conversation.get(id) as { id: number; contactId: number; channel: string; threadKey: string; status: string; isPublic: number } | undefined) ?? null;
    },
    /** The link-signing key: made once at random and kept, so links survive a restart. */
    signingKey(now: number): Buffer {
      const found = s.key.get() as { secret: Buffer } | undefined;
      if (found) return found.secret;
      s.insertKey.run(crypto.randomBytes(32), now);
      return (s.key.get() as { secret: Buffer }).secret;
    },
  };
}
