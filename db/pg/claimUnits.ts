/**
 * The job-unit claim on PostgreSQL: what claimJobUnits (db/queries/jobUnits.ts) does on SQLite, as one statement.
 *
 * SQLite runs the claim in a write transaction taken at once (one writer, so nothing interleaves). Here the rows are
 * picked with `SELECT ... FOR UPDATE SKIP LOCKED`: concurrent claimers (separate connections, processes or machines)
 * lock disjoint units without waiting for each other, and a unit another claimer has just taken is re-checked on its
 * committed version (READ COMMITTED) and left out because its lease is live.
 *
 * The same states and columns as on SQLite: a unit is pending, claimed (worker_id, lease_expires_at, heartbeat_at;
 * attempts counts the claims), done or failed; times are milliseconds since the epoch, passed in by the caller.
 * - A claimed unit whose lease has expired is claimable again, unless it has been claimed `maxAttempts` times: then
 *   it is failed (with the same error text as on SQLite) and its weight added to the job's failures.
 * - Nothing is claimed unless the job is queued or running; a queued job becomes running when units are claimed
 *   (with `runner` in its result when given, as on SQLite).
 * - The job's status is read without a lock: a cancel committed while the claim runs may let it take units, which the
 *   worker gives back at its next heartbeat (as on SQLite, where a cancel lands between claim and heartbeat).
 */
import { sql } from 'drizzle-orm';
import type { JobRunner } from '../json';
import type { ClaimedUnit } from '../queries/jobUnits';
import type { PgSession } from './client';

export type { ClaimedUnit };

export interface ClaimUnitsArgs {
  jobId: number;
  workerId: string;
  /** At most this many units. */
  limit: number;
  /** How long the claim holds without a heartbeat (ms). */
  leaseMs: number;
  /** Now, in milliseconds since the epoch (the caller's clock). */
  now: number;
  /** Claims a unit may have before an expired lease fails it (default 3, the workers' default). */
  maxAttempts?: number;
  /** The process starting the job, stored in the job's result when the claim makes a queued job running. */
  runner?: Omit<JobRunner, 'doneAtStart'>;
}

export interface ClaimUnitsResult {
  /** The units taken, in id order. */
  units: ClaimedUnit[];
  /** Expired units failed for having had `maxAttempts` claims. */
  expiredFailed: number;
}

/**
 * Claims up to `limit` pending or lease-expired units of a job for a worker, in one statement: UPDATE ... WHERE id IN
 * (SELECT id ... ORDER BY id FOR UPDATE SKIP LOCKED LIMIT n) RETURNING the units, with the expired units that have
 * used their attempts failed and the job's row brought up to date in the same statement.
 */
export async function claimUnitsPg(
  db: PgSession,
  { jobId, workerId, limit, leaseMs, now, maxAttempts = 3, runner }: ClaimUnitsArgs,
): Promise<ClaimUnitsResult> {
  if (limit <= 0) return { units: [], expiredFailed: 0 };
  const iso = new Date(now).toISOString();
  const result =
    runner === undefined
      ? sql`"result"`
      : sql`jsonb_build_object('_runner', jsonb_build_object('pid', ${runner.pid}::integer, 'host', ${runner.host}::text,
          'startedAt', ${runner.startedAt}::text, 'doneAtStart', "done"))`;
  const rows = await db.execute<{ units: ClaimedUnit[]; expiredFailed: number }>(sql`
    WITH job AS (
      SELECT "id" FROM "jobs" WHERE "id" = ${jobId} AND "status" IN ('queued', 'running')
    ),
    exhausted AS (
      UPDATE "job_units" SET "status" = 'failed', "finished_at" = ${now}, "lease_expires_at" = NULL,
        "error" = 'its worker stopped during each of its ' || "attempts" || ' attempts (the lease expired)'
      WHERE "id" IN (
        SELECT "id" FROM "job_units"
        WHERE "job_id" = (SELECT "id" FROM job) AND "status" = 'claimed' AND "lease_expires_at" <= ${now}
          AND "attempts" >= ${maxAttempts}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING "weight"
    ),
    claimed AS (
      UPDATE "job_units"
      SET "status" = 'claimed', "worker_id" = ${workerId}, "lease_expires_at" = ${now + leaseMs}, "heartbeat_at" = ${now},
          "attempts" = "attempts" + 1, "progress" = 0, "error" = NULL
      WHERE "id" IN (
        SELECT "id" FROM "job_units"
        WHERE "job_id" = (SELECT "id" FROM job)
          AND ("status" = 'pending' OR ("status" = 'claimed' AND "lease_expires_at" <= ${now} AND "attempts" < ${maxAttempts}))
        ORDER BY "id"
        FOR UPDATE SKIP LOCKED
        LIMIT ${Math.floor(limit)}
      )
      RETURNING "id", "job_id", "key", "stage", "weight", "attempts"
    ),
    job_update AS (
      UPDATE "jobs" SET
        "failures" = "failures" + coalesce((SELECT sum("weight") FROM exhausted), 0),
        "status" = CASE WHEN "status" = 'queued' AND EXISTS (SELECT 1 FROM claimed) THEN 'running' ELSE "status" END,
        "started_at" = CASE WHEN "status" = 'queued' AND EXISTS (SELECT 1 FROM claimed) THEN ${iso}::text ELSE "started_at" END,
        "error" = CASE WHEN "status" = 'queued' AND EXISTS (SELECT 1 FROM claimed) THEN NULL ELSE "error" END,
        "finished_at" = CASE WHEN "status" = 'queued' AND EXISTS (SELECT 1 FROM claimed) THEN NULL ELSE "finished_at" END,
        "result" = CASE WHEN "status" = 'queued' AND EXISTS (SELECT 1 FROM claimed) THEN ${result} ELSE "result" END,
        "updated_at" = ${iso}::text
      WHERE "id" = ${jobId} AND (EXISTS (SELECT 1 FROM exhausted) OR ("status" = 'queued' AND EXISTS (SELECT 1 FROM claimed)))
    )
    SELECT
      coalesce((SELECT jsonb_agg(jsonb_build_object('id', "id", 'jobId', "job_id", 'key', "key", 'stage', "stage",
        'weight', "weight", 'attempts', "attempts") ORDER BY "id") FROM claimed), '[]'::jsonb) AS "units",
      (SELECT count(*) FROM exhausted)::integer AS "expiredFailed"`);
  const row = rows.rows[0];
  return { units: row?.units ?? [], expiredFailed: row?.expiredFailed ?? 0 };
}
