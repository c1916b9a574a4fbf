// The agent's date formatters in the workspace's locale (i18n), built once per language (Intl
// formatters are costly) and rebuilt when the agent switches language.
import { createDateFormats, type DateFormats } from './format';
import { currentLocale, onLocaleChange } from './i18n';

let formats: DateFormats | null = null;
onLocaleChange(() => {
  formats = null;
});

export function dateFormats(): DateFormats {
  formats ??= createDateFormats(currentLocale());
  return formats;
}
