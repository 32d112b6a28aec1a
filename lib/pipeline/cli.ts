/**
 * Runs a pipeline job headless for the CLI commands: resumes an unfinished job with the same options (or the one
 * named by --job), prints progress on stderr, cancels on Ctrl-C, prints the result as JSON on stdout.
 */
import { getDb } from '../../db/client';
import { cancelJob, findResumableJob, getJob, runJob, startJob, type JobKind, type JobView } from '../jobs';
import { formatDuration } from './format';

export async function runJobHeadless<P extends Record<string, unknown>>(job: JobKind<P>, params: P, jobId?: number): Promise<number> {
  const db = getDb();
  const kind = job.kind;
  let id = jobId ?? findResumableJob(kind, params, db);
  let promise: Promise<JobView>;
  if (id !== null && id !== undefined) {
    process.stderr.write(`Resuming job ${id} (${kind}).\n`);
    promise = runJob(id, job, db);
  } else {
    id = startJob(job, params, db).id;
    process.stderr.write(`Started job ${id} (${kind}).\n`);
    promise = runJob(id, job, db);
  }
  const jobIdFinal = id;
  const tty = process.stderr.isTTY;
  const line = (j: JobView) => {
    const pct = j.fraction === null ? '' : ` ${(j.fraction * 100).toFixed(0)}%`;
    const rate = j.rate === null ? '' : `, ${j.rate.toFixed(2)}/s, ${formatDuration(j.secondsLeft)} left`;
    return `job ${j.id} ${j.status}: ${j.done}/${j.total}${pct}, ${j.failures} failures${rate}`;
  };
  const timer = setInterval(() => {
    const j = getJob(jobIdFinal, db);
    process.stderr.write(tty ? `\r${line(j)}\x1b[K` : `${line(j)}\n`);
  }, 1000);
  const onSigint = () => {
    process.stderr.write(`\nCancelling job ${jobIdFinal}...\n`);
    cancelJob(jobIdFinal, db);
  };
  process.once('SIGINT', onSigint);
  try {
    const end = await promise;
    process.stderr.write(`${tty ? '\r' : ''}${line(end)}\n`);
    if (end.error) process.stderr.write(`${end.error}\n`);
    process.stdout.write(JSON.stringify({ job: end.id, status: end.status, result: end.result }, null, 2) + '\n');
    return end.status === 'done' ? 0 : 1;
  } finally {
    clearInterval(timer);
    process.off('SIGINT', onSigint);
  }
}
