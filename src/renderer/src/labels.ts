// The workspace's names for the product's fixed values in the agent's language: channels,
// priorities, statuses, presence, queue views. The shared layer keeps ids; the words live in the
// catalogs (i18n/<lang>/enums.ts and queue.ts), so a language switch renames everything at once.
import type { CaseStatus, Channel, Priority, Tier } from '../../shared/domain';
import type { MacroAction } from '../../shared/contractComposer';
import type { Presence } from '../../shared/contractHub';
import type { PiiKind } from '../../shared/privacy/masking';
import { viewChannel, viewTag, type BaseView, type QueueViewId } from '../../shared/queueViews';
import { t } from './i18n';

export const channelLabel = (channel: Channel): string => t(`enums:channel.${channel}`);
export const priorityLabel = (priority: Priority): string => t(`enums:priority.${priority}`);
export const statusLabel = (status: CaseStatus): string => t(`enums:status.${status}`);
export const tierLabel = (tier: Tier): string => t(`enums:tier.${tier}`);
export const presenceLabel = (presence: Presence): string => t(`enums:presence.${presence}`);
export const piiLabel = (kind: PiiKind): string => t(`enums:pii.${kind}`);

/** "Workaround given" for 'workaround'; the code itself for one this version does not know. */
export function resolutionLabel(code: string): string {
  return t(`enums:resolution.${code}`, { defaultValue: code });
}

/** A queue view's tab label: "All", "Email", "Tag: billing". */
export function viewLabel(view: QueueViewId): string {
  const channel = viewChannel(view);
  const tag = viewTag(view);
  if (channel) return channelLabel(channel);
  return tag !== null ? t('queue:view.tag', { tag }) : t(`queue:view.${view as BaseView}`);
}

/** What an empty view says. */
export function emptyViewSentence(view: QueueViewId): string {
  const channel = viewChannel(view);
  const tag = viewTag(view);
  if (tag !== null) return t('queue:empty.tag', { tag });
  return channel ? t('queue:empty.channel', { channel: channelLabel(channel) }) : t(`queue:empty.${view as BaseView}`);
}

/** "Set priority to High", "Add tag refund": what a macro will do, in the agent's language. */
export function macroActionLabel(action: MacroAction): string {
  switch (action.type) {
    case 'setPriority':
      return t('macros:actionSummary.setPriority', { priority: priorityLabel(action.priority) });
    case 'addTag':
      return t('macros:actionSummary.addTag', { tag: action.tag });
    case 'assignToMe':
      return t('macros:actionSummary.assignToMe');
    case 'resolve':
      return t('macros:actionSummary.resolve');
  }
}
