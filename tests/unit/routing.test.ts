import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ROUTING_CONFIG,
  RoutingConfig,
  RoutingDecision,
  normalizeLanguage,
  prepareAgents,
  route,
  type RoutingAgent,
  type RoutingConversation,
} from '../../src/shared/routing';

const now = Date.UTC(2026, 0, 15, 15, 0);

const agent = (id: number, o: Partial<RoutingAgent> = {}): RoutingAgent => ({
  id,
  presence: 'available',
  seniority: 'mid',
  languages: ['en'],
  skills: {},
  channels: { chat: { proficiency: 3, capacity: 3 }, email: { proficiency: 3, capacity: 5 }, phone: { proficiency: 3, capacity: 1 } },
  load: {},
  ...o,
});

const conv = (o: Partial<RoutingConversation> = {}): RoutingConversation => ({
  id: 100,
  channel: 'chat',
  issueType: 'other',
  priority: 'normal',
  language: null,
  tier: 'standard',
  vip: false,
  preferredChannel: null,
  lastAgentId: null,
  ...o,
});

const offered = (d: RoutingDecision) => d.offers.map((o) => o.agentId);
const config = (input: unknown) => RoutingConfig.parse(input);

describe('routing: who may take the conversation', () => {
  it('offers only to available agents: busy, away, offline, on a call or in wrap-up get nothing', () => {
    const agents = [
      agent(1, { presence: 'busy' }),
      agent(2, { presence: 'away' }),
      agent(3, { presence: 'offline' }),
      agent(4, { presence: 'on_call' }),
      agent(5, { presence: 'wrap_up' }),
      agent(6),
    ];
    const d = route(conv(), agents, {}, now);
    expect(d.outcome).toBe('offer');
    expect(offered(d)).toEqual([6]);
    expect(d.excluded.notAvailable).toBe(5);
  });

  it('an agent at capacity on chat gets no chat offer', () => {
    const d = route(conv(), [agent(1, { load: { chat: 3 } }), agent(2, { load: { chat: 2 } })], {}, now);
    expect(offered(d)).toEqual([2]);
    expect(d.excluded.atCapacity).toBe(1);
  });

  it('an agent at capacity on chat still gets an email offer', () => {
    const d = route(conv({ channel: 'email' }), [agent(1, { load: { chat: 3 } })], {}, now);
    expect(d.channel).toBe('email');
    expect(offered(d)).toEqual([1]);
  });

  it('an agent who does not work the channel is not offered it', () => {
    const d = route(conv({ channel: 'sms' }), [agent(1), agent(2, { channels: { sms: { proficiency: 2, capacity: 4 } } })], {}, now);
    expect(offered(d)).toEqual([2]);
    expect(d.excluded.noChannel).toBe(1);
  });

  it('a German message is offered only to German speakers, with reason language: de', () => {
    const agents = [agent(1, { languages: ['en'] }), agent(2, { languages: ['en', 'de-DE'] }), agent(3, { languages: ['DE'] })];
    const d = route(conv({ language: 'de-AT' }), agents, {}, now);
    expect(offered(d)).toEqual([2, 3]);
    for (const o of d.offers) expect(o.reasons).toContain('language: de');
    expect(d.excluded.language).toBe(1);
  });

  it('matches languages however many the team speaks', () => {
    const agents = Array.from({ length: 40 }, (_, i) => agent(i + 1, { languages: [`x${i}`] }));
    expect(offered(route(conv({ language: 'x3' }), agents, {}, now))).toEqual([4]);
    expect(offered(route(conv({ language: 'x35' }), agents, {}, now))).toEqual([36]);
    const pool = prepareAgents(agents);
    pool.update(agent(99, { languages: ['x35', 'x3', 'ja'] }));
    expect(offered(route(conv({ language: 'x35' }), pool, {}, now))).toEqual([36, 99]);
    expect(offered(route(conv({ language: 'ja' }), pool, {}, now))).toEqual([99]);
    expect(route(conv({ language: 'ko' }), pool, {}, now).outcome).toBe('queued');
  });

  it('a conversation without a language may go to anyone', () => {
    const d = route(conv(), [agent(1, { languages: ['fr'] }), agent(2, { languages: [] })], {}, now);
    expect(offered(d)).toEqual([1, 2]);
  });

  it('a VIP on chat is offered only to senior agents, with reason VIP → senior agent', () => {
    const agents = [agent(1, { seniority: 'junior' }), agent(2, { seniority: 'mid' }), agent(3, { seniority: 'senior' })];
    const d = route(conv({ vip: true }), agents, {}, now);
    expect(offered(d)).toEqual([3]);
    expect(d.offers[0]!.reasons).toContain('VIP → senior agent');
    expect(d.excluded.vip).toBe(2);
  });

  it('a VIP goes to a senior agent whatever the channel', () => {
    for (const channel of ['email', 'phone'] as const) {
      const d = route(conv({ vip: true, channel }), [agent(1, { seniority: 'mid' }), agent(2, { seniority: 'senior' })], {}, now);
      expect(offered(d)).toEqual([2]);
    }
  });

  it('a VIP with no senior agent free waits rather than going to a junior', () => {
    const d = route(conv({ vip: true, channel: 'email' }), [agent(1, { seniority: 'junior' }), agent(2, { seniority: 'senior', presence: 'away' })], {}, now);
    expect(d.outcome).toBe('queued');
    expect(d.offers).toEqual([]);
    expect(d.reasons.join(' ')).toContain('1 not senior (VIP)');
  });

  it('a tier may require a minimum seniority when configured', () => {
    const cfg = config({ minSeniority: { enterprise: 'mid' } });
    const d = route(conv({ tier: 'enterprise' }), [agent(1, { seniority: 'junior' }), agent(2, { seniority: 'mid' })], { config: cfg }, now);
    expect(offered(d)).toEqual([2]);
    expect(d.offers[0]!.reasons).toContain('enterprise → mid or senior agent');
    expect(route(conv({ tier: 'standard' }), [agent(1, { seniority: 'junior' })], { config: cfg }, now).outcome).toBe('offer');
  });

  it('an issue type may require a minimum skill level when configured', () => {
    const cfg = config({ minSkill: { technical: 3 } });
    const agents = [agent(1, { skills: { technical: 2 } }), agent(2, { skills: { technical: 3 } }), agent(3)];
    const d = route(conv({ issueType: 'technical' }), agents, { config: cfg }, now);
    expect(offered(d)).toEqual([2]);
    expect(d.excluded.skill).toBe(2);
  });
});

