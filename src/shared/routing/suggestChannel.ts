// Suggests a better channel to the customer ("This is complex — would you prefer a phone call?") from
// the priority, the issue type, the message length and the back-and-forth count. It only suggests.
import { CHANNEL_LABELS, type Channel, type IssueType, type Priority } from '../domain';
import { DEFAULT_ROUTING_CONFIG, type ChannelSuggestion, type SuggestConfig } from './types';

export interface SuggestInput {
  issueType: IssueType;
  currentChannel: Channel;
  /** Length of the customer's latest message, in characters. */
  messageLength: number;
  /** Customer/agent exchanges so far. */
  backAndForth: number;
  priority: Priority;
  preferredChannel: Channel | null;
  /** Channels that cannot take the customer now (an outage, an overflowing queue): never suggested. */
  unavailable?: readonly Channel[];
}

/** How live a channel is. A suggestion towards a live channel only ever moves up this scale. */
const LIVENESS: Partial<Record<Channel, number>> = { phone: 2, chat: 1 };
const liveness = (c: Channel): number => LIVENESS[c] ?? 0;
const LIVE_CHANNELS: readonly Channel[] = ['phone', 'chat'];

/** A move worth suggesting: another channel, and if it is a live one, a livelier one than now. */
const isMove = (from: Channel, to: Channel): boolean => to !== from && (liveness(to) === 0 || liveness(to) > liveness(from));

type Cause = 'urgent' | 'complex' | 'issue';

interface Want {
  cause: Cause;
  channel: Channel;
  why: string;
}

/**
 * The first rule that applies decides, in this order:
 *   1. urgent → `urgentChannel` (phone);
 *   2. complex (long message or many back-and-forths) → the issue type's channel when it is live
 *      and the conversation is not very complex, else phone;
 *   3. the issue type's channel (technical → chat, billing → email).
 * Then the customer's preference: a customer who prefers the channel they are on is not asked
 * (unless it is urgent and they are on a written channel), and among live channels the one they
 * prefer replaces ours. Never suggests the current channel or an unavailable one; null when nothing fits.
 */
export function suggestChannel(input: SuggestInput, config: SuggestConfig = DEFAULT_ROUTING_CONFIG.suggest): ChannelSuggestion | null {
  const want = pick(input, config);
  if (want === null) return null;
  const current = input.currentChannel;
  const preferred = input.preferredChannel;
  const unavailable = input.unavailable ?? [];
  const up = (c: Channel) => !unavailable.includes(c);

  if (preferred === current && (want.cause !== 'urgent' || liveness(current) > 0)) return null;

  let channel = want.channel;
  let note = '';
  if (preferred !== null && liveness(channel) > 0 && liveness(preferred) > 0 && preferred !== channel && isMove(current, preferred) && up(preferred)) {
    channel = preferred;
    note = ` (customer prefers ${CHANNEL_LABELS[preferred]})`;
  }
  if (!up(channel)) {
    // A live channel that is down can stand in for another live one when the matter is urgent or complex.
    const stand = want.cause === 'issue' || liveness(channel) === 0 ? undefined : LIVE_CHANNELS.find((c) => c !== channel && up(c) && isMove(current, c));
    if (stand === undefined) return null;
    note = ` (${CHANNEL_LABELS[channel]} unavailable)`;
    channel = stand;
  }
  if (!isMove(current, channel)) return null;
  return { channel, reason: `${want.why} → ${channel}${note}`, prompt: prompt(want.cause, channel) };
}

function pick(input: SuggestInput, config: SuggestConfig): Want | null {
  const current = input.currentChannel;
  if (input.priority === 'urgent' && isMove(current, config.urgentChannel)) {
    return { cause: 'urgent', channel: config.urgentChannel, why: 'urgent' };
  }

  const issueChannel = config.issueChannel[input.issueType];
  const many = input.backAndForth >= config.complexBackAndForth;
  const long = input.messageLength >= config.complexMessageLength;
  if (many || long) {
    const very = input.backAndForth >= config.veryComplexBackAndForth || input.messageLength >= config.veryComplexMessageLength;
    const candidates: Channel[] = issueChannel !== undefined && liveness(issueChannel) > 0 && !very ? [issueChannel, 'phone'] : ['phone'];
    const channel = candidates.find((c) => isMove(current, c));
    if (channel !== undefined) {
      const detail = many ? `${input.backAndForth} back-and-forths` : `message of ${input.messageLength} characters`;
      return { cause: 'complex', channel, why: `complex: ${detail}` };
    }
  }

  if (issueChannel !== undefined && isMove(current, issueChannel)) {
    return { cause: 'issue', channel: issueChannel, why: input.issueType };
  }
  return null;
}

function prompt(cause: Cause, channel: Channel): string {
  const label = CHANNEL_LABELS[channel];
  if (cause === 'issue') {
    if (channel === 'phone') return 'Would you prefer a phone call?';
    if (channel === 'chat') return 'A live chat may be quicker for this — would you like to continue in chat?';
    if (channel === 'email') return 'We can send the details by email — would you like that?';
    return `Would you like to continue on ${label}?`;
  }
  const opener = cause === 'urgent' ? 'This is urgent' : 'This is complex';
  if (channel === 'phone') return `${opener} — would you prefer a phone call?`;
  if (channel === 'chat') return `${opener} — would you like to continue in a live chat?`;
  if (channel === 'email') return `${opener} — we can send the details by email. Would you like that?`;
  return `${opener} — would you like to continue on ${label}?`;
}
