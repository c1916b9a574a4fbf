// CSAT surveys on the hub. When a conversation on SMS, Messenger, Instagram or X is resolved, the
// customer gets the question on that channel, and a reply that is just a score (within the window)
// is recorded as the rating instead of opening a conversation. For email, desktops ask for a signed
// link (`csatSurvey`) and send the mail; /csat/<token> shows the rating form (GET never records:
// mail scanners open links) and records on POST. Nobody is asked twice within `quietDays`, nor
// about a conversation they rated already. The widget asks in its own panel (widget module).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isTextSurveyChannel, parseRatingReply } from '../../shared/csat';
import { readBody } from '../http';
import type { HubContext, HubModule, HubModuleFactory, InboundMessage, InboundClaim, SurveyLinkResult } from '../services';
import type { HubConversation } from '../../shared/hub/agentProtocol';
import { csatDurations } from './config';
import { createCsatStore } from './csatStore';
import { CSAT_CSS, formPage, problemPage, sendPage, thanksPage } from './page';
import { checkToken, signToken } from './tokens';

export const CSAT_PATH = '/csat/';
const STYLES_PATH = '/csat/assets/csat.css';
const MAX_COMMENT = 2000;

export function createCsat(ctx: HubContext): HubModule {
  const config = ctx.config.csat;
  const { quietMs, linkTtlMs, replyWindowMs } = csatDurations(config);
  const store = createCsatStore(ctx.db);
  const key = config.linkSecret !== '' ? Buffer.from(config.linkSecret, 'utf8') : store.signingKey(ctx.now());

  /** Why this customer is not asked now, or null to ask. */
  const reasonNotToAsk = (conversationId: number, contactId: number, now: number): string | null => {
    if (store.rating(conversationId) !== null) return 'The customer already rated this conversation.';
    if (quietMs > 0 && store.askedSince(contactId, now - quietMs)) return `The customer was asked for a rating within the last ${config.quietDays} days.`;
    return null;
  };

  ctx.conversations.provideSurveyLinks((conversationId, agentId): SurveyLinkResult => {
    const none = (reason: string): SurveyLinkResult => ({ url: null, expiresAt: null, reason });
    if (!config.enabled) return none('Satisfaction surveys are off on this hub.');
    const conv = store.conversation(conversationId);
    if (!conv) return none(`There is no conversation ${conversationId}.`);
    if (conv.channel !== 'email') return none('Rating links are for email conversations; other channels are asked on their own channel.');
    return ctx.conversations.transaction(() => {
      const now = ctx.now();
      const reason = reasonNotToAsk(conv.id, conv.contactId, now);
      if (reason) return none(reason);
      const survey = store.insertSurvey({
        conversationId: conv.id,
        contactId: conv.contactId,
        channel: conv.channel,
        threadKey: conv.threadKey,
        kind: 'link',
        agentId,
        sentAt: now,
        expiresAt: now + linkTtlMs,
      });
      const token = signToken(key, survey.id, conv.id, survey.expiresAt);
      return { url: `${ctx.publicUrl()}${CSAT_PATH}${token}`, expiresAt: survey.expiresAt, reason: null };
    });
  });

  /** A resolved SMS or social conversation: the question on its channel, once per resolution. */
  const askOnChannel = (conv: HubConversation) => {
    if (!config.enabled || conv.isPublic || !isTextSurveyChannel(conv.channel)) return;
    const settings = config[conv.channel];
    if (!settings.enabled) return;
    const row = store.conversation(conv.id);
    if (!row) return;
    const survey = ctx.conversations.transaction(() => {
      const now = ctx.now();
      if (reasonNotToAsk(conv.id, conv.contact.id, now)) return null;
      return store.insertSurvey({
        conversationId: conv.id,
        contactId: conv.contact.id,
        channel: conv.channel,
        threadKey: row.threadKey,
        kind: 'text',
        agentId: conv.assignedAgentId,
        sentAt: now,
        expiresAt: now + replyWindowMs,
      });
    });
    if (!survey) return;
    try {
      // Stored as a bot message the agents see; delivered by the channel's sender like a reply.
      ctx.conversations.postBotMessage(conv.id, settings.question, `csat-survey:${survey.id}`);
    } catch (e) {
      ctx.log.error(`csat: the survey question of conversation ${conv.id} could not be stored`, e);
    }
  };

  /** A reply that is just a score, on a thread asked within the window, whose conversation is still resolved. */
  const claimRating = (m: InboundMessage): InboundClaim | null => {
    if (!config.enabled || !isTextSurveyChannel(m.channel)) return null;
    const rating = parseRatingReply(m.text);
    if (rating === null) return null;
    const taken = store.replySurvey(m.channel, m.providerId);
    if (taken !== null) return { by: 'csat', conversationId: store.survey(taken)!.conversationId };
    const now = ctx.now();
    const survey = store.openTextSurvey(m.channel, m.threadKey, now);
    if (!survey) return null;
    const conv = store.conversation(survey.conversationId);
    // The customer wrote something else since (the conversation reopened): a digit is then a message.
    if (!conv || conv.status !== 'resolved') return null;
    store.recordReply(m.channel, m.providerId, survey.id, rating, now);
    store.answer(survey.id, rating, now);
    ctx.conversations.recordCsat(conv.id, rating, null);
    const thanks = config[m.channel].thanks;
    ctx.conversations.afterCommit(() => {
      try {
        ctx.conversations.postBotMessage(conv.id, thanks, `csat-thanks:${m.channel}:${m.providerId}`);
      } catch (e) {
        ctx.log.error(`csat: the thank-you to a rating on conversation ${conv.id} could not be stored`, e);
      }
    });
    return { by: 'csat', conversationId: conv.id };
  };

  const unobserve = ctx.conversations.observe({ resolved: askOnChannel });
  const unclaim = ctx.conversations.addInboundClaimer(claimRating);

  /** The survey a token opens, or the page that says why not (403 forged, 410 expired). */
  const surveyOf = (res: ServerResponse, token: string) => {
    const check = checkToken(key, token, ctx.now(), (id) => store.survey(id)?.conversationId ?? null);
    if (check.ok) return store.survey(check.surveyId)!;
    if (check.reason === 'expired') {
      sendPage(res, 410, problemPage('This link has expired', 'This rating link has expired, so nothing was recorded. Thank you for wanting to tell us how we did; you can simply reply to our email instead.'));
    } else {
      sendPage(res, 403, problemPage('This link is not valid', 'This rating link is not valid (it may have been cut short or changed), so nothing was recorded. Please use the link from our email exactly as it is.'));
    }
    return null;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    if (url.pathname === STYLES_PATH) {
      res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600', 'X-Content-Type-Options': 'nosniff' });
      res.end(CSAT_CSS);
      return;
    }
    const token = url.pathname.slice(CSAT_PATH.length);
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST') {
      sendPage(res, 405, problemPage('Not allowed', 'Open the rating link in a browser.'), { Allow: 'GET, POST' });
      return;
    }
    if (req.method === 'POST') {
      // Read first: an answer is sent only once the whole request has arrived.
      const body = await readBody(req, Math.min(ctx.config.maxBodyBytes, 64 * 1024));
      const survey = surveyOf(res, token);
      if (!survey) return;
      const fields = new URLSearchParams(body.toString('utf8'));
      const rating = Number(fields.get('rating'));
      const comment = (fields.get('comment') ?? '').trim().slice(0, MAX_COMMENT);
      const subject = ctx.conversations.conversation(survey.conversationId)?.subject ?? null;
      if (!Number.isInteger(rating) || rating < 1 || rating > 5) {
        const page = formPage({ title: config.pageTitle, subject, selected: null, current: store.rating(survey.conversationId), comment, action: url.pathname, error: 'Choose a rating from 1 to 5, then send it.' });
        sendPage(res, 400, page);
        return;
      }
      const before = store.rating(survey.conversationId);
      ctx.conversations.transaction(() => {
        ctx.conversations.recordCsat(survey.conversationId, rating, comment === '' ? null : comment);
        store.answer(survey.id, rating, ctx.now());
      });
      sendPage(res, 200, thanksPage(rating, before !== null));
      return;
    }
    const survey = surveyOf(res, token);
    if (!survey) return;
    const score = Number(url.searchParams.get('score'));
    const current = store.rating(survey.conversationId);
    const selected = Number.isInteger(score) && score >= 1 && score <= 5 ? score : current;
    const subject = ctx.conversations.conversation(survey.conversationId)?.subject ?? null;
    sendPage(res, 200, formPage({ title: config.pageTitle, subject, selected, current, comment: '', action: url.pathname }));
  };

  return {
    name: 'csat',
    async handleHttp(req, res, url) {
      if (!url.pathname.startsWith(CSAT_PATH)) return false;
      await handle(req, res, url);
      return true;
    },
    close() {
      unobserve();
      unclaim();
    },
  };
}

export const createCsatModule: HubModuleFactory = createCsat;
