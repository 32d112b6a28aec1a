/**
 * The units of a job on PostgreSQL, with leases: the twin of db/queries/jobUnits.ts (same functions, arguments and
 * results, async, on a PgDb, PgTx or PgSession). Times are milliseconds since the epoch passed in by the caller
 * (bigint columns read back as numbers).
 *
 * How the SQLite write transactions (`BEGIN IMMEDIATE`, one writer) map here:
 * - the claim is one statement whose row picks take `FOR UPDATE SKIP LOCKED`: concurrent claimers (separate
 *   connections, processes or machines) lock disjoint units without waiting for each other, and a unit another
 *   claimer has just taken is re-checked on its committed version (READ COMMITTED) and left out, its lease live;
 * - heartbeat, commit, fail and release are UPDATEs conditioned on the worker still holding the unit: a concurrent
 *   writer of the same unit waits for the row lock and re-checks the condition on the committed row, so a unit is
 *   committed, failed or given back by its holder once, and never after another worker took it;
 * - a commit runs the unit's write (`apply`, async, given the transaction) in the transaction that marks it done.
 * `min(a, b)` becomes `LEAST(a, b)`, `max(a, b)` `GREATEST(a, b)`; lists are ordered where SQLite's GROUP BY gives
 * its groups in key order (text keys in byte order, COLLATE "C").
 */
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { jobResultSchema, parseStored, type JobResult, type JobRunner } from '../../json';
import type { ClaimedUnit, HeartbeatOutcome } from '../../queries/jobUnits';
import type { JobStatus, JobUnit, JobUnitStatus } from '../../schema';
import type { PgDb, PgSession, PgTx } from '../client';
import { jobUnits } from '../schema';

export type { ClaimedUnit, HeartbeatOutcome };

const iso = (ms: number) => new Date(ms).toISOString();

/** Job statuses whose units may be claimed. */
const RUNNABLE: readonly JobStatus[] = ['queued', 'running'];
const inList = (values: readonly (string | number)[]) => sql.join(values.map((v) => sql`${v}`), sql`, `);

async function first<T>(db: PgSession, query: SQL): Promise<T | undefined> {
  return (await db.execute<T & Record<string, unknown>>(query)).rows[0] as T | undefined;
}
async function all<T>(db: PgSession, query: SQL): Promise<T[]> {
  return (await db.execute<T & Record<string, unknown>>(query)).rows as T[];
}

/**
 * Runs `fn` in a transaction (a savepoint when `db` is already one); a throw rolls everything back. The twin of
 * SQLite's `BEGIN IMMEDIATE` write transaction: statements `fn` runs on the transaction it is given belong to it.
 */
export function writeTransaction<T>(db: PgSession, fn: (tx: PgTx) => Promise<T>): Promise<T> {
  return (db as PgDb).transaction(fn);
}

/** A unit as a job's result and the tests read it. */
function readUnit(row: JobUnit): JobUnit {
  return { ...row, result: row.result === null ? null : parseStored(jobResultSchema, row.result, { table: 'job_unit', id: row.id, column: 'result' }) };
}

/**
 * Adds units to a job (a key the job already has is left as it is); returns how many were added. INSERT ... ON
 * CONFLICT DO NOTHING in chunks of 500, as on SQLite: every row tried takes an id, the ones left out too (SQLite's
 * AUTOINCREMENT does the same), so the units get the ids they get there.
 */
export async function insertJobUnits({ db, jobId, stage, units }: { db: PgSession; jobId: number; stage: string; units: { key: string; weight: number }[] }): Promise<number> {
  let added = 0;
  for (let i = 0; i < units.length; i += 500) {
    const chunk = units.slice(i, i + 500).map((u) => ({ jobId, stage, key: u.key, weight: u.weight }));
    added += (await db.insert(jobUnits).values(chunk).onConflictDoNothing().returning({ id: jobUnits.id })).length;
  }
  return added;
}

/** Removes every unit of a job (a finished job run again is planned afresh). */
export async function deleteJobUnits({ db, jobId }: { db: PgSession; jobId: number }): Promise<number> {
  return (await db.execute(sql`DELETE FROM job_units WHERE job_id = ${jobId}`)).rowCount ?? 0;
}

/** Every unit of a job, in the order they were planned. */
export async function listJobUnits({ db, jobId }: { db: PgSession; jobId: number }): Promise<JobUnit[]> {
  return (await db.select().from(jobUnits).where(eq(jobUnits.jobId, jobId)).orderBy(asc(jobUnits.id))).map(readUnit);
}

