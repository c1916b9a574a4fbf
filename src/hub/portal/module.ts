// The portal module of the hub (being built).
import type { HubModuleFactory } from '../services';

export const createPortalModule: HubModuleFactory = () => ({ name: 'portal' });
