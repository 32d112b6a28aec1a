/**
 * The units of a job that worker processes share (lib/jobs/worker.ts), with leases.
 *
 * A unit is pending, claimed (by one worker, until its lease expires), done or failed. Every statement that decides
 * who holds a unit runs in a write transaction taken at once (`BEGIN IMMEDIATE`: SQLite has one writer, so the check
 * and the write it allows cannot interleave with another process). Times are milliseconds since the epoch, passed in
 * by the caller (its clock; every process on one machine shares it).
 *
 * PostgreSQL: the claim's inner SELECT takes `FOR UPDATE SKIP LOCKED`, `min(a, b)` becomes `LEAST(a, b)`, and the
 * write transactions become ordinary ones with the job row locked (`SELECT ... FOR UPDATE`) where a job is settled.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { jobResultSchema, parseStored, type JobResult, type JobRunner } from '../json';
import { jobUnits, type JobStatus, type JobUnit, type JobUnitStatus } from '../schema';

const iso = (ms: number) => new Date(ms).toISOString();

/** Job statuses whose units may be claimed. */
const RUNNABLE: readonly JobStatus[] = ['queued', 'running'];
const inList = (values: readonly string[]) => sql.join(values.map((v) => sql`${v}`), sql`, `);

/**
 * Runs `fn` in a write transaction taken at once (`BEGIN IMMEDIATE`). Statements `fn` runs on `db` (or on queries
 * given `db`) belong to it: the connection is synchronous, so nothing else runs on it between BEGIN and COMMIT, and a
 * query that opens its own transaction inside becomes a savepoint. A throw rolls everything back.
 */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(() => fn(), { behavior: 'immediate' });
}

/** A unit as a job's result and the tests read it. */
function readUnit(row: JobUnit): JobUnit {
  return { ...row, result: row.result === null ? null : parseStored(jobResultSchema, row.result, { table: 'job_unit', id: row.id, column: 'result' }) };
}

/** Adds units to a job (a key the job already has is left as it is); returns how many were added. */
export function insertJobUnits({ db, jobId, stage, units }: { db: Db; jobId: number; stage: string; units: { key: string; weight: number }[] }): number {
  let added = 0;
  // in chunks: SQLite binds at most 32,766 parameters per statement
  for (let i = 0; i < units.length; i += 500) {
    const chunk = units.slice(i, i + 500).map((u) => ({ jobId, stage, key: u.key, weight: u.weight }));
    added += db.insert(jobUnits).values(chunk).onConflictDoNothing().run().changes;
  }
  return added;
}

/** Removes every unit of a job (a finished job run again is planned afresh). */
export function deleteJobUnits({ db, jobId }: { db: Db; jobId: number }): number {
  return db.delete(jobUnits).where(eq(jobUnits.jobId, jobId)).run().changes;
}

/** Every unit of a job, in the order they were planned. */
export function listJobUnits({ db, jobId }: { db: Db; jobId: number }): JobUnit[] {
  return db.select().from(jobUnits).where(eq(jobUnits.jobId, jobId)).orderBy(asc(jobUnits.id)).all().map(readUnit);
}

/** One unit by job and key. */
export function getJobUnit({ db, jobId, key }: { db: Db; jobId: number; key: string }): JobUnit | undefined {
  const row = db.select().from(jobUnits).where(and(eq(jobUnits.jobId, jobId), eq(jobUnits.key, key))).get();
  return row && readUnit(row);
}

/** How a job's units stand: how many there are, how many are pending or claimed (open), and its latest stage. */
export function jobUnitState({ db, jobId }: { db: Db; jobId: number }): { units: number; open: number; stage: string | null } {
  const r = db.get<{ units: number; open: number | null }>(sql`
    SELECT count(*) AS units, sum(CASE WHEN status IN ('pending', 'claimed') THEN 1 ELSE 0 END) AS open
    FROM job_units WHERE job_id = ${jobId}`);
  const last = db.get<{ stage: string }>(sql`SELECT stage FROM job_units WHERE job_id = ${jobId} ORDER BY id DESC LIMIT 1`);
  return { units: r?.units ?? 0, open: r?.open ?? 0, stage: last?.stage ?? null };
}

