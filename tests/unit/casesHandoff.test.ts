import { describe, expect, it } from 'vitest';
import { DEFAULT_HANDOFF_RULES, HandoffRuleSet, applyHandoff, emailOwnText, findHandoffRule, parseHandoffRules, type HandoffBundle, type HandoffEvent } from '../../src/shared/cases';

const T = Date.UTC(2026, 2, 10, 9, 0);
const MIN = 60_000;

let nextId = 1;
function ev(o: Partial<HandoffEvent> & Pick<HandoffEvent, 'channel' | 'body'>): HandoffEvent {
  const fromCustomer = (o.authorType ?? 'customer') === 'customer';
  return {
    id: nextId++,
    direction: fromCustomer ? 'in' : 'out',
    kind: 'message',
    authorType: 'customer',
    authorName: fromCustomer ? 'Ana Silva' : 'Sam Agent',
    subject: null,
    occurredAt: T,
    ...o,
  };
}

function bundle(from: Parameters<typeof applyHandoff>[1], to: Parameters<typeof applyHandoff>[2], history: HandoffEvent[], options = {}): HandoffBundle {
  const r = applyHandoff(DEFAULT_HANDOFF_RULES, from, to, history, options);
  if (!r.ok) throw new Error(r.error.message);
  return r.bundle;
}

