import { describe, expect, it } from 'vitest';
import { hotkeyOwner, macroProblems, unknownVariables, unknownVariablesMessage } from '../../src/shared/composer/macroRules';
import { renderMacro } from '../../src/shared/composer/macroTemplate';

const visible = [
  { id: 1, title: 'Greeting', hotkey: 1 },
  { id: 2, title: 'Ask for details', hotkey: 3 },
  { id: 3, title: 'Refund issued', hotkey: null },
];

describe('macro validation', () => {
  it('accepts the known variables, with or without spaces inside the braces', () => {
    expect(unknownVariables('Hi {{customer.first_name}}, #{{ case.id }} – {{agent.name}} {{customer.name}} {{case.subject}} {{agent.first_name}}')).toEqual([]);
    expect(macroProblems({ id: null, body: 'Hi {{customer.first_name}}', hotkey: 2 }, visible)).toEqual([]);
  });

  it('names each unknown variable once, in order, including ones the renderer would not even read', () => {
    expect(unknownVariables('{{order.id}} {{Customer.Name}} {{order.id}} {{first name}} {{}}')).toEqual(['order.id', 'Customer.Name', 'first name', '']);
    // Every variable the renderer leaves unfilled as unknown is reported here too.
    const body = 'Order {{order.id}} for {{customer.first_name}} {{Customer.Name}}';
    expect(renderMacro(body, { customer: { name: 'Jane' }, case: { id: 1, subject: null }, agent: { name: null } }).unknown.every((v) => unknownVariables(body).includes(v))).toBe(true);
  });

  it('says what is wrong and which variables exist', () => {
    expect(unknownVariablesMessage(['order.id'])).toBe(
      'Unknown variable {{order.id}}. A macro can use {{customer.first_name}}, {{customer.name}}, {{case.id}}, {{case.subject}}, {{agent.name}}, {{agent.first_name}}.',
    );
    expect(unknownVariablesMessage(['a', 'b'])).toMatch(/^Unknown variables \{\{a\}\}, \{\{b\}\}\./);
    expect(macroProblems({ id: null, body: 'Your order {{order.id}}', hotkey: null }, visible)).toMatchObject([{ field: 'body', message: unknownVariablesMessage(['order.id']), key: 'macroUnknownVariable' }]);
  });

  it('finds a hotkey conflict with another macro, never with the macro itself or for no hotkey', () => {
    expect(hotkeyOwner(visible, 3, null)?.title).toBe('Ask for details');
    expect(hotkeyOwner(visible, 3, 2)).toBeNull();
    expect(hotkeyOwner(visible, null, null)).toBeNull();
    expect(hotkeyOwner(visible, 9, null)).toBeNull();
    expect(macroProblems({ id: 3, body: 'ok', hotkey: 1 }, visible)).toMatchObject([{ field: 'hotkey', message: 'Alt+1 is already the hotkey of “Greeting”; pick another or none.', key: 'macroHotkeyTaken' }]);
  });
});
