// The hub's ordered schema migrations: one file each, each applied in one transaction by
// src/platform/sqlite. 001 is the core (agents, sessions, conversations, messages, offers, the
// per-agent event log); 002–004, 005 (voice) and 006 (CSAT) belong to the modules; 009 indexes messages by time
// for metrics; 008 is the privacy audit; 010 the supervisors' console actions;
// 012 the channel configuration's versions; 014 when a conversation became its agent's.
import type { Migration } from '../../../platform/sqlite';
import { migration001 } from './001_core';
import { migration002 } from './002_channels';
import { migration003 } from './003_widget';
import { migration004 } from './004_portal';
import { migration005 } from './005_voice';
import { migration006 } from './006_csat';
import { migration009 } from './009_metrics';

import { migration008 } from './008_privacy';
import { migration010 } from './010_supervisor_audit';
import { migration012 } from './012_channel_config';
import { migration014 } from './014_assigned_at';

export const HUB_MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration008, migration009, migration010, migration012, migration014];
