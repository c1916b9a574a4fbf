// The German catalog: the same namespaces as English, checked complete by the compiler.
import type { Messages } from '../catalog';
import type { en } from '../en';
import { common } from './common';
import { channelConfig } from './channelConfig';
import { liveConsole } from './console';

export const de: Messages<typeof en> = { common, channelConfig, console: liveConsole };