/** One unit by job and key. */
export async function getJobUnit({ db, jobId, key }: { db: PgSession; jobId: number; key: string }): Promise<JobUnit | undefined> {
  const [row] = await db.select().from(jobUnits).where(and(eq(jobUnits.jobId, jobId), eq(jobUnits.key, key))).limit(1);
  return row && readUnit(row);
}

/** How a job's units stand: how many there are, how many are pending or claimed (open), and its latest stage. */
export async function jobUnitState({ db, jobId }: { db: PgSession; jobId: number }): Promise<{ units: number; open: number; stage: string | null }> {
  const r = await first<{ units: number; open: number | null }>(
    db,
    sql`SELECT count(*)::integer AS "units", sum(CASE WHEN status IN ('pending', 'claimed') THEN 1 ELSE 0 END)::integer AS "open"
    FROM job_units WHERE job_id = ${jobId}`,
  );
  const last = await first<{ stage: string }>(db, sql`SELECT stage FROM job_units WHERE job_id = ${jobId} ORDER BY id DESC LIMIT 1`);
  return { units: r?.units ?? 0, open: r?.open ?? 0, stage: last?.stage ?? null };
}

/** Which of these jobs have units (a job planned as units), as a set of ids. */
export async function jobsWithUnits({ db, jobIds }: { db: PgSession; jobIds: number[] }): Promise<Set<number>> {
  if (jobIds.length === 0) return new Set();
  const rows = await all<{ jobId: number }>(db, sql`SELECT DISTINCT job_id AS "jobId" FROM job_units WHERE job_id IN (${inList(jobIds)})`);
  return new Set(rows.map((r) => Number(r.jobId)));
}

/**
 * Writes a job's progress from its units: done is the weight of its done units, failures the weight of its failed
 * units; with `later` (progress units of stages not planned yet), the total too.
 */
export async function recountJobProgress({ db, jobId, now, later }: { db: PgSession; jobId: number; now: number; later?: number }): Promise<void> {
  const total =
    later === undefined ? sql`total` : sql`(SELECT coalesce(sum(weight), 0) FROM job_units WHERE job_id = ${jobId}) + ${later}::bigint`;
  await db.execute(sql`
    UPDATE jobs SET
      done = (SELECT coalesce(sum(weight), 0) FROM job_units WHERE job_id = ${jobId} AND status = 'done'),
      failures = (SELECT coalesce(sum(weight), 0) FROM job_units WHERE job_id = ${jobId} AND status = 'failed'),
      total = ${total},
      updated_at = ${iso(now)}
    WHERE id = ${jobId}`);
}

/** Adds a unit's weight to a job's done or failures. */
async function addToJob(db: PgSession, jobId: number, column: 'done' | 'failures', weight: number, now: number): Promise<void> {
  if (weight === 0) return;
  const col = column === 'done' ? sql`done` : sql`failures`;
  await db.execute(sql`UPDATE jobs SET ${col} = ${col} + ${weight}::bigint, updated_at = ${iso(now)} WHERE id = ${jobId}`);
}

/**
 * How far the claimed units of these jobs have got (what their workers reported at their last heartbeat): the part of
 * a job's progress not in its row yet.
 */
export async function claimedProgress({ db, jobIds }: { db: PgSession; jobIds: number[] }): Promise<Map<number, number>> {
  if (jobIds.length === 0) return new Map();
  const rows = await all<{ jobId: number; progress: string }>(
    db,
    sql`
    SELECT job_id AS "jobId", sum(LEAST(progress, weight)) AS "progress" FROM job_units
    WHERE job_id IN (${inList(jobIds)}) AND status = 'claimed'
    GROUP BY job_id
    ORDER BY job_id`,
  );
  return new Map(rows.map((r) => [Number(r.jobId), Number(r.progress)]));
}

/**
 * Jobs of these kinds (or this one job) that a worker could take a unit of now: queued or running, with a pending
 * unit or one whose lease has expired; oldest first. A plain read: the claim checks again.
 */