describe('routing: ranking', () => {
  it('the previous agent is offered first when available, with reason sticky: previous agent', () => {
    const agents = [agent(1, { skills: { technical: 5 } }), agent(2, { load: { chat: 2 } }), agent(3)];
    const d = route(conv({ issueType: 'technical', lastAgentId: 2 }), agents, {}, now);
    expect(offered(d)[0]).toBe(2);
    expect(d.offers[0]!.reasons).toContain('sticky: previous agent');
  });

  it('the previous agent is skipped when not available, and the decision says why', () => {
    const d = route(conv({ lastAgentId: 2 }), [agent(1), agent(2, { presence: 'away' })], {}, now);
    expect(offered(d)).toEqual([1]);
    expect(d.reasons).toContain('sticky: previous agent 2 not available');
  });

  it('stickiness lapses after the sticky window', () => {
    const window = DEFAULT_ROUTING_CONFIG.stickyWindowMs;
    const agents = [agent(1), agent(2, { load: { chat: 2 } })];
    expect(offered(route(conv({ lastAgentId: 2, lastContactAt: now - window }), agents, {}, now))[0]).toBe(2);
    expect(offered(route(conv({ lastAgentId: 2, lastContactAt: now - window - 1 }), agents, {}, now))[0]).toBe(1);
  });

  it('the higher skill for the issue type ranks first, with reason skill technical 5', () => {
    const agents = [agent(1, { skills: { technical: 2 } }), agent(2, { skills: { technical: 5 } }), agent(3, { skills: { billing: 5 } })];
    const d = route(conv({ issueType: 'technical' }), agents, {}, now);
    expect(offered(d)).toEqual([2, 1, 3]);
    expect(d.offers[0]!.reasons).toContain('skill technical 5');
  });

  it('the better channel proficiency ranks first', () => {
    const agents = [agent(1, { channels: { chat: { proficiency: 2, capacity: 3 } } }), agent(2, { channels: { chat: { proficiency: 5, capacity: 3 } } })];
    const d = route(conv(), agents, {}, now);
    expect(offered(d)).toEqual([2, 1]);
    expect(d.offers[0]!.reasons).toContain('chat proficiency 5');
  });

  it('load-balances: the agent with the lower share of capacity used comes first, with reason load 1/3', () => {
    const agents = [agent(1, { load: { chat: 2 } }), agent(2, { load: { chat: 1 } }), agent(3, { load: { chat: 0 } })];
    const d = route(conv(), agents, {}, now);
    expect(offered(d)).toEqual([3, 2, 1]);
    expect(d.offers[1]!.reasons).toContain('load 1/3');
  });

  it('load is compared as a share of each agent’s own capacity', () => {
    const agents = [agent(1, { channels: { chat: { proficiency: 3, capacity: 2 } }, load: { chat: 1 } }), agent(2, { channels: { chat: { proficiency: 3, capacity: 6 } }, load: { chat: 2 } })];
    expect(offered(route(conv(), agents, {}, now))).toEqual([2, 1]);
  });

  it('equal scores are broken by agent id, whatever the input order', () => {
    const agents = [agent(9), agent(3), agent(7), agent(1)];
    expect(offered(route(conv(), agents, {}, now))).toEqual([1, 3, 7, 9]);
  });

  it('carries at most maxOffers offers, the best ones', () => {
    const agents = Array.from({ length: 12 }, (_, i) => agent(i + 1, { skills: { other: (i % 5) + 1 } }));
    const d = route(conv(), agents, { config: config({ maxOffers: 3 }) }, now);
    expect(offered(d)).toEqual([5, 10, 4]);
  });

  it('scores are non-increasing down the offers', () => {
    const agents = Array.from({ length: 30 }, (_, i) => agent(i + 1, { load: { chat: i % 3 }, skills: { other: (i % 5) + 1 } }));
    const scores = route(conv(), agents, {}, now).offers.map((o) => o.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });
});

describe('routing: overflow and outages', () => {
  const chatAndEmail = [agent(1, { channels: { chat: { proficiency: 3, capacity: 3 } } }), agent(2, { channels: { email: { proficiency: 3, capacity: 5 } } })];

  it('chat overflows to email when the chat queue is over 20', () => {
    const d = route(conv(), chatAndEmail, { queueDepth: { chat: 21 } }, now);
    expect(d.channel).toBe('email');
    expect(offered(d)).toEqual([2]);
    expect(d.reasons).toContain('overflow: chat queue over 20');
  });

  it('chat does not overflow at exactly 20 waiting', () => {
    const d = route(conv(), chatAndEmail, { queueDepth: { chat: 20 } }, now);
    expect(d.channel).toBe('chat');
    expect(offered(d)).toEqual([1]);
  });

  it('chat overflows to email when no chat agent is free', () => {
    const agents = [agent(1, { channels: { chat: { proficiency: 3, capacity: 3 } }, load: { chat: 3 } }), chatAndEmail[1]!];
    const d = route(conv(), agents, {}, now);
    expect(d.channel).toBe('email');
    expect(offered(d)).toEqual([2]);
    expect(d.reasons).toContain('overflow: no chat agent free');
  });

  it('a long chat queue with nobody free on email stays on chat when a chat agent is free', () => {
    const d = route(conv(), [chatAndEmail[0]!], { queueDepth: { chat: 50 } }, now);
    expect(d.channel).toBe('chat');
    expect(offered(d)).toEqual([1]);
    expect(d.reasons[0]).toMatch(/^overflow: chat queue over 20, but no email agent free .*: stays on chat$/);
  });

  it('with nobody free on chat or email the conversation waits on chat, saying why', () => {
    const d = route(conv(), [agent(1, { presence: 'offline' }), agent(2, { load: { chat: 3, email: 5 } })], {}, now);
    expect(d.outcome).toBe('queued');
    expect(d.channel).toBe('chat');
    expect(d.reasons).toEqual(['queued: no chat agent free (1 not available, 1 at capacity)', 'queued: no email agent free (1 not available, 1 at capacity)']);
    expect(d.excluded).toMatchObject({ notAvailable: 1, atCapacity: 1 });
  });

  it('overflow thresholds are configuration: no rule, no overflow', () => {
    const d = route(conv(), [agent(2, { channels: { email: { proficiency: 3, capacity: 5 } } })], { config: config({ overflow: {} }), queueDepth: { chat: 99 } }, now);
    expect(d.outcome).toBe('queued');
    expect(d.channel).toBe('chat');
  });

  it('a phone outage reroutes to the backup channel', () => {
    const d = route(conv({ channel: 'phone' }), [agent(1)], { outages: ['phone'] }, now);
    expect(d.channel).toBe('chat');
    expect(d.reasons).toContain('outage: phone → chat');
    expect(offered(d)).toEqual([1]);
  });

  it('an SMS outage reroutes to email, and outages may be given as a set', () => {
    const d = route(conv({ channel: 'sms' }), [agent(1)], { outages: new Set(['sms'] as const) }, now);
    expect(d.channel).toBe('email');
    expect(d.reasons).toContain('outage: sms → email');
  });

  it('when the backup is down too, the chain of backups is followed', () => {
    const d = route(conv({ channel: 'phone' }), [agent(1)], { outages: ['phone', 'chat'] }, now);
    expect(d.channel).toBe('email');
    expect(d.reasons).toContain('outage: phone → chat → email');
  });

  it('when no backup is up, the conversation waits on its own channel', () => {
    const d = route(conv({ channel: 'phone' }), [agent(1)], { outages: ['phone', 'chat', 'email'] }, now);
    expect(d.outcome).toBe('queued');
    expect(d.channel).toBe('phone');
    expect(d.reasons).toEqual(['outage: phone down, no backup channel up']);
  });

  it('a phone outage rerouted to chat then overflows to email when chat is over its threshold', () => {
    const d = route(conv({ channel: 'phone' }), chatAndEmail, { outages: ['phone'], queueDepth: { chat: 30 } }, now);
    expect(d.channel).toBe('email');
    expect(d.reasons).toEqual(['outage: phone → chat', 'overflow: chat queue over 20']);
  });

  it('overflow to a channel that is down follows that channel’s backup', () => {
    const cfg = config({ overflow: { chat: { threshold: 5, to: 'sms' } } });
    const d = route(conv(), chatAndEmail, { config: cfg, outages: ['sms'], queueDepth: { chat: 6 } }, now);
    expect(d.channel).toBe('email');
  });
});

describe('routing: the decision', () => {
  it('is the same for the same input, and for agents prepared once', () => {
    const agents = Array.from({ length: 40 }, (_, i) => agent(i + 1, { load: { chat: i % 4 === 0 ? 3 : i % 3 }, languages: i % 2 ? ['de'] : ['en'], seniority: i % 3 ? 'mid' : 'senior' }));
    const c = conv({ language: 'de', lastAgentId: 7 });
    const first = route(c, agents, { queueDepth: { chat: 3 } }, now);
    expect(route(c, agents, { queueDepth: { chat: 3 } }, now)).toEqual(first);
    expect(route(c, [...agents].reverse(), { queueDepth: { chat: 3 } }, now)).toEqual(first);
    expect(route(c, prepareAgents(agents), { queueDepth: { chat: 3 } }, now)).toEqual(first);
  });

  it('matches the decision schema', () => {
    const d = route(conv({ vip: true, language: 'de' }), [agent(1, { seniority: 'senior', languages: ['de'] })], {}, now);
    expect(RoutingDecision.parse(d)).toEqual(d);
    const q = route(conv(), [], {}, now);
    expect(RoutingDecision.parse(q)).toEqual(q);
  });

  it('carries a channel suggestion for the customer', () => {
    const d = route(conv({ channel: 'email', issueType: 'technical', backAndForth: 9 }), [agent(1)], {}, now);
    expect(d.suggestion).toEqual({ channel: 'phone', reason: 'complex: 9 back-and-forths → phone', prompt: 'This is complex — would you prefer a phone call?' });
  });

  it('does not suggest a channel that is down', () => {
    const d = route(conv({ channel: 'email', priority: 'urgent' }), [agent(1)], { outages: ['phone'] }, now);
    expect(d.suggestion?.channel).toBe('chat');
  });

  it('prepared agents follow load and presence changes', () => {
    const pool = prepareAgents([agent(1), agent(2, { load: { chat: 1 } })]);
    expect(offered(route(conv(), pool, {}, now))).toEqual([1, 2]);
    pool.adjustLoad(1, 'chat', 2);
    expect(offered(route(conv(), pool, {}, now))).toEqual([2, 1]);
    pool.adjustLoad(1, 'chat', 1);
    expect(offered(route(conv(), pool, {}, now))).toEqual([2]);
    pool.setPresence(2, 'on_call');
    const overflowed = route(conv(), pool, {}, now);
    expect([overflowed.channel, offered(overflowed)]).toEqual(['email', [1]]);
    pool.adjustLoad(1, 'email', 5);
    expect(route(conv(), pool, {}, now).outcome).toBe('queued');
    expect(pool.load(1, 'email')).toBe(5);
    pool.update(agent(3));
    pool.remove(2);
    expect(offered(route(conv(), pool, {}, now))).toEqual([3]);
    expect(pool.size).toBe(2);
  });

  it('refuses an agent listed twice', () => {
    expect(() => prepareAgents([agent(1), agent(1)])).toThrow(/listed twice/);
  });

  it('the config refuses a channel that overflows to itself', () => {
    expect(() => config({ overflow: { chat: { threshold: 1, to: 'chat' } } })).toThrow(/overflow to itself/);
  });

  it('compares languages on their primary subtag', () => {
    expect(normalizeLanguage(' pt-BR')).toBe('pt');
    expect(normalizeLanguage('DE_ch')).toBe('de');
  });
});
