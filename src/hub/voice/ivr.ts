// The IVR menu as data: which configured option a key press or a spoken phrase picks, and what a
// caller with an open case hears about it. Pure; the call flow turns the answers into TwiML.
import type { HubConversation } from '../../shared/hub/agentProtocol';
import type { IvrConfig, IvrOption } from './config';

/** The option a caller chose: the key pressed first, else the first option one of whose words was said. */
export function chooseOption(options: readonly IvrOption[], digits: string | undefined, speech: string | undefined): IvrOption | null {
  const key = digits?.trim().charAt(0);
  if (key) return options.find((o) => o.key === key) ?? null;
  const said = ` ${(speech ?? '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
  if (said.trim() === '') return null;
  for (const option of options) {
    // "press one" / "one": a spoken digit picks its key too.
    const words = [...option.words, ...(DIGIT_WORDS[option.key] ?? [])];
    if (words.some((w) => said.includes(` ${w.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `))) return option;
  }
  return null;
}

const DIGIT_WORDS: Record<string, string[]> = {
  '0': ['zero'],
  '1': ['one'],
  '2': ['two'],
  '3': ['three'],
  '4': ['four'],
  '5': ['five'],
  '6': ['six'],
  '7': ['seven'],
  '8': ['eight'],
  '9': ['nine'],
};

/** The menu's options for this caller: the note option only when they have an open case. */
export function menuOptions(ivr: IvrConfig, hasOpenCase: boolean): IvrOption[] {
  return ivr.options.filter((o) => o.action !== 'note' || hasOpenCase);
}

const STATUS_WORDS: Record<HubConversation['status'], string> = {
  waiting: 'waiting for the next available agent',
  offered: 'waiting for the next available agent',
  assigned: 'being handled by one of our agents',
  resolved: 'resolved',
};

/** "Your case about <subject> is being handled by one of our agents." */
export function statusSentence(ivr: IvrConfig, conversation: HubConversation): string {
  const subject = conversation.subject.trim() || 'your last contact';
  return ivr.statusPrompt.replaceAll('{subject}', subject).replaceAll('{status}', STATUS_WORDS[conversation.status]);
}

/** Speech hints for Twilio's recognizer: every option's words. */
export function speechHints(options: readonly IvrOption[]): string {
  return [...new Set(options.flatMap((o) => o.words))].join(', ');
}
