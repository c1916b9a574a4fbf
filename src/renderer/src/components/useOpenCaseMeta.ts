// What the conversation header and the composer know about the open case.
import type { CaseStatus, Channel, Priority } from '../../../shared/domain';
import { selectOpenCaseId, useConversationStore } from '../state/conversation';
import { selectProfile, useCustomerStore } from '../state/customer';
import { selectQueueItem, useQueueStore } from '../state/queue';

export interface CaseMeta {
  caseId: number;
  subject: string;
  channel: Channel;
  priority: Priority;
  status: CaseStatus;
}

/** What the header shows about the open case: from its queue row, else from the profile's open cases. */
export function useOpenCaseMeta(): CaseMeta | null {
  const caseId = useConversationStore(selectOpenCaseId);
  const item = useQueueStore(selectQueueItem(caseId));
  const profile = useCustomerStore(selectProfile);
  if (caseId === null) return null;
  if (item) return { caseId, subject: item.subject, channel: item.channel, priority: item.priority, status: item.status };
  const open = profile?.openCases.find((c) => c.id === caseId);
  if (open) return { caseId, subject: open.subject, channel: open.channel, priority: open.priority, status: open.status };
  return null;
}

