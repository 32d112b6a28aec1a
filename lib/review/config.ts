/**
 * Review settings read from the environment. POPULACE_REVIEW_REASON_REQUIRED (default true): a reject must name a
 * reason code; set it to false (or 0, no, off) to allow rejects without one.
 */
import { env } from '../env';

export function reasonRequired(raw?: string): boolean {
  return env('POPULACE_REVIEW_REASON_REQUIRED', raw === undefined ? undefined : { POPULACE_REVIEW_REASON_REQUIRED: raw });
}
