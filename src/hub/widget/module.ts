// The widget module of the hub (being built).
import type { HubModuleFactory } from '../services';

export const createWidgetModule: HubModuleFactory = () => ({ name: 'widget' });
