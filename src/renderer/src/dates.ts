// The agent's date formatters in the browser's locale, built once (Intl formatters are costly).
import { createDateFormats, type DateFormats } from './format';

let formats: DateFormats | null = null;

export function dateFormats(): DateFormats {
  formats ??= createDateFormats();
  return formats;
}
