// Identity resolution: normalizing what channels say about a customer into identifier keys, and
// the graph that turns those keys into customer profiles (merge, unmerge, audit, language).
export * from './normalize';
export * from './identityGraph';
