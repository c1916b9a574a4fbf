// The screen pop's "Customer previously contacted via chat at 10:30 AM", in the agent's language.
import type { Channel } from '../../../shared/domain';
import { newestFirst, type ContactRow } from '../../../shared/voice/screenPop';
import { t } from '../i18n';

/** The newest contact as a sentence, or null without one; `formatTime` renders the time of day. */
export function previousContactLine(contacts: readonly ContactRow[], formatTime: (at: number) => string): string | null {
  const last = newestFirst(contacts)[0];
  if (!last) return null;
  const channel: Channel = last.channel;
  return t('voice:previousContact', { channel: t(`voice:via.${channel}`), time: formatTime(last.at) });
}
