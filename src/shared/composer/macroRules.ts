// What makes a macro savable, checked the same way by the editor (as the agent types) and by main
// (before it is stored): every {{variable}} is one the renderer knows, and its hotkey is not already
// another visible macro's. Pure; the caller passes the macros the agent sees.
import { MACRO_VARIABLES } from './macroTemplate';
import { say, type Said } from '../serverErrors';

/** "{{ customer.first_name }}" and anything else between double braces, as the renderer reads them. */
const VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;

export interface MacroProblem extends Said {
  field: 'body' | 'hotkey';
}

/** Variables in the text that the renderer does not know, once each, in order of appearance. */
export function unknownVariables(body: string): string[] {
  const out: string[] = [];
  for (const m of body.matchAll(VARIABLE)) {
    const name = m[1]!;
    if (!(MACRO_VARIABLES as readonly string[]).includes(name) && !out.includes(name)) out.push(name);
  }
  return out;
}

/** The sentence for unknown variables, naming the ones that exist. */
export function unknownVariablesSentence(unknown: readonly string[]): Said {
  const names = unknown.map((v) => `{{${v}}}`).join(', ');
  const known = MACRO_VARIABLES.map((v) => `{{${v}}}`).join(', ');
  return say(unknown.length === 1 ? 'macroUnknownVariable' : 'macroUnknownVariables', { names, known });
}

export const unknownVariablesMessage = (unknown: readonly string[]): string => unknownVariablesSentence(unknown).message;

/** The other macro that already has this hotkey, if any. */
export function hotkeyOwner<M extends { id: number; hotkey: number | null }>(macros: readonly M[], hotkey: number | null, selfId: number | null): M | null {
  if (hotkey === null) return null;
  return macros.find((m) => m.hotkey === hotkey && m.id !== selfId) ?? null;
}

/** Every reason the macro cannot be saved as it is; empty when it can. */
export function macroProblems(
  macro: { id: number | null; body: string; hotkey: number | null },
  visible: ReadonlyArray<{ id: number; title: string; hotkey: number | null }>,
): MacroProblem[] {
  const problems: MacroProblem[] = [];
  const unknown = unknownVariables(macro.body);
  if (unknown.length > 0) problems.push({ field: 'body', ...unknownVariablesSentence(unknown) });
  const owner = hotkeyOwner(visible, macro.hotkey, macro.id);
  if (owner) problems.push({ field: 'hotkey', ...say('macroHotkeyTaken', { hotkey: macro.hotkey ?? '', title: owner.title }) });
  return problems;
}
