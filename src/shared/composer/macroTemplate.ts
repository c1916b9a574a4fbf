// Renders a macro's text: `{{customer.first_name}}` and the other known variables become plain
// text (nothing is escaped: replies are plain text). A variable we do not know, or one without a
// value for this case, stays visible as typed and is reported, so the agent sees what to fill in.

export const MACRO_VARIABLES = ['customer.first_name', 'customer.name', 'case.id', 'case.subject', 'agent.name', 'agent.first_name'] as const;
export type MacroVariable = (typeof MACRO_VARIABLES)[number];

export interface MacroContext {
  customer: { name: string | null };
  case: { id: number; subject: string | null };
  agent: { name: string | null };
}

export interface RenderedMacro {
  text: string;
  /** Variables that are not in MACRO_VARIABLES ("{{order.id}}"), left in the text as written. */
  unknown: string[];
  /** Known variables with no value here (a customer without a name), left in the text as written. */
  missing: string[];
}

const VARIABLE = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

function firstName(name: string | null): string | null {
  const first = name?.trim().split(/\s+/)[0];
  return first ? first : null;
}

function valueOf(name: MacroVariable, ctx: MacroContext): string | null {
  switch (name) {
    case 'customer.first_name':
      return firstName(ctx.customer.name);
    case 'customer.name':
      return ctx.customer.name?.trim() || null;
    case 'case.id':
      return String(ctx.case.id);
    case 'case.subject':
      return ctx.case.subject?.trim() || null;
    case 'agent.name':
      return ctx.agent.name?.trim() || null;
    case 'agent.first_name':
      return firstName(ctx.agent.name);
  }
}

function isKnown(name: string): name is MacroVariable {
  return (MACRO_VARIABLES as readonly string[]).includes(name);
}

export function renderMacro(template: string, ctx: MacroContext): RenderedMacro {
  const unknown = new Set<string>();
  const missing = new Set<string>();
  const text = template.replace(VARIABLE, (whole, name: string) => {
    if (!isKnown(name)) {
      unknown.add(name);
      return whole;
    }
    const value = valueOf(name, ctx);
    if (value === null) {
      missing.add(name);
      return whole;
    }
    return value;
  });
  return { text, unknown: [...unknown], missing: [...missing] };
}

/** Inserts rendered text at the caret: a blank line apart from text already there. */
export function insertAt(body: string, caret: number, text: string): { body: string; caret: number } {
  const at = Math.max(0, Math.min(caret, body.length));
  const before = body.slice(0, at);
  const after = body.slice(at);
  const lead = before.trim() === '' ? '' : before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
  const joined = `${before.trim() === '' ? '' : before}${lead}${text}`;
  return { body: joined + after, caret: joined.length };
}