export async function listClaimableJobs({ db, kinds, jobId, now }: { db: PgSession; kinds: readonly string[]; jobId?: number; now: number }): Promise<{ id: number; kind: string }[]> {
  if (kinds.length === 0) return [];
  return all<{ id: number; kind: string }>(
    db,
    sql`
    SELECT j.id AS "id", j.kind AS "kind" FROM jobs j
    WHERE j.status IN (${inList(RUNNABLE)}) AND j.kind IN (${inList(kinds)}) ${jobId === undefined ? sql`` : sql`AND j.id = ${jobId}`}
      AND EXISTS (SELECT 1 FROM job_units u WHERE u.job_id = j.id
                  AND (u.status = 'pending' OR (u.status = 'claimed' AND u.lease_expires_at <= ${now})))
    ORDER BY j.id`,
  );
}

/**
 * Claims up to `limit` units of a job for a worker, as one statement: of the units whose lease has expired, those
 * claimed `maxAttempts` times are failed (their weight added to the job's failures) and the others are pending again;
 * the first pending units in id order are taken (worker id, lease expiry, heartbeat, one more attempt), and a queued
 * job becomes running with `runner` as the process that started it (and its progress then). Nothing is taken unless
 * the job is queued or running.
 *
 * Every row pick takes `FOR UPDATE SKIP LOCKED`: units locked by a concurrent claim, commit or release are left to
 * it. The statement's parts see one snapshot, so the expired units it makes pending are those it does not take
 * itself (what the claim takes is picked among pending and expired units at once, in id order: the units SQLite
 * takes after making the expired ones pending). The job's status is read without a lock: a cancel committed while
 * the claim runs may let it take units, which the worker gives back at its next heartbeat (as on SQLite, where a
 * cancel lands between claim and heartbeat).
 */
export async function claimJobUnits({
  db,
  jobId,
  workerId,
  limit,
  leaseMs,
  maxAttempts,
  now,
  runner,
}: {
  db: PgSession;
  jobId: number;
  workerId: string;
  limit: number;
  leaseMs: number;
  maxAttempts: number;
  now: number;
  runner: Omit<JobRunner, 'doneAtStart'>;
}): Promise<{ units: ClaimedUnit[]; expiredFailed: number }> {
  if (limit <= 0) return { units: [], expiredFailed: 0 };
  const at = iso(now);
  const started = sql`"status" = 'queued' AND EXISTS (SELECT 1 FROM claimed)`;
  const row = await first<{ units: ClaimedUnit[]; expiredFailed: number }>(
    db,
    sql`
    WITH job AS (
      SELECT "id" FROM "jobs" WHERE "id" = ${jobId} AND "status" IN (${inList(RUNNABLE)})
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
    reopened AS (
      UPDATE "job_units" SET "status" = 'pending', "worker_id" = NULL, "lease_expires_at" = NULL, "heartbeat_at" = NULL, "progress" = 0
      WHERE "id" IN (
        SELECT "id" FROM "job_units"
        WHERE "job_id" = (SELECT "id" FROM job) AND "status" = 'claimed' AND "lease_expires_at" <= ${now}
          AND "attempts" < ${maxAttempts} AND "id" NOT IN (SELECT "id" FROM claimed)
        FOR UPDATE SKIP LOCKED
      )
      RETURNING "id"
    ),
    job_update AS (
      UPDATE "jobs" SET
        "failures" = "failures" + coalesce((SELECT sum("weight") FROM exhausted), 0),
        "status" = CASE WHEN ${started} THEN 'running' ELSE "status" END,
        "started_at" = CASE WHEN ${started} THEN ${at}::text ELSE "started_at" END,
        "error" = CASE WHEN ${started} THEN NULL ELSE "error" END,
        "finished_at" = CASE WHEN ${started} THEN NULL ELSE "finished_at" END,
        "result" = CASE WHEN ${started}
          THEN jsonb_build_object('_runner', jsonb_build_object('pid', ${runner.pid}::integer, 'host', ${runner.host}::text,
            'startedAt', ${runner.startedAt}::text, 'doneAtStart', "done"))
          ELSE "result" END,
        "updated_at" = ${at}::text
      WHERE "id" = ${jobId}
        AND (coalesce((SELECT sum("weight") FROM exhausted), 0) <> 0 OR ${started})
    )
    SELECT
      coalesce((SELECT jsonb_agg(jsonb_build_object('id', "id", 'jobId', "job_id", 'key', "key", 'stage', "stage",
        'weight', "weight", 'attempts', "attempts") ORDER BY "id") FROM claimed), '[]'::jsonb) AS "units",
      (SELECT count(*) FROM exhausted)::integer AS "expiredFailed"`,
  );
  return { units: row?.units ?? [], expiredFailed: row?.expiredFailed ?? 0 };
}

