// Routes one conversation: settles its channel (outage → backup, overflow), keeps the agents who may
// take it (hard rules), ranks them (sticky, skill, proficiency, load) with readable reasons. Pure and
// deterministic: ties end on the agent id, and `now` only ages stickiness. No validation per call:
// the hub validates agents, conversations and config with the schemas in types.ts at its boundary.
import { CHANNELS, ISSUE_TYPES, type Channel, type IssueType } from '../domain';
import { suggestChannel } from './suggestChannel';
import {
  DEFAULT_ROUTING_CONFIG,
  type Exclusions,
  type Offer,
  type Presence,
  type RoutingAgent,
  type RoutingConfig,
  type RoutingContext,
  type RoutingConversation,
  type RoutingDecision,
  type Seniority,
} from './types';

const CHANNEL_INDEX = Object.fromEntries(CHANNELS.map((c, i) => [c, i])) as Record<Channel, number>;
const ISSUE_INDEX = Object.fromEntries(ISSUE_TYPES.map((t, i) => [t, i])) as Record<IssueType, number>;
const SENIORITY_RANK: Record<Seniority, number> = { junior: 0, mid: 1, senior: 2 };
const SENIOR = SENIORITY_RANK.senior;

/** 'de-AT', 'DE', 'de_CH' → 'de': languages are matched on their primary subtag. */
export function normalizeLanguage(tag: string): string {
  return tag.trim().toLowerCase().split(/[-_]/, 1)[0] ?? '';
}

const NC = CHANNELS.length;
const NI = ISSUE_TYPES.length;
/** Languages get a bit each in an agent's language mask, up to this many; the rest are matched by name. */
const LANGUAGE_BITS = 31;

/**
 * The agents in the shape routing reads fast: one column per attribute (per channel and per issue
 * type flattened), and per channel the agents who work it in id order, so a decision touches only
 * numbers. Build it once; keep it current with the update methods as presence and loads change
 * (the hub's agent state is the source of truth; this is its index).
 */
export class PreparedAgents {
  /** @internal Column storage; slot = an agent's position in the columns. */
  readonly ids: number[] = [];
  /** @internal */
  readonly available: boolean[] = [];
  /** @internal Seniority rank: junior 0, mid 1, senior 2. */
  readonly seniority: number[] = [];
  /** @internal Bit i set when the agent speaks the i-th interned language. */
  readonly languageMask: number[] = [];
  /** @internal Normalized languages, for those past LANGUAGE_BITS. */
  readonly languages: string[][] = [];
  /** @internal slot * ISSUE_TYPES.length + issue; 0 when the agent lacks the skill. */
  readonly skills: number[] = [];
  /** @internal slot * CHANNELS.length + channel; 0 when the agent does not work the channel. */
  readonly proficiency: number[] = [];
  /** @internal */
  readonly capacity: number[] = [];
  /** @internal */
  readonly loads: number[] = [];
  /** @internal Per channel, the slots of the agents who work it, by ascending agent id. */
  readonly byChannel: number[][] = CHANNELS.map(() => []);
  private readonly slots = new Map<number, number>();
  private readonly languageBits = new Map<string, number>();

  constructor(agents: readonly RoutingAgent[]) {
    const sorted = [...agents].sort((a, b) => a.id - b.id);
    for (const agent of sorted) {
      if (this.slots.has(agent.id)) throw new RangeError(`agent ${agent.id} is listed twice`);
      const slot = this.ids.length;
      this.slots.set(agent.id, slot);
      this.write(slot, agent);
      for (let ci = 0; ci < NC; ci++) if (this.worksOn(slot, ci)) this.byChannel[ci]!.push(slot);
    }
  }

  get size(): number {
    return this.slots.size;
  }

  has(agentId: number): boolean {
    return this.slots.has(agentId);
  }

  /** Adds an agent or replaces everything known about one (its loads included). */
  update(agent: RoutingAgent): void {
    let slot = this.slots.get(agent.id);
    if (slot === undefined) {
      slot = this.ids.length;
      this.slots.set(agent.id, slot);
    }
    this.write(slot, agent);
    for (let ci = 0; ci < NC; ci++) {
      const list = this.byChannel[ci]!;
      const at = list.indexOf(slot);
      if (at >= 0) list.splice(at, 1);
      if (!this.worksOn(slot, ci)) continue;
      let to = list.length;
      while (to > 0 && this.ids[list[to - 1]!]! > agent.id) to--;
      list.splice(to, 0, slot);
    }
  }

  remove(agentId: number): void {
    const slot = this.slots.get(agentId);
    if (slot === undefined) return;
    this.slots.delete(agentId);
    this.available[slot] = false; // the slot stays, unused
    for (const list of this.byChannel) {
      const at = list.indexOf(slot);
      if (at >= 0) list.splice(at, 1);
    }
  }

