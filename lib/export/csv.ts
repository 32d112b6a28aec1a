const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell (RFC 4180): a text cell starting with = + - @ TAB or CR gets a leading single quote so that a spreadsheet
 * shows it as text instead of running it as a formula (OWASP CSV injection); then quoted when it holds a comma, quote,
 * CR or LF or starts or ends with white space (quotes doubled). Numbers as JavaScript prints them, null as empty.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s: string;
  if (typeof value === 'number') s = Number.isFinite(value) ? String(value) : '';
  else {
    s = String(value);
    if (FORMULA_START.test(s)) s = `'${s}`;
  }
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

