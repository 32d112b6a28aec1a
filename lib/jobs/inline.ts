/**
 * A job of units run inline, inside another job's handler in this process (the group revision job re-measures its
 * revisions this way): the stages are planned in memory, not stored; each unit runs as a worker would run it (up to
 * UNIT_ATTEMPTS attempts, `UnitFailure` with `retry: false` failing it at once) and its work is stored in its own
 * transaction; progress goes to the calling job's `ctx.progress`.
 */
import { writeTransaction } from '../../db/queries/jobUnits';
import type { JobUnit } from '../../db/schema';
import { forEachConcurrent, UNIT_ATTEMPTS, type JobContext } from './runner';
import { UnitFailure, type UnitPlan } from './units';

export async function runUnitsInline<P>(plan: UnitPlan<P>, ctx: JobContext<Record<string, unknown>>, concurrency: number): Promise<Record<string, unknown>> {
  const { db, jobId, signal } = ctx;
  const params = plan.parse(ctx.params);
  const units: JobUnit[] = [];
  const partial = new Map<JobUnit, number>();
  let later = 0;
  const report = () => {
    let done = 0;
    let failures = 0;
    let total = later;
    for (const u of units) {
      total += u.weight;
      if (u.status === 'done') done += u.weight;
      else if (u.status === 'failed') failures += u.weight;
      else done += partial.get(u) ?? 0;
    }
    ctx.progress({ done, total, failures });
  };
  let stage = plan.plan({ db, jobId, params }, null);
  while (stage && !signal.aborted) {
    const name = stage.stage;
    const mine: JobUnit[] = stage.units.map((u) => ({
      id: -(units.length + 1),
      jobId,
      key: u.key,
      stage: name,
      weight: u.weight ?? 1,
      status: 'pending',
      workerId: null,
      leaseExpiresAt: null,
      heartbeatAt: null,
      attempts: 0,
      progress: 0,
      error: null,
      result: null,
      finishedAt: null,
    }));
    units.push(...mine);
    later = stage.later ?? 0;
    report();
    await forEachConcurrent(
      mine,
      concurrency,
      async (u) => {
        for (;;) {
          u.attempts++;
          try {
            const outcome = await plan.run({
              db,
              jobId,
              params,
              key: u.key,
              stage: u.stage,
              weight: u.weight,
              attempt: u.attempts,
              signal,
              progress: (done) => {
                partial.set(u, Math.max(0, Math.min(u.weight, done)));
                report();
              },
            });
            writeTransaction(db, () => outcome?.write?.());
            u.status = 'done';
            u.result = outcome?.result ?? null;
            break;
          } catch (e) {
            if (signal.aborted) throw e;
            const failure = e instanceof UnitFailure ? e : null;
            if ((failure && !failure.retry) || u.attempts >= UNIT_ATTEMPTS) {
              u.status = 'failed';
              u.error = e instanceof Error ? e.message : String(e);
              u.result = failure?.details ?? null;
              break;
            }
          }
        }
        u.finishedAt = Date.now();
        report();
      },
      signal,
    );
    stage = signal.aborted ? null : plan.plan({ db, jobId, params }, name);
  }
  later = 0;
  report();
  return plan.result({ db, jobId, params, units });
}