/** Extends the leases of the units a worker holds and stores how far each has got, in one transaction. */
export async function heartbeatJobUnits({
  db,
  workerId,
  units,
  leaseMs,
  now,
}: {
  db: PgSession;
  workerId: string;
  units: { id: number; jobId: number; progress: number }[];
  leaseMs: number;
  now: number;
}): Promise<HeartbeatOutcome> {
  const out: HeartbeatOutcome = { held: [], stopped: [], lost: [] };
  if (units.length === 0) return out;
  return writeTransaction(db, async (tx) => {
    for (const u of units) {
      const extended = (
        await tx.execute(sql`
        UPDATE job_units SET lease_expires_at = ${now + leaseMs}, heartbeat_at = ${now}, progress = ${u.progress}
        WHERE id = ${u.id} AND worker_id = ${workerId} AND status = 'claimed'
          AND EXISTS (SELECT 1 FROM jobs j WHERE j.id = job_units.job_id AND j.status IN (${inList(RUNNABLE)}))`)
      ).rowCount;
      if (extended) {
        out.held.push(u.id);
        continue;
      }
      const mine = await first<{ id: number }>(tx, sql`SELECT id FROM job_units WHERE id = ${u.id} AND worker_id = ${workerId} AND status = 'claimed'`);
      (mine ? out.stopped : out.lost).push(u.id);
    }
    return out;
  });
}

const jsonbOrNull = (v: JobResult | null) => (v === null ? sql`NULL` : sql`${JSON.stringify(v)}::jsonb`);

/**
 * Stores a unit's work and marks it done in one transaction that first checks the worker still holds the unit
 * (claimed by it, its job not finished). When it does not, nothing is written and false is returned. `apply` writes
 * the unit's work on the transaction it is given; a throw from it rolls the transaction back and is passed on.
 */
export async function commitJobUnit({
  db,
  unitId,
  workerId,
  result,
  now,
  apply,
}: {
  db: PgSession;
  unitId: number;
  workerId: string;
  result: JobResult | null;
  now: number;
  apply?: (tx: PgTx) => Promise<void>;
}): Promise<boolean> {
  return writeTransaction(db, async (tx) => {
    const held = await first<{ jobId: number; weight: number }>(
      tx,
      sql`
      UPDATE job_units SET status = 'done', lease_expires_at = NULL, finished_at = ${now}, progress = weight, error = NULL,
        result = ${jsonbOrNull(result)}
      WHERE id = ${unitId} AND worker_id = ${workerId} AND status = 'claimed'
        AND EXISTS (SELECT 1 FROM jobs j WHERE j.id = job_units.job_id AND j.status IN ('queued', 'running', 'cancelling'))
      RETURNING job_id AS "jobId", weight`,
    );
    if (!held) return false;
    await apply?.(tx);
    await addToJob(tx, held.jobId, 'done', Number(held.weight), now);
    return true;
  });
}

/**
 * Records a failed attempt of a unit the worker holds: the unit is failed (with its error and details) when `retry`
 * is false or it has had `maxAttempts` claims, else pending again for any worker. Returns the unit's status after,
 * or 'lost' when the worker no longer held it.
 */
export async function failJobUnit({
  db,
  unitId,
  workerId,
  error,
  details,
  retry,
  maxAttempts,
  now,
}: {
  db: PgSession;
  unitId: number;
  workerId: string;
  error: string;
  details: JobResult | null;
  retry: boolean;
  maxAttempts: number;
  now: number;
}): Promise<JobUnitStatus | 'lost'> {
  return writeTransaction(db, async (tx) => {
    const final = sql`(${retry ? 0 : 1}::integer = 1 OR attempts >= ${maxAttempts}::integer)`;
    const row = await first<{ jobId: number; status: JobUnitStatus; weight: number }>(
      tx,
      sql`
      UPDATE job_units SET
        status = CASE WHEN ${final} THEN 'failed' ELSE 'pending' END,
        worker_id = CASE WHEN ${final} THEN worker_id ELSE NULL END,
        finished_at = CASE WHEN ${final} THEN ${now}::bigint ELSE NULL END,
        lease_expires_at = NULL, progress = 0, error = ${error},
        result = ${jsonbOrNull(details)}
      WHERE id = ${unitId} AND worker_id = ${workerId} AND status = 'claimed'
      RETURNING job_id AS "jobId", status, weight`,
    );
    if (!row) return 'lost';
    if (row.status === 'failed') await addToJob(tx, row.jobId, 'failures', Number(row.weight), now);
    return row.status;
  });
}