  setPresence(agentId: number, presence: Presence): void {
    this.available[this.slot(agentId)] = presence === 'available';
  }

  /** Current load of the agent on the channel. */
  load(agentId: number, channel: Channel): number {
    return this.loads[this.slot(agentId) * NC + CHANNEL_INDEX[channel]]!;
  }

  /** +1 when an offer is accepted, -1 when a conversation ends; never below 0. Returns the new load. */
  adjustLoad(agentId: number, channel: Channel, delta: number): number {
    const at = this.slot(agentId) * NC + CHANNEL_INDEX[channel];
    return (this.loads[at] = Math.max(0, this.loads[at]! + delta));
  }

  /** @internal */
  slotOf(agentId: number): number | undefined {
    return this.slots.get(agentId);
  }

  /** @internal The mask bit of a normalized language, 0 when it has none (match by name then). */
  languageBit(language: string): number {
    const bit = this.languageBits.get(language);
    return bit === undefined ? 0 : 1 << bit;
  }

  /** @internal */
  worksOn(slot: number, ci: number): boolean {
    return this.proficiency[slot * NC + ci]! > 0 && this.capacity[slot * NC + ci]! > 0;
  }

  private slot(agentId: number): number {
    const slot = this.slots.get(agentId);
    if (slot === undefined) throw new RangeError(`unknown agent ${agentId}`);
    return slot;
  }

  /** Fills the agent's slot; a new slot is the next one, so the columns only ever grow at their end. */
  private write(slot: number, agent: RoutingAgent): void {
    this.ids[slot] = agent.id;
    this.available[slot] = agent.presence === 'available';
    this.seniority[slot] = SENIORITY_RANK[agent.seniority];
    const languages = agent.languages.map(normalizeLanguage);
    let mask = 0;
    for (const language of languages) {
      let bit = this.languageBits.get(language);
      if (bit === undefined && this.languageBits.size < LANGUAGE_BITS) this.languageBits.set(language, (bit = this.languageBits.size));
      if (bit !== undefined) mask |= 1 << bit;
    }
    this.languageMask[slot] = mask;
    this.languages[slot] = languages;
    for (let ii = 0; ii < NI; ii++) this.skills[slot * NI + ii] = agent.skills[ISSUE_TYPES[ii]!] ?? 0;
    for (let ci = 0; ci < NC; ci++) {
      const c = CHANNELS[ci]!;
      const on = agent.channels[c];
      this.proficiency[slot * NC + ci] = on?.proficiency ?? 0;
      this.capacity[slot * NC + ci] = on?.capacity ?? 0;
      this.loads[slot * NC + ci] = agent.load[c] ?? 0;
    }
  }
}

export function prepareAgents(agents: readonly RoutingAgent[]): PreparedAgents {
  return new PreparedAgents(agents);
}

/** What one conversation asks of an agent, worked out once per decision. */
interface Criteria {
  language: string | null;
  /** The language's mask bit, or 0 when it has none (then matched by name). */
  languageBit: number;
  vip: boolean;
  /** Minimum seniority rank from the customer's tier (VIPs are handled by `vip`). */
  tierSeniority: number;
  issue: number;
  minSkill: number;
  stickyId: number | null;
}

type Exclusion = keyof Exclusions;

/** The first hard rule the agent fails for this conversation on this channel, or null if eligible. */
function exclusion(p: PreparedAgents, slot: number, ci: number, c: Criteria): Exclusion | null {
  if (!p.worksOn(slot, ci)) return 'noChannel';
  if (!p.available[slot]) return 'notAvailable';
  if (p.loads[slot * NC + ci]! >= p.capacity[slot * NC + ci]!) return 'atCapacity';
  if (c.language !== null && (c.languageBit !== 0 ? (p.languageMask[slot]! & c.languageBit) === 0 : !p.languages[slot]!.includes(c.language))) return 'language';
  if (c.vip && p.seniority[slot]! < SENIOR) return 'vip';
  if (p.seniority[slot]! < c.tierSeniority) return 'tier';
  if (p.skills[slot * NI + c.issue]! < c.minSkill) return 'skill';
  return null;
}

interface Ranked {
  slots: number[];
  scores: number[];
  excluded: Exclusions;
}

