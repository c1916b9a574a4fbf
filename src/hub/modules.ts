// The channel modules the hub mounts, in the order they look at a request.
import type { HubModuleFactory } from './services';
import { createChannelsModule } from './channels/module';
import { createWidgetModule } from './widget/module';
import { createPortalModule } from './portal/module';
import { createCsatModule } from './csat/module';
import { createVoiceModule } from './voice/module';
import { createMetricsModule } from './metrics/module';

export const HUB_MODULES: readonly HubModuleFactory[] = [createChannelsModule, createWidgetModule, createPortalModule, createCsatModule, createVoiceModule, createMetricsModule];
