// The ordered list of schema migrations. A new one gets the next number and its own file;
// a released migration is never edited.
import { migration001 } from './001_initial';
import { migration002 } from './002_search';
import { migration003 } from './003_email';
import { migration004 } from './004_autoreply';
import { migration005 } from './005_sent_copy';
import { migration006 } from './006_hub';
import { migration007 } from './007_privacy';
import { migration008 } from './008_composer';
import { migration009 } from './009_outbox_message_id';
import { migration010 } from './010_case_actions';
import { migration011 } from './011_kb';
import { migration013 } from './013_case_merge';
import { migration014 } from './014_outgoing_attachments';
import { migration015 } from './015_csat';
import { migration016 } from './016_voice';
import { migration017 } from './017_hub_team';
import { migration018 } from './018_metrics';
import { migration019 } from './019_metrics_meta';
import { migration020 } from './020_channel_config';
import { migration021 } from './021_metrics_changes';

import type { Migration } from '../../../platform/sqlite';

export type { Migration };

export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009, migration010, migration011, migration013, migration014, migration015, migration016, migration017, migration018, migration019, migration020, migration021];
export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
