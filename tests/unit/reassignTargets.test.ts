// The console's Reassign picker offers only agents the hub would accept now: connected, available,
// with room on the conversation's channel; never the agent who holds it.
import { describe, expect, it } from 'vitest';
import type { AgentState } from '../../src/shared/hub/agentProtocol';
import { freeCapacity, reassignTargets } from '../../src/shared/supervisor/reassignTargets';

const agent = (agentId: number, displayName: string, over: Partial<AgentState> = {}): AgentState => ({
  agentId,
  displayName,
  presence: 'available',
  capacity: { chat: 3, sms: 2 },
  load: {},
  connected: true,
  since: 0,
  ...over,
});

describe('reassign targets', () => {
  it('lists available agents with room on the channel, most room first, then by name; never the holder', () => {
    const team = [
      agent(1, 'Ada', { load: { chat: 1 } }),
      agent(2, 'Bob', { load: { chat: 3 } }),
      agent(3, 'Cleo', { presence: 'away' }),
      agent(4, 'Dev', { connected: false }),
      agent(5, 'Eve', { capacity: { sms: 2 } }),
      agent(6, 'Finn'),
      agent(7, 'Gus', { load: { chat: 1 } }),
    ];
    expect(reassignTargets(team, 'chat', 6).map((a) => a.displayName)).toEqual(['Ada', 'Gus']);
    expect(reassignTargets(team, 'chat', null).map((a) => a.displayName)).toEqual(['Finn', 'Ada', 'Gus']);
    expect(reassignTargets(team, 'sms', 1).map((a) => a.displayName)).toEqual(['Bob', 'Eve', 'Finn', 'Gus']);
  });

  it('gives the room left, or null for a full, away, offline or channel-less agent', () => {
    expect(freeCapacity(agent(1, 'Ada', { load: { chat: 1 } }), 'chat')).toBe(2);
    expect(freeCapacity(agent(1, 'Ada', { load: { chat: 3 } }), 'chat')).toBeNull();
    expect(freeCapacity(agent(1, 'Ada', { presence: 'busy' }), 'chat')).toBeNull();
    expect(freeCapacity(agent(1, 'Ada', { connected: false }), 'chat')).toBeNull();
    expect(freeCapacity(agent(1, 'Ada'), 'email')).toBeNull();
  });
});