/** Which of these jobs have units (a job planned as units), as a set of ids. */
export function jobsWithUnits({ db, jobIds }: { db: Db; jobIds: number[] }): Set<number> {
  if (jobIds.length === 0) return new Set();
  const rows = db.all<{ jobId: number }>(sql`SELECT DISTINCT job_id AS jobId FROM job_units WHERE job_id IN (${inList(jobIds.map(String))})`);
  return new Set(rows.map((r) => Number(r.jobId)));
}

/**
 * Writes a job's progress from its units: done is the weight of its done units, failures the weight of its failed
 * units; with `later` (progress units of stages not planned yet), the total too. Run when a stage is planned and when
 * the job ends; in between, storing or failing a unit adds its weight (O(1), whatever the job's size).
 */
export function recountJobProgress({ db, jobId, now, later }: { db: Db; jobId: number; now: number; later?: number }): void {
  const total =
    later === undefined ? sql`total` : sql`(SELECT coalesce(sum(weight), 0) FROM job_units WHERE job_id = ${jobId}) + ${later}`;
  db.run(sql`
    UPDATE jobs SET
      done = (SELECT coalesce(sum(weight), 0) FROM job_units WHERE job_id = ${jobId} AND status = 'done'),
      failures = (SELECT coalesce(sum(weight), 0) FROM job_units WHERE job_id = ${jobId} AND status = 'failed'),
      total = ${total},
      updated_at = ${iso(now)}
    WHERE id = ${jobId}`);
}

/** Adds a unit's weight to a job's done or failures. */
function addToJob(db: Db, jobId: number, column: 'done' | 'failures', weight: number, now: number): void {
  if (weight === 0) return;
  const col = column === 'done' ? sql`done` : sql`failures`;
  db.run(sql`UPDATE jobs SET ${col} = ${col} + ${weight}, updated_at = ${iso(now)} WHERE id = ${jobId}`);
}

/**
 * How far the claimed units of these jobs have got (what their workers reported at their last heartbeat): the part of
 * a job's progress not in its row yet. Reads only the claimed units (a few per worker).
 */
export function claimedProgress({ db, jobIds }: { db: Db; jobIds: number[] }): Map<number, number> {
  if (jobIds.length === 0) return new Map();
  const rows = db.all<{ jobId: number; progress: number }>(sql`
    SELECT job_id AS jobId, sum(min(progress, weight)) AS progress FROM job_units
    WHERE job_id IN (${inList(jobIds.map(String))}) AND status = 'claimed'
    GROUP BY job_id`);
  return new Map(rows.map((r) => [Number(r.jobId), Number(r.progress)]));
}

/**
 * Jobs of these kinds (or this one job) that a worker could take a unit of now: queued or running, with a pending
 * unit or one whose lease has expired; oldest first. A plain read: the claim checks again.
 */
export function listClaimableJobs({ db, kinds, jobId, now }: { db: Db; kinds: readonly string[]; jobId?: number; now: number }): { id: number; kind: string }[] {
  if (kinds.length === 0) return [];
  return db.all<{ id: number; kind: string }>(sql`
    SELECT j.id AS id, j.kind AS kind FROM jobs j
    WHERE j.status IN (${inList(RUNNABLE)}) AND j.kind IN (${inList(kinds)}) ${jobId === undefined ? sql`` : sql`AND j.id = ${jobId}`}
      AND EXISTS (SELECT 1 FROM job_units u WHERE u.job_id = j.id
                  AND (u.status = 'pending' OR (u.status = 'claimed' AND u.lease_expires_at <= ${now})))
    ORDER BY j.id`);
}

/** A unit a worker holds. */
export interface ClaimedUnit {
  id: number;
  jobId: number;
  key: string;
  stage: string;
  weight: number;
  attempts: number;
}

