/**
 * `worker`: runs the units of pipeline jobs (generation, measurement, demographics reading) on the configured
 * database, beside the server's own workers and any number of other `worker` processes: claims units with a lease,
 * heartbeats while it works, stores each unit with its done mark in one transaction. Progress on stderr; a summary
 * as JSON on stdout when it ends. SIGTERM (or Ctrl-C) stops claiming and finishes the units in flight; a second
 * Ctrl-C exits at once (the leases then expire, or a worker on this machine gives the units back).
 */
import { databasePath, getDb } from '../../../db/client';
import { getJob, unitTableOf, UNIT_ATTEMPTS, Worker, type JobView, type WorkerEvent } from '../../jobs';
import { llmAvailable } from '../../llm';
import { jobTable } from '../../server/jobTable';
import { CliError, numberOption, parseOptions } from '../args';

export const summary = 'run pipeline job units (generation, measurement, demographics) beside other workers';

const line = (j: JobView, mine: number) => {
  const pct = j.fraction === null ? '' : ` (${(j.fraction * 100).toFixed(0)}%)`;
  return `job ${j.id} ${j.kind} ${j.status}: ${j.done}/${j.total}${pct}, ${j.failures} failures; this worker: ${mine} units`;
};

export async function run(argv: string[]): Promise<number> {
  const o = parseOptions(
    argv,
    [
      { name: 'concurrency', type: 'string', description: 'units in flight at once (default 4; LLM_CONCURRENCY caps the calls)' },
      { name: 'lease-seconds', type: 'string', description: 'how long a claim holds without a heartbeat (default 30)' },
      { name: 'once', type: 'flag', description: 'exit when no pipeline job has work left' },
      { name: 'quiet', type: 'flag', description: 'no progress lines' },
    ],
    'worker',
  );
  const concurrency = numberOption(o, 'concurrency', 4);
  const leaseSeconds = numberOption(o, 'lease-seconds', 30);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new CliError('option --concurrency must be a whole number of at least 1');
  if (!(leaseSeconds >= 1)) throw new CliError('option --lease-seconds must be at least 1');
  if (!llmAvailable()) throw new CliError('no LLM is configured: set LLM_BASE_URL, LLM_MODEL (and LLM_API_KEY if needed)', 1);

  const db = getDb();
  const plans = unitTableOf(jobTable);
  const touched = new Map<number, number>();
  const ended: JobView[] = [];
  const onEvent = (e: WorkerEvent) => {
    if (e.type === 'done' || e.type === 'failed') touched.set(e.jobId, (touched.get(e.jobId) ?? 0) + 1);
    else if (e.type === 'job') ended.push(getJob(e.jobId, db));
    else if (!touched.has(e.jobId)) touched.set(e.jobId, 0);
    if (e.type === 'failed' && !o.quiet) process.stderr.write(`unit ${e.key} of job ${e.jobId} failed: ${e.error}\n`);
  };
  const worker = new Worker({ db, plans, concurrency, leaseMs: leaseSeconds * 1000, maxAttempts: UNIT_ATTEMPTS, once: Boolean(o.once), onEvent });
  process.stderr.write(`Worker ${worker.id} on ${databasePath()}: ${Object.keys(plans).join(', ')}; ${concurrency} units at once, ${leaseSeconds} s leases.\n`);

  // progress of the jobs this worker took part in, every 2 s when something moved
  const printed = new Map<number, string>();
  const progress = () => {
    if (o.quiet) return;
    for (const j of ended.splice(0)) process.stderr.write(`${line(j, touched.get(j.id) ?? 0)}\n`);
    for (const [id, mine] of touched) {
      const j = getJob(id, db);
      const text = line(j, mine);
      if (printed.get(id) !== text) process.stderr.write(`${text}\n`);
      printed.set(id, text);
      if (j.status === 'done' || j.status === 'failed' || j.status === 'cancelled') touched.delete(id);
    }
  };
  const timer = setInterval(progress, 2000);

  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    if (signals > 1 && sig === 'SIGINT') process.exit(130);
    process.stderr.write(`\n${sig}: no new units; finishing the ${worker.busy} in flight...\n`);
    worker.stop();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    const stats = await worker.run();
    progress();
    const seconds = (Date.now() - stats.startedAt) / 1000;
    const { startedAt: _startedAt, ...counts } = stats;
    void _startedAt;
    process.stdout.write(
      JSON.stringify({ worker: worker.id, ...counts, dbMs: Math.round(stats.dbMs), seconds: Number(seconds.toFixed(3)), dbShare: seconds > 0 ? Number((stats.dbMs / 1000 / seconds).toFixed(4)) : 0 }) + '\n',
    );
    return 0;
  } finally {
    clearInterval(timer);
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}
