// The routing engine: route() decides who is offered a conversation and on which channel;
// suggestChannel() proposes a better channel to the customer. Pure; the hub owns the state.
export * from './types';
export { route, prepareAgents, PreparedAgents, normalizeLanguage } from './router';
export { suggestChannel, type SuggestInput } from './suggestChannel';
