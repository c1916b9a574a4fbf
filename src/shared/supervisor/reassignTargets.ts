// Who a supervisor can give a conversation on a channel to right now, by the hub's rule for a
// transfer: connected, available, and below their capacity on that channel (an agent without the
// channel is left out). The console's picker lists them, most room first; the hub decides again on
// the request and refuses with its sentence when the team changed in between. Pure.
import type { Channel } from '../domain';
import type { AgentState } from '../hub/agentProtocol';

/** Room left on the channel, or null when the agent cannot take one now. */
export function freeCapacity(agent: AgentState, channel: Channel): number | null {
  if (!agent.connected || agent.presence !== 'available') return null;
  const capacity = agent.capacity[channel];
  if (capacity === undefined) return null;
  const free = capacity - (agent.load[channel] ?? 0);
  return free > 0 ? free : null;
}

/** The agents (other than the current holder) who could take a conversation on `channel` now: most room first, then by name. */
export function reassignTargets(agents: readonly AgentState[], channel: Channel, holderId: number | null): AgentState[] {
  return agents
    .filter((a) => a.agentId !== holderId && freeCapacity(a, channel) !== null)
    .sort((a, b) => freeCapacity(b, channel)! - freeCapacity(a, channel)! || a.displayName.localeCompare(b.displayName));
}
