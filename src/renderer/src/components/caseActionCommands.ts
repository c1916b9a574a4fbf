// The command palette's case actions for the open case (resolve is the palette's own command, which
// opens the resolution-code dialog): snooze (a preset, until the customer replies, or a custom time), reopen, link to another case,
// merge into another case of the customer, split at a message.
import { SNOOZE_PRESETS, snoozePresetUntil, type SnoozePreset } from '../../../shared/contractCaseActions';
import { t } from '../i18n';
import { channelLabel } from '../labels';
import { useCaseActionsStore } from '../state/caseActions';
import { useCaseToolsStore } from '../state/caseTools';
import { useConversationStore } from '../state/conversation';
import { isClosedStatus, type CaseMeta } from '../state/caseStatus';
import type { PaletteCommand } from '../state/palette';

/** The palette's own shapes (CommandPalette.tsx), repeated here so this file stays a plain list. */
interface FormSpec {
  title: string;
  submitLabel: string;
  choice?: { label: string; options: Array<{ value: string; label: string }> };
  text: { label: string; required: boolean };
  submit(text: string, choice: string): Promise<string | null>;
}
type Outcome = { focus?: () => void } | { form: FormSpec };
export interface CaseActionCommand extends PaletteCommand {
  run(): Outcome | Promise<Outcome>;
}

const zone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const errorFor = (caseId: number, fallback: string) => {
  const error = useCaseActionsStore.getState().error;
  return error?.caseId === caseId ? error.message : fallback;
};

/** "2026-01-20 14:00" or "2026-01-20T14:00" in the agent's zone; null when it is no date. */
export function parseCustomTime(text: string): number | null {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})\s*$/.exec(text);
  if (!m) return null;
  const at = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])).getTime();
  return Number.isNaN(at) ? null : at;
}

export function caseActionCommands(meta: CaseMeta): CaseActionCommand[] {
  const closed = isClosedStatus(meta.status);
  const detail = `#${meta.caseId} ${meta.subject}`;
  const out: CaseActionCommand[] = [
    {
      id: 'snooze',
      group: 'Conversation',
      label: t('palette:snooze'),
      keywords: 'later remind defer wait until customer replies',
      detail,
      ...(closed ? { disabledReason: t('palette:caseIsReopen', { status: t(`enums:statusWord.${meta.status}`) }) } : {}),
      run: () => ({
        form: {
          title: t('palette:snoozeTitle', { caseId: meta.caseId }),
          submitLabel: t('palette:snoozeSubmit'),
          choice: {
            label: t('palette:until'),
            options: [...SNOOZE_PRESETS.map((p) => ({ value: p.id, label: t(`enums:snooze.${p.id}`) })), { value: 'reply', label: t('palette:untilReply') }, { value: 'custom', label: t('palette:customBelow') }],
          },
          text: { label: t('palette:customTime'), required: false },
          async submit(text, choice) {
            let until: number | null;
            if (choice === 'reply') until = null;
            else if (choice === 'custom') {
              until = parseCustomTime(text);
              if (until === null) return t('palette:badCustomTime');
            } else until = snoozePresetUntil(choice as SnoozePreset, Date.now(), zone());
            return (await useCaseActionsStore.getState().snooze(meta, until)) ? null : errorFor(meta.caseId, t('caseActions:error.snooze'));
          },
        },
      }),
    },
    {
      id: 'reopen',
      group: 'Conversation',
      label: t('palette:reopen'),
      keywords: 'open again undo resolve',
      detail,
      ...(closed ? {} : { disabledReason: t('palette:caseIsNotResolved', { status: t(`enums:statusWord.${meta.status}`) }) }),
      run: async () => (await useCaseActionsStore.getState().reopen(meta), {}),
    },
    {
      id: 'link',
      group: 'Conversation',
      label: t('palette:link'),
      keywords: 'related ticket relate connect',
      detail,
      run: () => ({
        form: {
          title: t('palette:linkTitle', { caseId: meta.caseId }),
          submitLabel: t('palette:linkSubmit'),
          text: { label: t('palette:caseNumber'), required: true },
          async submit(text) {
            const other = Number(text.trim().replace(/^#/, ''));
            if (!Number.isInteger(other) || other <= 0) return t('palette:enterCaseNumber');
            return useCaseActionsStore.getState().link(meta, other);
          },
        },
      }),
    },
    {
      id: 'merge',
      group: 'Conversation',
      label: t('palette:merge'),
      keywords: 'combine duplicate join same customer',
      detail,
      ...(closed ? { disabledReason: t('palette:caseIs', { status: t(`enums:statusWord.${meta.status}`) }) } : {}),
      run: () => ({ focus: () => useCaseToolsStore.getState().openMerge(meta) }),
    },
  ];
  // Split at one of the case's messages (the timeline's "Split…" does the same from the message).
  const messages = useConversationStore.getState().events.filter((e) => e.caseId === meta.caseId && e.kind === 'message');
  out.push({
    id: 'split',
    group: 'Conversation',
    label: t('palette:split'),
    keywords: 'separate break off new ticket message thread',
    detail,
    ...(closed ? { disabledReason: t('palette:caseIs', { status: t(`enums:statusWord.${meta.status}`) }) } : messages.length < 2 ? { disabledReason: t('palette:singleMessage') } : {}),
    run: () => ({
      form: {
        title: t('palette:splitTitle', { caseId: meta.caseId }),
        submitLabel: t('palette:splitSubmit'),
        choice: {
          label: t('palette:splitFrom'),
          options: messages
            .slice(1)
            .reverse()
            .map((e) => ({ value: String(e.id), label: t('palette:splitOption', { author: e.authorName, channel: channelLabel(e.channel), excerpt: e.body.replace(/\s+/g, ' ').slice(0, 60) }) })),
        },
        text: { label: t('palette:newSubject'), required: false },
        async submit(text, choice) {
          const ok = await useCaseToolsStore.getState().split(meta, Number(choice), text);
          return ok ? null : (useCaseToolsStore.getState().error ?? t('caseActions:error.split'));
        },
      },
    }),
  });
  return out;
}