/** Gives back a unit the worker holds without counting the attempt (its job was cancelled, or the worker stops). */
export async function releaseJobUnit({ db, unitId, workerId }: { db: PgSession; unitId: number; workerId: string }): Promise<boolean> {
  const r = await db.execute(sql`
    UPDATE job_units SET status = 'pending', worker_id = NULL, lease_expires_at = NULL, heartbeat_at = NULL, progress = 0,
      attempts = GREATEST(attempts - 1, 0)
    WHERE id = ${unitId} AND worker_id = ${workerId} AND status = 'claimed'`);
  return (r.rowCount ?? 0) > 0;
}

/**
 * Gives back every unit held by these workers (workers known to be gone: their process died), as if their leases had
 * expired: pending again, the attempt counted. Returns the jobs concerned, in id order.
 */
export async function releaseWorkersUnits({ db, workerIds }: { db: PgSession; workerIds: string[] }): Promise<number[]> {
  if (workerIds.length === 0) return [];
  const rows = await all<{ jobId: number }>(
    db,
    sql`
    UPDATE job_units SET status = 'pending', worker_id = NULL, lease_expires_at = NULL, heartbeat_at = NULL, progress = 0
    WHERE status = 'claimed' AND worker_id IN (${inList(workerIds)})
    RETURNING job_id AS "jobId"`,
  );
  return [...new Set(rows.map((r) => Number(r.jobId)))].sort((a, b) => a - b);
}

/**
 * The workers holding claimed units of unfinished jobs (of these kinds, or of this one job), with whether their lease
 * is still running; by worker id (byte order) and job.
 */
export async function listUnitHolders({
  db,
  kinds,
  jobId,
  now,
}: {
  db: PgSession;
  kinds?: readonly string[];
  jobId?: number;
  now: number;
}): Promise<{ workerId: string; jobId: number; units: number; live: boolean }[]> {
  const where = [sql`u.status = 'claimed'`, sql`u.worker_id IS NOT NULL`, sql`j.status IN ('queued', 'running', 'cancelling')`];
  if (kinds) where.push(kinds.length ? sql`j.kind IN (${inList(kinds)})` : sql`false`);
  if (jobId !== undefined) where.push(sql`u.job_id = ${jobId}`);
  const rows = await all<{ workerId: string; jobId: number; units: number; live: boolean }>(
    db,
    sql`
    SELECT u.worker_id AS "workerId", u.job_id AS "jobId", count(*)::integer AS "units", bool_or(u.lease_expires_at > ${now}) AS "live"
    FROM job_units u JOIN jobs j ON j.id = u.job_id
    WHERE ${sql.join(where, sql` AND `)}
    GROUP BY u.worker_id, u.job_id
    ORDER BY u.worker_id COLLATE "C", u.job_id`,
  );
  return rows.map((r) => ({ workerId: r.workerId, jobId: Number(r.jobId), units: Number(r.units), live: Boolean(r.live) }));
}

/** Unfinished jobs of these kinds that have units: what a worker looks after (settling stages, finishing cancels). */
export async function listUnfinishedUnitJobs({ db, kinds }: { db: PgSession; kinds: readonly string[] }): Promise<{ id: number; kind: string; status: JobStatus }[]> {
  if (kinds.length === 0) return [];
  return all<{ id: number; kind: string; status: JobStatus }>(
    db,
    sql`
    SELECT j.id AS "id", j.kind AS "kind", j.status AS "status" FROM jobs j
    WHERE j.kind IN (${inList(kinds)}) AND j.status IN ('queued', 'running', 'cancelling')
      AND EXISTS (SELECT 1 FROM job_units u WHERE u.job_id = j.id)
    ORDER BY j.id`,
  );
}

/** How many units of a job each worker finished (done or failed), for reports and tests. */
export async function countUnitsByWorker({ db, jobId }: { db: PgSession; jobId: number }): Promise<Record<string, number>> {
  const rows = await all<{ workerId: string | null; n: number }>(
    db,
    sql`
    SELECT worker_id AS "workerId", count(*)::integer AS "n" FROM job_units WHERE job_id = ${jobId} AND status IN ('done', 'failed')
    GROUP BY worker_id ORDER BY worker_id COLLATE "C"`,
  );
  return Object.fromEntries(rows.map((r) => [r.workerId ?? '', Number(r.n)]));
}
