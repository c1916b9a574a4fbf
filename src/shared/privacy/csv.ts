// RFC 4180 CSV, written by hand: no CSV library is installed and the rules are short. Fields with a
// comma, quote, CR or LF are quoted (quotes doubled); lines end in CRLF. Cells that a spreadsheet would
// run as a formula (starting with = + - @, tab or CR) get a leading ' so they stay text (OWASP CSV injection).
export type CsvCell = string | number | boolean | null;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: CsvCell): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
