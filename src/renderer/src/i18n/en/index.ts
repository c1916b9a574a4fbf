// The English catalog, one namespace per feature area (add a file and a line here).
import { common } from './common';
import { channelConfig } from './channelConfig';
import { liveConsole } from './console';

export const en = { common, channelConfig, console: liveConsole };