/**
 * Claims up to `limit` units of a job for a worker, in one write transaction: of the units whose lease has expired,
 * those claimed `maxAttempts` times are failed (a unit that keeps killing its workers) and the others are pending
 * again; then the first pending units are taken (worker id, lease expiry, heartbeat, one more attempt), and a queued
 * job becomes running with `runner` as the process that started it (and its progress then, for the rate). Nothing is
 * taken unless the job is queued or running.
 *
 * The claim is one UPDATE over a SELECT of the first pending units in id order (read from the (job, status) index,
 * no sort); on PostgreSQL that SELECT takes `FOR UPDATE SKIP LOCKED`.
 */
export function claimJobUnits({
  db,
  jobId,
  workerId,
  limit,
  leaseMs,
  maxAttempts,
  now,
  runner,
}: {
  db: Db;
  jobId: number;
  workerId: string;
  limit: number;
  leaseMs: number;
  maxAttempts: number;
  now: number;
  runner: Omit<JobRunner, 'doneAtStart'>;
}): { units: ClaimedUnit[]; expiredFailed: number } {
  if (limit <= 0) return { units: [], expiredFailed: 0 };
  return writeTransaction(db, () => {
    const job = db.get<{ status: JobStatus }>(sql`SELECT status FROM jobs WHERE id = ${jobId}`);
    if (!job || !RUNNABLE.includes(job.status)) return { units: [], expiredFailed: 0 };
    const expired = db.all<{ weight: number }>(sql`
      UPDATE job_units SET status = 'failed', finished_at = ${now}, lease_expires_at = NULL,
        error = 'its worker stopped during each of its ' || attempts || ' attempts (the lease expired)'
      WHERE job_id = ${jobId} AND status = 'claimed' AND lease_expires_at <= ${now} AND attempts >= ${maxAttempts}
      RETURNING weight`);
    addToJob(db, jobId, 'failures', expired.reduce((a, u) => a + Number(u.weight), 0), now);
    db.run(sql`
      UPDATE job_units SET status = 'pending', worker_id = NULL, lease_expires_at = NULL, heartbeat_at = NULL, progress = 0
      WHERE job_id = ${jobId} AND status = 'claimed' AND lease_expires_at <= ${now}`);
    const units = db.all<ClaimedUnit>(sql`
      UPDATE job_units
      SET status = 'claimed', worker_id = ${workerId}, lease_expires_at = ${now + leaseMs}, heartbeat_at = ${now},
          attempts = attempts + 1, progress = 0, error = NULL
      WHERE id IN (
        SELECT id FROM job_units
        WHERE job_id = ${jobId} AND status = 'pending'
        ORDER BY id
        LIMIT ${limit}
      )
      RETURNING id, job_id AS jobId, key, stage, weight, attempts`);
    if (units.length && job.status === 'queued') {
      db.run(sql`
        UPDATE jobs SET status = 'running', started_at = ${iso(now)}, updated_at = ${iso(now)}, error = NULL, finished_at = NULL,
          result = json_object('_runner', json_object('pid', ${runner.pid}, 'host', ${runner.host}, 'startedAt', ${runner.startedAt}, 'doneAtStart', done))
        WHERE id = ${jobId} AND status = 'queued'`);
    }
    return { units: units.sort((a, b) => a.id - b.id), expiredFailed: expired.length };
  });
}

/** What a heartbeat found for each unit a worker holds. */
export interface HeartbeatOutcome {
  /** Still held: the lease was extended. */
  held: number[];
  /** Still held, but the job is no longer runnable (cancelled): the worker gives the unit back. */
  stopped: number[];
  /** Not held any more (another worker took it after the lease expired, or the job was planned afresh). */
  lost: number[];
}

