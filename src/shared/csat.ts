// Customer satisfaction (CSAT) surveys, the pure parts: reading a text reply as a rating, and the
// texts a survey is written with. The hub sends and records surveys; the desktop sends the email one.
import { say, type Said } from './serverErrors';

/** The channels a survey goes out on as a text question answered with a reply 1–5. */
export const TEXT_SURVEY_CHANNELS = ['sms', 'messenger', 'instagram', 'x'] as const;
export type TextSurveyChannel = (typeof TEXT_SURVEY_CHANNELS)[number];

export function isTextSurveyChannel(channel: string): channel is TextSurveyChannel {
  return (TEXT_SURVEY_CHANNELS as readonly string[]).includes(channel);
}

const WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5 };

/**
 * The rating a customer's reply to "Reply 1–5" is, or null when it is anything else (which then is
 * an ordinary message). Only a reply that is just the score counts: "4", " 5 ", "5!", "five",
 * "4/5", "5 stars", "⭐5" — but not "5 items missing" or "I'd give it 2 but…".
 */
export function parseRatingReply(text: string): number | null {
  const reply = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2b50\u2605\u2606]|\ufe0f/g, ' ')
    .trim()
    .replace(/[\s.!?,;:)]+$/u, '')
    .trim();
  const match = /^(?:([1-5])|(one|two|three|four|five))(?:\s*(?:\/\s*5|out of (?:5|five)|stars?))?$/.exec(reply);
  if (!match) return null;
  return match[1] ? Number(match[1]) : WORDS[match[2]!]!;
}

/** The email survey's text: `{subject}` is the case subject; the five links follow it. */
export function surveyEmailBody(intro: string, subject: string, ratingUrl: (score: number) => string): string {
  const lines = [1, 2, 3, 4, 5].map((score) => `  ${score} ${SCORE_LABELS[score - 1]}: ${ratingUrl(score)}`);
  return `${intro.replaceAll('{subject}', subject)}\n\n${lines.join('\n')}\n\nOne click is enough; you can add a comment on the page that opens.`;
}

export const SCORE_LABELS = ['(very poor)', '(poor)', '(okay)', '(good)', '(excellent)'] as const;

/** What the timeline shows for an answer. */
export function csatSummary(rating: number, comment: string | null): string {
  return csatSaid(rating, comment).message;
}

/** The same line with its catalog key (the timeline shows it in the agent's language). */
export function csatSaid(rating: number, comment: string | null): Said {
  return comment && comment.trim() !== '' ? say('lineRatedComment', { score: rating, comment: comment.trim() }) : say('lineRated', { score: rating });
}