/** Hard filters, then the top `maxOffers` by score (descending), ties by ascending agent id. */
function rank(p: PreparedAgents, ci: number, c: Criteria, config: RoutingConfig): Ranked {
  const list = p.byChannel[ci]!;
  const excluded: Exclusions = { noChannel: p.size - list.length, notAvailable: 0, atCapacity: 0, language: 0, vip: 0, tier: 0, skill: 0 };
  const w = config.weights;
  const k = config.maxOffers;
  const slots: number[] = [];
  const scores: number[] = [];
  for (let i = 0; i < list.length; i++) {
    const slot = list[i]!;
    const why = exclusion(p, slot, ci, c);
    if (why !== null) {
      excluded[why]++;
      continue;
    }
    const at = slot * NC + ci;
    let score = p.skills[slot * NI + c.issue]! * w.skill + p.proficiency[at]! * w.proficiency + (1 - p.loads[at]! / p.capacity[at]!) * w.load;
    if (p.ids[slot] === c.stickyId) score += w.sticky;
    // The list is in id order, so an equal score never overtakes: ties stay with the lower id.
    if (slots.length === k && score <= scores[k - 1]!) continue;
    let to = slots.length;
    while (to > 0 && scores[to - 1]! < score) to--;
    slots.splice(to, 0, slot);
    scores.splice(to, 0, score);
    if (slots.length > k) {
      slots.pop();
      scores.pop();
    }
  }
  return { slots, scores, excluded };
}

const SENIORITY_NAMES: readonly Seniority[] = ['junior', 'mid', 'senior'];

function offerOf(p: PreparedAgents, slot: number, score: number, ci: number, conv: RoutingConversation, c: Criteria): Offer {
  const reasons: string[] = [];
  const agentId = p.ids[slot]!;
  if (c.vip) reasons.push('VIP → senior agent');
  else if (c.tierSeniority > 0) reasons.push(`${conv.tier} → ${c.tierSeniority === SENIOR ? 'senior' : `${SENIORITY_NAMES[c.tierSeniority]} or senior`} agent`);
  if (c.language !== null) reasons.push(`language: ${c.language}`);
  if (agentId === c.stickyId) reasons.push('sticky: previous agent');
  const skill = p.skills[slot * NI + c.issue]!;
  if (skill > 0) reasons.push(`skill ${conv.issueType} ${skill}`);
  reasons.push(`${CHANNELS[ci]} proficiency ${p.proficiency[slot * NC + ci]}`);
  reasons.push(`load ${p.loads[slot * NC + ci]}/${p.capacity[slot * NC + ci]}`);
  // Rounding is monotonic, so the offers stay sorted by the score they show.
  return { agentId, score: Math.round(score * 1000) / 1000, reasons };
}

const EXCLUSION_TEXT: Record<Exclusion, (channel: Channel, conv: RoutingConversation, c: Criteria) => string> = {
  noChannel: (ch) => `not on ${ch}`,
  notAvailable: () => 'not available',
  atCapacity: () => 'at capacity',
  language: (_ch, _conv, c) => `not speaking ${c.language}`,
  vip: () => 'not senior (VIP)',
  tier: (_ch, conv, c) => `below ${SENIORITY_NAMES[c.tierSeniority]} (${conv.tier})`,
  skill: (_ch, conv, c) => `below ${conv.issueType} skill ${c.minSkill}`,
};

