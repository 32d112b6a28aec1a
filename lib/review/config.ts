/**
 * Review settings read from the environment. POPULACE_REVIEW_REASON_REQUIRED (default true): a reject must name a
 * reason code; set it to false (or 0, no, off) to allow rejects without one.
 */
export function reasonRequired(raw = process.env.POPULACE_REVIEW_REASON_REQUIRED): boolean {
  return !['false', '0', 'no', 'off'].includes((raw ?? '').trim().toLowerCase());
}