/** Extends the leases of the units a worker holds and stores how far each has got, in one write transaction. */
export function heartbeatJobUnits({
  db,
  workerId,
  units,
  leaseMs,
  now,
}: {
  db: Db;
  workerId: string;
  units: { id: number; jobId: number; progress: number }[];
  leaseMs: number;
  now: number;
}): HeartbeatOutcome {
  const out: HeartbeatOutcome = { held: [], stopped: [], lost: [] };
  if (units.length === 0) return out;
  return writeTransaction(db, () => {
    for (const u of units) {
      const extended = db.run(sql`
        UPDATE job_units SET lease_expires_at = ${now + leaseMs}, heartbeat_at = ${now}, progress = ${u.progress}
        WHERE id = ${u.id} AND worker_id = ${workerId} AND status = 'claimed'
          AND EXISTS (SELECT 1 FROM jobs j WHERE j.id = job_units.job_id AND j.status IN (${inList(RUNNABLE)}))`).changes;
      if (extended) {
        out.held.push(u.id);
        continue;
      }
      const mine = db.get<{ id: number }>(sql`SELECT id FROM job_units WHERE id = ${u.id} AND worker_id = ${workerId} AND status = 'claimed'`);
      (mine ? out.stopped : out.lost).push(u.id);
    }
    return out;
  });
}

/**
 * Stores a unit's work and marks it done in one write transaction that first checks the worker still holds the unit
 * (claimed by it, its job not finished). When it does not (its lease expired and another worker took the unit, or
 * the job was planned afresh), nothing is written and false is returned. `apply` writes the unit's work (on `db`, so
 * inside the transaction); a throw from it rolls the transaction back and is passed on.
 */
export function commitJobUnit({
  db,
  unitId,
  workerId,
  result,
  now,
  apply,
}: {
  db: Db;
  unitId: number;
  workerId: string;
  result: JobResult | null;
  now: number;
  apply?: () => void;
}): boolean {
  return writeTransaction(db, () => {
    const held = db.get<{ jobId: number; weight: number }>(sql`
      UPDATE job_units SET status = 'done', lease_expires_at = NULL, finished_at = ${now}, progress = weight, error = NULL,
        result = ${result === null ? null : JSON.stringify(result)}
      WHERE id = ${unitId} AND worker_id = ${workerId} AND status = 'claimed'
        AND EXISTS (SELECT 1 FROM jobs j WHERE j.id = job_units.job_id AND j.status IN ('queued', 'running', 'cancelling'))
      RETURNING job_id AS jobId, weight`);
    if (!held) return false;
    apply?.();
    addToJob(db, held.jobId, 'done', Number(held.weight), now);
    return true;
  });
}

/**
 * Records a failed attempt of a unit the worker holds: the unit is failed (with its error and details) when `retry`
 * is false or it has had `maxAttempts` claims, else pending again for any worker. Returns the unit's status after,
 * or 'lost' when the worker no longer held it.
 */
export function failJobUnit({
  db,
  unitId,
  workerId,
  error,
  details,
  retry,
  maxAttempts,
  now,
}: {
  db: Db;
  unitId: number;
  workerId: string;
  error: string;
  details: JobResult | null;
  retry: boolean;
  maxAttempts: number;
  now: number;
}): JobUnitStatus | 'lost' {
  return writeTransaction(db, () => {
    const final = sql`(${retry ? 0 : 1} = 1 OR attempts >= ${maxAttempts})`;
    const row = db.get<{ jobId: number; status: JobUnitStatus; weight: number }>(sql`
      UPDATE job_units SET
        status = CASE WHEN ${final} THEN 'failed' ELSE 'pending' END,
        worker_id = CASE WHEN ${final} THEN worker_id ELSE NULL END,
        finished_at = CASE WHEN ${final} THEN ${now} ELSE NULL END,
        lease_expires_at = NULL, progress = 0, error = ${error},
        result = ${details === null ? null : JSON.stringify(details)}
      WHERE id = ${unitId} AND worker_id = ${workerId} AND status = 'claimed'
      RETURNING job_id AS jobId, status, weight`);
    if (!row) return 'lost';
    if (row.status === 'failed') addToJob(db, row.jobId, 'failures', Number(row.weight), now);
    return row.status;
  });
}

