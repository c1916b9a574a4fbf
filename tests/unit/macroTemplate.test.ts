import { describe, expect, it } from 'vitest';
import { insertAt, renderMacro } from '../../src/shared/composer/macroTemplate';
import { applyMention, matchAgents, mentionAt, mentionsIn } from '../../src/shared/composer/mentions';
import { parseCc, replySubjectFor, withQuotedHistory } from '../../src/shared/composer/emailReply';
import { checkLength } from '../../src/shared/composer/channelLimits';

const ctx = { customer: { name: 'Jane  Smith' }, case: { id: 42, subject: 'API timeouts' }, agent: { name: 'Alex Morgan' } };

describe('macro rendering', () => {
  it('fills every known variable', () => {
    const r = renderMacro('Hi {{customer.first_name}} ({{customer.name}}), case #{{case.id}} "{{case.subject}}" – {{agent.first_name}} / {{ agent.name }}', ctx);
    expect(r.text).toBe('Hi Jane (Jane  Smith), case #42 "API timeouts" – Alex / Alex Morgan');
    expect(r.unknown).toEqual([]);
    expect(r.missing).toEqual([]);
  });

  it('leaves unknown variables visible and reports them once', () => {
    const r = renderMacro('Order {{order.id}} for {{customer.first_name}}; again {{order.id}} and {{Customer.Name}}', ctx);
    expect(r.text).toBe('Order {{order.id}} for Jane; again {{order.id}} and {{Customer.Name}}');
    expect(r.unknown).toEqual(['order.id', 'Customer.Name']);
  });

  it('leaves a known variable without a value visible and reports it as missing', () => {
    const r = renderMacro('Hi {{customer.first_name}},', { ...ctx, customer: { name: '  ' } });
    expect(r.text).toBe('Hi {{customer.first_name}},');
    expect(r.missing).toEqual(['customer.first_name']);
  });

  it('escapes nothing: values go in as plain text', () => {
    const r = renderMacro('{{customer.name}}', { ...ctx, customer: { name: '<b>Tom & Jerry</b>' } });
    expect(r.text).toBe('<b>Tom & Jerry</b>');
  });

  it('does not treat a value that looks like a variable as a template', () => {
    const r = renderMacro('{{case.subject}}', { ...ctx, case: { id: 1, subject: '{{agent.name}}' } });
    expect(r.text).toBe('{{agent.name}}');
  });

  it('inserts a macro at the caret a blank line apart from what was typed', () => {
    expect(insertAt('', 0, 'Hello')).toEqual({ body: 'Hello', caret: 5 });
    expect(insertAt('Thanks', 6, 'Hello')).toEqual({ body: 'Thanks\n\nHello', caret: 13 });
  });
});

describe('mentions in a note', () => {
  const agents = [
    { id: 1, name: 'Alex Morgan' },
    { id: 2, name: 'Maya Chen' },
    { id: 3, name: 'Marco Rossi' },
  ];
  it('finds the "@word" being typed and lists the agents it matches', () => {
    expect(mentionAt('ping @ma', 8)).toEqual({ start: 5, query: 'ma' });
    expect(mentionAt('mail@ma', 7)).toBeNull();
    expect(matchAgents(agents, 'ma').map((a) => a.id)).toEqual([2, 3]);
    expect(matchAgents(agents, 'chen').map((a) => a.id)).toEqual([2]);
  });

  it('replaces the query with the full name and keeps only mentions still in the text', () => {
    const at = mentionAt('ping @ma', 8)!;
    const { text, caret } = applyMention('ping @ma', at, 'Maya Chen');
    expect(text).toBe('ping @Maya Chen ');
    expect(caret).toBe(text.length);
    const picked = [
      { agentId: 2, name: 'Maya Chen' },
      { agentId: 3, name: 'Marco Rossi' },
    ];
    expect(mentionsIn(text, picked)).toEqual([{ agentId: 2, name: 'Maya Chen' }]);
  });
});

describe('email fields and channel limits', () => {
  it('prefills the subject with one "Re:"', () => {
    expect(replySubjectFor('Re: RE: Invoice')).toBe('Re: Invoice');
    expect(replySubjectFor('Invoice')).toBe('Re: Invoice');
  });
  it('splits cc into addresses and reports what is not one', () => {
    expect(parseCc('a@x.com, B@Y.org; nope')).toEqual({ addresses: ['a@x.com', 'b@y.org'], invalid: ['nope'] });
  });
  it('quotes the last message under the reply', () => {
    expect(withQuotedHistory('Thanks', { authorName: 'Jane', when: 'Jan 10', body: 'line 1\n\nline 2' })).toBe('Thanks\n\nOn Jan 10, Jane wrote:\n> line 1\n>\n> line 2');
  });
  it('knows each channel limit', () => {
    expect(checkLength('instagram', 'a'.repeat(1001))).toEqual({ length: 1001, max: 1000, over: 1 });
    expect(checkLength('messenger', 'a'.repeat(2000)).over).toBe(0);
    expect(checkLength('x', 'a'.repeat(10_001)).over).toBe(1);
    expect(checkLength('chat', 'a'.repeat(5_001)).over).toBe(1);
    expect(checkLength('email', 'a'.repeat(50_000)).max).toBeNull();
  });
});
