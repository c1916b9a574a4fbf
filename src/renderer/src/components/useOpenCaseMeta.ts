// What the conversation header and the composer know about the open case.
import { selectResolvedMeta, useCaseStatusStore, type CaseMeta } from '../state/caseStatus';
import { selectOpenCaseId, useConversationStore } from '../state/conversation';
import { selectProfile, useCustomerStore } from '../state/customer';
import { selectQueueItem, useQueueStore } from '../state/queue';

export type { CaseMeta };

/**
 * What the header shows about the open case: as resolved here (until a customer message reopens
 * it; the queue and profile may not have caught up yet), else its queue row, else the profile's open cases.
 */
export function useOpenCaseMeta(): CaseMeta | null {
  const caseId = useConversationStore(selectOpenCaseId);
  const item = useQueueStore(selectQueueItem(caseId));
  const profile = useCustomerStore(selectProfile);
  const resolved = useCaseStatusStore(selectResolvedMeta(caseId));
  if (caseId === null) return null;
  if (resolved) return resolved;
  if (item) return { caseId, subject: item.subject, channel: item.channel, priority: item.priority, status: item.status };
  const open = profile?.openCases.find((c) => c.id === caseId);
  if (open) return { caseId, subject: open.subject, channel: open.channel, priority: open.priority, status: open.status };
  return null;
}
