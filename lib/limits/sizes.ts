/**
 * Bounds on every size a user can ask for (a run's set size, an export's size, a group's retrieval count), so no
 * request can make the server compute or store a set far larger than the pool it comes from.
 *
 * - One configurable ceiling for all of them: POPULACE_MAX_SET_SIZE (default 100,000; lib/env.ts).
 * - Per pool: a set drawn with repeats holds at most REPEAT_FACTOR (10) times the pool size; a set of distinct
 *   personas at most the pool size.
 * - Retrieval returns at most MAX_RETRIEVE_COUNT (5,000) hits, and never more than the ceiling.
 *
 * A size over its bound is a 422 AppError whose message names the field, the asked value and the limit (details
 * `{ field, value, limit }`).
 */
import { AppError } from '../http/errors';
import { env, type EnvSource } from '../env';

export const MAX_SET_SIZE_ENV = 'POPULACE_MAX_SET_SIZE';
/** A draw with repeats may hold each persona several times, but at most this many times the pool size in all. */
export const REPEAT_FACTOR = 10;
/** The most hits one retrieval answers (each carries an excerpt; the group set is built from them). */
export const MAX_RETRIEVE_COUNT = 5_000;

const fmt = new Intl.NumberFormat('en-US');

/** The configured ceiling of every set size (POPULACE_MAX_SET_SIZE, a whole number >= 1; default 100,000). */
export function maxSetSize(source?: EnvSource): number {
  return env(MAX_SET_SIZE_ENV, source);
}

/** The 422 answer for a size over its limit. */
export function sizeLimitError(field: string, value: number, limit: number, why: string): AppError {
  return new AppError('size_limit', `${field}: ${fmt.format(value)} was asked for, but the limit is ${fmt.format(limit)} (${why}).`, 422, {
    field,
    value,
    limit,
  });
}

export interface SetSizeCheck {
  /** The request field, as the user sent it (e.g. "size"). */
  field: string;
  value: number;
  /** Personas the set is drawn from. */
  poolSize: number;
  /** True when the set holds each persona at most once. */
  distinct: boolean;
  /** What the pool is, for the message (e.g. "the pool", "run 12's pool"). */
  poolLabel?: string;
}

/** The largest allowed size of a set drawn from a pool (see the module comment), with the reason. */
export function setSizeLimit({ poolSize, distinct, poolLabel = 'the pool' }: Omit<SetSizeCheck, 'field' | 'value'>): { limit: number; why: string } {
  const ceiling = maxSetSize();
  const byPool = distinct ? poolSize : REPEAT_FACTOR * poolSize;
  if (byPool < ceiling) {
    return {
      limit: byPool,
      why: distinct
        ? `a set of distinct personas holds at most the ${fmt.format(poolSize)} personas of ${poolLabel}`
        : `a draw with repeats holds at most ${REPEAT_FACTOR} times the ${fmt.format(poolSize)} personas of ${poolLabel}`,
    };
  }
  return { limit: ceiling, why: `${MAX_SET_SIZE_ENV}` };
}

/** Throws the 422 when a set size is over the ceiling or over what its pool allows. */
export function checkSetSize(check: SetSizeCheck): void {
  const ceiling = maxSetSize();
  if (check.value > ceiling) throw sizeLimitError(check.field, check.value, ceiling, MAX_SET_SIZE_ENV);
  const { limit, why } = setSizeLimit(check);
  if (check.value > limit) throw sizeLimitError(check.field, check.value, limit, why);
}

/** The largest retrieval count: min(5,000, POPULACE_MAX_SET_SIZE). */
export function retrieveCountLimit(): number {
  return Math.min(MAX_RETRIEVE_COUNT, maxSetSize());
}

/** Throws the 422 when a retrieval count is over its limit. */
export function checkRetrieveCount(field: string, value: number): void {
  const limit = retrieveCountLimit();
  if (value > limit) {
    throw sizeLimitError(field, value, limit, limit === MAX_RETRIEVE_COUNT ? `at most ${fmt.format(MAX_RETRIEVE_COUNT)} hits per retrieval` : MAX_SET_SIZE_ENV);
  }
}
