// Erlang C: the queueing model contact centers staff phone (and, with concurrency, chat) with.
// Pure and numerically stable: Erlang B by its recursion (no factorials or powers, fine for
// thousands of agents), then C from B. Traffic is in Erlangs (arrivals per hour × handle hours).

/** Erlang B blocking probability for `agents` servers and `traffic` Erlangs (the stable recursion B(n) = A·B(n-1) / (n + A·B(n-1))). */
export function erlangB(traffic: number, agents: number): number {
  if (!(traffic >= 0) || !Number.isInteger(agents) || agents < 0) throw new RangeError('erlangB needs traffic ≥ 0 and a whole number of agents ≥ 0');
  let b = 1;
  for (let n = 1; n <= agents; n++) b = (traffic * b) / (n + traffic * b);
  return b;
}

/** The probability that a contact waits (Erlang C); 1 when the agents cannot keep up (agents ≤ traffic). */
export function erlangC(traffic: number, agents: number): number {
  if (traffic === 0) return 0;
  if (agents <= traffic) return 1;
  const b = erlangB(traffic, agents);
  return (agents * b) / (agents - traffic * (1 - b));
}

export interface StaffingTarget {
  /** Answered within this many seconds… */
  answerWithinSeconds: number;
  /** …for this share of contacts (0.8 = 80 %). */
  targetShare: number;
}

/** The share of contacts answered within `answerWithinSeconds` with `agents` on a queue of `traffic` Erlangs and handle time `ahtSeconds`. */
export function serviceLevel(traffic: number, agents: number, ahtSeconds: number, answerWithinSeconds: number): number {
  if (traffic === 0) return 1;
  if (agents <= traffic) return 0;
  return 1 - erlangC(traffic, agents) * Math.exp((-(agents - traffic) * answerWithinSeconds) / ahtSeconds);
}

/** Average speed of answer in seconds; Infinity when the queue grows without bound. */
export function averageSpeedOfAnswer(traffic: number, agents: number, ahtSeconds: number): number {
  if (traffic === 0) return 0;
  if (agents <= traffic) return Number.POSITIVE_INFINITY;
  return (erlangC(traffic, agents) * ahtSeconds) / (agents - traffic);
}

export interface StaffingSuggestion {
  /** Erlangs: arrivals per hour × handle time in hours. */
  traffic: number;
  agents: number;
  serviceLevel: number;
  asaSeconds: number;
  /** traffic / agents. */
  occupancy: number;
}

/** The fewest agents that meet the target (at least one more than the traffic, so the queue is stable). */
export function agentsFor(arrivalsPerHour: number, ahtSeconds: number, target: StaffingTarget): StaffingSuggestion {
  if (!(arrivalsPerHour >= 0) || !(ahtSeconds > 0)) throw new RangeError('agentsFor needs arrivals ≥ 0 and a handle time > 0');
  const traffic = (arrivalsPerHour * ahtSeconds) / 3600;
  if (traffic === 0) return { traffic: 0, agents: 0, serviceLevel: 1, asaSeconds: 0, occupancy: 0 };
  let agents = Math.floor(traffic) + 1;
  // Service level rises with each agent; the loop ends well before 10× the traffic for any sane target.
  while (serviceLevel(traffic, agents, ahtSeconds, target.answerWithinSeconds) < target.targetShare && agents < 10 * traffic + 100) agents++;
  return { traffic, agents, serviceLevel: serviceLevel(traffic, agents, ahtSeconds, target.answerWithinSeconds), asaSeconds: averageSpeedOfAnswer(traffic, agents, ahtSeconds), occupancy: traffic / agents };
}
