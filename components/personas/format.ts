/** Number formats shared by the persona and review screens. */
export const fmtInt = new Intl.NumberFormat('en-US');
export const fmt2 = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? '—' : v.toFixed(2));
export const fmtWeight = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v < 0.001 ? v.toExponential(2) : v.toFixed(4));
export const fmtTime = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC');
