// Numbers in the agent's locale ("1,234" / "1.234", "45%" / "45 %", "1.5 MB" / "1,5 MB") and
// lists of names ("Sam and Lee" / "Sam und Lee"): Intl with the workspace's language (i18n).
import { currentLocale, t } from './i18n';

export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(currentLocale(), options).format(value);
}

/** 0.45 → "45%" ("45 %" in German). */
export function formatPercent(share: number, fractionDigits = 0): string {
  return formatNumber(share, { style: 'percent', maximumFractionDigits: fractionDigits });
}

const KB = 1024;
const MB = 1024 * KB;

/** A file size: "340 KB", "1.5 MB" / "1,5 MB" (at least 1 KB, as the upload limits are written). */
export function formatBytes(bytes: number): string {
  if (bytes >= MB) return t('common:sizeMb', { value: formatNumber(bytes / MB, { maximumFractionDigits: 1 }) });
  return t('common:sizeKb', { value: formatNumber(Math.max(1, Math.round(bytes / KB))) });
}

/** A received attachment's size: "812 B", "34 KB", "2.0 MB" / "2,0 MB". */
export function formatSize(bytes: number): string {
  if (bytes < KB) return t('common:sizeB', { value: formatNumber(bytes) });
  if (bytes < MB) return t('common:sizeKb', { value: formatNumber(Math.round(bytes / KB)) });
  return t('common:sizeMb', { value: formatNumber(bytes / MB, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) });
}

/** "Sam", "Sam and Lee", "Sam, Lee and Kim" in the agent's language. */
export function formatNames(names: readonly string[]): string {
  return new Intl.ListFormat(currentLocale(), { style: 'long', type: 'conjunction' }).format(names);
}
