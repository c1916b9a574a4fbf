// The channels module of the hub (being built).
import type { HubModuleFactory } from '../services';

export const createChannelsModule: HubModuleFactory = () => ({ name: 'channels' });
