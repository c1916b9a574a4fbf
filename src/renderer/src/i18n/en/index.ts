// The English catalog, one namespace per feature area (add a file and a line here).
import { common } from './common';
import { enums } from './enums';
import { queue } from './queue';
import { conversation } from './conversation';
import { privacy } from './privacy';
import { composer } from './composer';
import { supervisor } from './supervisor';
import { profile } from './profile';
import { caseActions } from './caseActions';
import { palette } from './palette';
import { shell } from './shell';
import { voice } from './voice';
import { settings } from './settings';
import { macros } from './macros';
import { errors } from './errors';
import { channelConfig } from './channelConfig';
import { liveConsole } from './console';
import { handoff } from './handoff';
import { serverErrors } from './serverErrors';
import { locale } from './locale';

export const en = { common, enums, queue, conversation, privacy, composer, supervisor, profile, caseActions, palette, shell, voice, settings, macros, errors, channelConfig, console: liveConsole, handoff, serverErrors, locale };
