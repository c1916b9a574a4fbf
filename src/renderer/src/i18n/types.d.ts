// Typed keys: `t('common.settings')`-style mistakes fail the typecheck, not the agent.
import 'i18next';
import type { en } from './en';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: typeof en;
    returnNull: false;
  }
}
