// The hub's ordered schema migrations: one file each, each applied in one transaction by
// src/platform/sqlite. 001 is the core (agents, sessions, conversations, messages, offers, the
// per-agent event log); 002–004 belong to the channel modules; 008 is the privacy audit.
import type { Migration } from '../../../platform/sqlite';
import { migration001 } from './001_core';
import { migration002 } from './002_channels';
import { migration003 } from './003_widget';
import { migration004 } from './004_portal';
import { migration008 } from './008_privacy';

export const HUB_MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration008];
