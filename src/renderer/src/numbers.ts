// Numbers in the agent's locale ("1,234" / "1.234", "45%" / "45 %", "1.5 MB" / "1,5 MB") and
// lists of names ("Sam and Lee" / "Sam und Lee"): Intl with the workspace's language (i18n).
import { currentLocale } from './i18n';

export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(currentLocale(), options).format(value);
}

/** 0.45 → "45%" ("45 %" in German). */
export function formatPercent(share: number, fractionDigits = 0): string {
  return formatNumber(share, { style: 'percent', maximumFractionDigits: fractionDigits });
}

/** A file size: "340 KB", "1.5 MB" (at least 1 KB, as the upload limits are written). */
export function formatBytes(bytes: number): string {
  const MB = 1024 * 1024;
  if (bytes >= MB) return formatNumber(bytes / MB, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 });
  return formatNumber(Math.max(1, Math.round(bytes / 1024)), { style: 'unit', unit: 'kilobyte' });
}

/** "Sam", "Sam and Lee", "Sam, Lee and Kim" in the agent's language. */
export function formatNames(names: readonly string[]): string {
  return new Intl.ListFormat(currentLocale(), { style: 'long', type: 'conjunction' }).format(names);
}