function nobodyFree(channel: Channel, r: Ranked, conv: RoutingConversation, c: Criteria): string {
  const parts = (Object.keys(EXCLUSION_TEXT) as Exclusion[]).filter((k) => r.excluded[k] > 0).map((k) => `${r.excluded[k]} ${EXCLUSION_TEXT[k](channel, conv, c)}`);
  return `no ${channel} agent free${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

/** The channel to use while `channel` may be down: itself, its backup chain, or null when all are down. */
function settle(channel: Channel, config: RoutingConfig, down: readonly boolean[]): Channel[] | null {
  const path: Channel[] = [channel];
  let c = channel;
  while (down[CHANNEL_INDEX[c]]) {
    const next = config.backup[c];
    if (next === undefined || path.includes(next)) return null;
    path.push(next);
    c = next;
  }
  return path;
}

/**
 * Routes one conversation against the agents. The decision is an offer (ranked agents, each with
 * its reasons) on the channel settled by outage and overflow, or a queued decision saying why
 * nobody is eligible. The context's fields default to: no queue, no outage, the default config.
 */
export function route(
  conversation: RoutingConversation,
  agents: PreparedAgents | readonly RoutingAgent[],
  context: Partial<RoutingContext>,
  now: number,
): RoutingDecision {
  const pool = agents instanceof PreparedAgents ? agents : new PreparedAgents(agents);
  const config = context.config ?? DEFAULT_ROUTING_CONFIG;
  const down: boolean[] = CHANNELS.map(() => false);
  for (const c of context.outages ?? []) down[CHANNEL_INDEX[c]] = true;
  const downList = CHANNELS.filter((c) => down[CHANNEL_INDEX[c]]);
  const reasons: string[] = [];

  const suggest = (channel: Channel, unavailable: readonly Channel[]) =>
    suggestChannel(
      {
        issueType: conversation.issueType,
        currentChannel: channel,
        messageLength: conversation.messageLength ?? 0,
        backAndForth: conversation.backAndForth ?? 0,
        priority: conversation.priority,
        preferredChannel: conversation.preferredChannel,
        unavailable,
      },
      config.suggest,
    );

  const settled = settle(conversation.channel, config, down);
  if (settled === null) {
    reasons.push(`outage: ${conversation.channel} down, no backup channel up`);
    const excluded: Exclusions = { noChannel: pool.size, notAvailable: 0, atCapacity: 0, language: 0, vip: 0, tier: 0, skill: 0 };
    return { outcome: 'queued', conversationId: conversation.id, channel: conversation.channel, offers: [], reasons, excluded, suggestion: suggest(conversation.channel, downList) };
  }
  const primary = settled[settled.length - 1]!;
  if (settled.length > 1) reasons.push(`outage: ${settled.join(' → ')}`);

  const lastContactAt = conversation.lastContactAt ?? null;
  const language = conversation.language === null ? null : normalizeLanguage(conversation.language);
  const criteria: Criteria = {
    language,
    languageBit: language === null ? 0 : pool.languageBit(language),
    vip: conversation.vip,
    tierSeniority: SENIORITY_RANK[config.minSeniority[conversation.tier] ?? 'junior'],
    issue: ISSUE_INDEX[conversation.issueType],
    minSkill: config.minSkill[conversation.issueType] ?? 0,
    stickyId: lastContactAt === null || now - lastContactAt <= config.stickyWindowMs ? conversation.lastAgentId : null,
  };

  const rule = config.overflow[primary];
  const altPath = rule === undefined ? null : settle(rule.to, config, down);
  const alt = altPath === null ? null : altPath[altPath.length - 1]!;
  const overflowTo = alt === primary ? null : alt;
  const over = rule !== undefined && overflowTo !== null && (context.queueDepth?.[primary] ?? 0) > rule.threshold;

  const decide = (channel: Channel, r: Ranked, extra: readonly string[]): RoutingDecision => {
    const ci = CHANNEL_INDEX[channel];
    const all = [...reasons, ...extra];
    if (criteria.stickyId !== null && !r.slots.some((s) => pool.ids[s] === criteria.stickyId)) {
      const prev = pool.slotOf(criteria.stickyId);
      const why = prev === undefined ? 'unknown' : exclusion(pool, prev, ci, criteria);
      all.push(`sticky: previous agent ${criteria.stickyId} ${why === 'unknown' ? 'unknown' : why === null ? 'ranked lower' : EXCLUSION_TEXT[why](channel, conversation, criteria)}`);
    }
    const unavailable = overflowTo !== null && channel !== primary ? [...downList, primary] : downList;
    const base = { conversationId: conversation.id, channel, reasons: all, excluded: r.excluded, suggestion: suggest(channel, unavailable) };
    if (r.slots.length === 0) return { outcome: 'queued', ...base, offers: [] };
    return { outcome: 'offer', ...base, offers: r.slots.map((slot, i) => offerOf(pool, slot, r.scores[i]!, ci, conversation, criteria)) };
  };

  const onPrimary = () => rank(pool, CHANNEL_INDEX[primary], criteria, config);
  if (over) {
    const overReason = `overflow: ${primary} queue over ${rule.threshold}`;
    const onAlt = rank(pool, CHANNEL_INDEX[overflowTo], criteria, config);
    if (onAlt.slots.length > 0) return decide(overflowTo, onAlt, [overReason]);
    // Overflow is there to shorten the wait; with nobody on the other channel, a free agent here still takes it.
    const here = onPrimary();
    if (here.slots.length > 0) return decide(primary, here, [`${overReason}, but ${nobodyFree(overflowTo, onAlt, conversation, criteria)}: stays on ${primary}`]);
    return decide(primary, here, [overReason, `queued: ${nobodyFree(primary, here, conversation, criteria)}`, `queued: ${nobodyFree(overflowTo, onAlt, conversation, criteria)}`]);
  }
  const here = onPrimary();
  if (here.slots.length > 0 || overflowTo === null) {
    return decide(primary, here, here.slots.length > 0 ? [] : [`queued: ${nobodyFree(primary, here, conversation, criteria)}`]);
  }
  const onAlt = rank(pool, CHANNEL_INDEX[overflowTo], criteria, config);
  if (onAlt.slots.length > 0) return decide(overflowTo, onAlt, [`overflow: no ${primary} agent free`]);
  // The customer waits where they are; the hub routes again as agents free up.
  return decide(primary, here, [`queued: ${nobodyFree(primary, here, conversation, criteria)}`, `queued: ${nobodyFree(overflowTo, onAlt, conversation, criteria)}`]);
}