/** Gives back a unit the worker holds without counting the attempt (its job was cancelled, or the worker stops). */
export function releaseJobUnit({ db, unitId, workerId }: { db: Db; unitId: number; workerId: string }): boolean {
  return writeTransaction(
    db,
    () =>
      db.run(sql`
        UPDATE job_units SET status = 'pending', worker_id = NULL, lease_expires_at = NULL, heartbeat_at = NULL, progress = 0,
          attempts = max(attempts - 1, 0)
        WHERE id = ${unitId} AND worker_id = ${workerId} AND status = 'claimed'`).changes > 0,
  );
}

/**
 * Gives back every unit held by these workers (workers known to be gone: their process died), as if their leases had
 * expired: pending again, the attempt counted. Returns the jobs concerned.
 */
export function releaseWorkersUnits({ db, workerIds }: { db: Db; workerIds: string[] }): number[] {
  if (workerIds.length === 0) return [];
  return writeTransaction(db, () => {
    const rows = db.all<{ jobId: number }>(sql`
      UPDATE job_units SET status = 'pending', worker_id = NULL, lease_expires_at = NULL, heartbeat_at = NULL, progress = 0
      WHERE status = 'claimed' AND worker_id IN (${inList(workerIds)})
      RETURNING job_id AS jobId`);
    return [...new Set(rows.map((r) => Number(r.jobId)))];
  });
}

/**
 * The workers holding claimed units of unfinished jobs (of these kinds, or of this one job), with whether their lease
 * is still running.
 */
export function listUnitHolders({
  db,
  kinds,
  jobId,
  now,
}: {
  db: Db;
  kinds?: readonly string[];
  jobId?: number;
  now: number;
}): { workerId: string; jobId: number; units: number; live: boolean }[] {
  const where = [sql`u.status = 'claimed'`, sql`u.worker_id IS NOT NULL`, sql`j.status IN ('queued', 'running', 'cancelling')`];
  if (kinds) where.push(kinds.length ? sql`j.kind IN (${inList(kinds)})` : sql`0`);
  if (jobId !== undefined) where.push(sql`u.job_id = ${jobId}`);
  return db
    .all<{ workerId: string; jobId: number; units: number; live: number }>(sql`
      SELECT u.worker_id AS workerId, u.job_id AS jobId, count(*) AS units, max(CASE WHEN u.lease_expires_at > ${now} THEN 1 ELSE 0 END) AS live
      FROM job_units u JOIN jobs j ON j.id = u.job_id
      WHERE ${sql.join(where, sql` AND `)}
      GROUP BY u.worker_id, u.job_id`)
    .map((r) => ({ workerId: r.workerId, jobId: Number(r.jobId), units: Number(r.units), live: Boolean(r.live) }));
}

/** Unfinished jobs of these kinds that have units: what a worker looks after (settling stages, finishing cancels). */
export function listUnfinishedUnitJobs({ db, kinds }: { db: Db; kinds: readonly string[] }): { id: number; kind: string; status: JobStatus }[] {
  if (kinds.length === 0) return [];
  return db.all<{ id: number; kind: string; status: JobStatus }>(sql`
    SELECT j.id AS id, j.kind AS kind, j.status AS status FROM jobs j
    WHERE j.kind IN (${inList(kinds)}) AND j.status IN ('queued', 'running', 'cancelling')
      AND EXISTS (SELECT 1 FROM job_units u WHERE u.job_id = j.id)
    ORDER BY j.id`);
}

/** How many units of a job each worker finished (done or failed), for reports and tests. */
export function countUnitsByWorker({ db, jobId }: { db: Db; jobId: number }): Record<string, number> {
  const rows = db.all<{ workerId: string | null; n: number }>(sql`
    SELECT worker_id AS workerId, count(*) AS n FROM job_units WHERE job_id = ${jobId} AND status IN ('done', 'failed') GROUP BY worker_id`);
  return Object.fromEntries(rows.map((r) => [r.workerId ?? '', Number(r.n)]));
}