describe('the handoff rules of the configuration matrix', () => {
  it('are data, valid against their schema', () => {
    expect(HandoffRuleSet.safeParse(DEFAULT_HANDOFF_RULES).success).toBe(true);
    expect(findHandoffRule(DEFAULT_HANDOFF_RULES, 'messenger', 'chat')).toEqual({ from: 'social', to: 'chat', visibility: 'private', keep: 'public_context' });
    expect(findHandoffRule(DEFAULT_HANDOFF_RULES, 'sms', 'escalation')).toEqual({ from: 'any', to: 'escalation', keep: 'whole_history' });
  });

  it('chat → email keeps the full transcript attached', () => {
    const history = [
      ev({ channel: 'chat', body: 'Hi, my invoice is wrong.', occurredAt: T }),
      ev({ channel: 'chat', body: 'Let me check.', authorType: 'agent', occurredAt: T + MIN }),
      ev({ channel: 'chat', body: 'Customer is on the legacy plan', direction: 'internal', authorType: 'agent', kind: 'note', occurredAt: T + 2 * MIN }),
      ev({ channel: 'email', body: 'Unrelated email', occurredAt: T - 60 * MIN }),
    ];
    const b = bundle('chat', 'email', history, { caseId: 48350 });
    expect(b.kind).toBe('full_transcript');
    if (b.kind !== 'full_transcript') return;
    expect(b.attachment.filename).toBe('chat-transcript-case-48350-2026-03-10.txt');
    expect(b.attachment.mimeType).toBe('text/plain');
    expect(b.attachment.content).toBe(
      [
        'Chat transcript — case 48350, 2026-03-10 09:00 UTC',
        '',
        '[2026-03-10 09:00 UTC] Ana Silva (customer): Hi, my invoice is wrong.',
        '[2026-03-10 09:01 UTC] Sam Agent (agent): Let me check.',
        '',
      ].join('\n'),
    );
    expect(b.eventIds).toEqual([history[0]!.id, history[1]!.id]);
  });

  it('email → phone produces a call brief from the last email', () => {
    const history = [
      ev({ channel: 'email', subject: 'Invoice 2291 is wrong [#48350]', body: 'Hello. I was charged twice. Can you refund one?', occurredAt: T }),
      ev({ channel: 'email', subject: 'Re: Invoice 2291 is wrong [#48350]', body: 'We are looking into it.', authorType: 'agent', authorName: 'Priya Shah', occurredAt: T + 60 * MIN }),
      ev({
        channel: 'email',
        subject: 'AW: Re: Invoice 2291 is wrong [#48350]',
        body: [
          'The second charge is still on my card statement. It was taken on March 3. Why does this take so long?',
          'Will I get the fee back too?',
          '',
          '-- ',
          'Ana Silva, Example GmbH',
          '',
          'On Tue, 10 Mar 2026 at 10:00, Priya Shah wrote:',
          '> We are looking into it. Is this urgent?',
        ].join('\n'),
        occurredAt: T + 120 * MIN,
      }),
    ];
    const b = bundle('email', 'phone', history);
    expect(b.kind).toBe('call_brief');
    if (b.kind !== 'call_brief') return;
    expect(b.brief).toEqual({
      customer: 'Ana Silva',
      subject: 'Invoice 2291 is wrong',
      lastEmail: 'The second charge is still on my card statement. It was taken on March 3.',
      lastEmailAt: T + 120 * MIN,
      openQuestions: ['Why does this take so long?', 'Will I get the fee back too?'],
      previousAgent: 'Priya Shah',
    });
    expect(b.sourceEventId).toBe(history[2]!.id);
    expect(b.text).toBe(
      [
        'Call brief — Ana Silva',
        'Subject: Invoice 2291 is wrong',
        'Last email (2026-03-10 11:00 UTC): The second charge is still on my card statement. It was taken on March 3.',
        'Open questions:',
        '- Why does this take so long?',
        '- Will I get the fee back too?',
        'Previous agent: Priya Shah',
      ].join('\n'),
    );
  });

  it('a call brief answers only the questions asked since the last agent reply', () => {
    const history = [
      ev({ channel: 'email', subject: 'Q', body: 'Is the API down?', occurredAt: T }),
      ev({ channel: 'email', subject: 'Re: Q', body: 'No.', authorType: 'agent', occurredAt: T + MIN }),
      ev({ channel: 'email', subject: 'Re: Q', body: 'Thanks. It works now.', occurredAt: T + 2 * MIN }),
    ];
    const b = bundle('email', 'phone', history, { customerName: 'Ana S.' });
    expect(b).toMatchObject({ kind: 'call_brief', brief: { customer: 'Ana S.', openQuestions: [], lastEmail: 'Thanks. It works now.' } });
  });

  it('social → chat moves to private and keeps the public context', () => {
    const history = [
      ev({ channel: 'instagram', body: '@shop my order never arrived!', metadata: { visibility: 'public' }, occurredAt: T }),
      ev({ channel: 'instagram', body: 'Sorry! Please send us a DM.', authorType: 'agent', metadata: { visibility: 'public' }, occurredAt: T + MIN }),
      ev({ channel: 'instagram', body: 'My order number is 5512', metadata: { visibility: 'private' }, occurredAt: T + 2 * MIN }),
    ];
    const b = bundle('instagram', 'chat', history);
    expect(b).toMatchObject({ kind: 'public_context', visibility: 'private' });
    if (b.kind !== 'public_context') return;
    expect(b.context.map((e) => e.body)).toEqual(['@shop my order never arrived!', 'Sorry! Please send us a DM.']);
    expect(b.text.split('\n')[0]).toBe('Moved from public Instagram to private Chat. Public context:');
  });

  it('any → escalation carries the whole history, internal notes included, in time order', () => {
    const history = [
      ev({ channel: 'phone', kind: 'call', body: 'Call, 4 min', occurredAt: T + 2 * MIN }),
      ev({ channel: 'sms', body: 'Still broken', occurredAt: T }),
      ev({ channel: 'sms', body: 'Tier 2 please', direction: 'internal', kind: 'note', authorType: 'agent', occurredAt: T + MIN }),
    ];
    const b = bundle('sms', 'escalation', history);
    expect(b.kind).toBe('whole_history');
    if (b.kind !== 'whole_history') return;
    expect(b.events.map((e) => e.body)).toEqual(['Still broken', 'Tier 2 please', 'Call, 4 min']);
    expect(b.text.split('\n')[1]).toBe('[2026-03-10 09:01 UTC] SMS note — Sam Agent: Tier 2 please');
  });

  it('a switch without a rule carries nothing, and says so', () => {
    expect(bundle('sms', 'phone', [])).toEqual({ kind: 'none', from: 'sms', to: 'phone', reason: 'no handoff rule from sms to phone' });
  });

  it('the most specific rule wins: a Messenger rule beats the social one', () => {
    const rules = [...DEFAULT_HANDOFF_RULES, { from: 'messenger' as const, to: 'chat' as const, keep: 'full_transcript' as const }];
    const r = applyHandoff(rules, 'messenger', 'chat', [ev({ channel: 'messenger', body: 'hi' })]);
    expect(r.ok && r.bundle.kind).toBe('full_transcript');
  });

  it('rejects rules that keep and produce nothing, or name no channel, with a sentence', () => {
    const r = parseHandoffRules([{ from: 'chat', to: 'email' }]);
    expect(r).toMatchObject({ ok: false, error: { code: 'config/invalid' } });
    if (!r.ok) expect(r.error.message).toMatch(/a handoff rule must keep or produce something/);
    expect(parseHandoffRules([{ from: 'fax', to: 'email', keep: 'whole_history' }])).toMatchObject({ ok: false, error: { message: expect.stringMatching(/rule 0\.from/) } });
  });

  it("keeps an email's own words: no quotes, no signature", () => {
    expect(emailOwnText('Yes.\n\nOn Mon, Bob wrote:\n> Really?')).toBe('Yes.');
    expect(emailOwnText('> quoted\nmine\n-- \nsig')).toBe('mine');
  });
});
