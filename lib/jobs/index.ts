/**
 * Persisted jobs with progress, cancel and resume. Domains declare their kinds with `jobKind` (or `unitJobKind` for
 * work planned as units that worker processes share); the server hands the table of every kind to `resumeJobs(table)`
 * and `startLocalWorkers(table)` once at start (instrumentation.ts).
 */
export {
  cancelJob,
  findResumableJob,
  forEachConcurrent,
  getJob,
  JobCancelledError,
  jobKind,
  jobTableOf,
  listJobs,
  localWorkerCount,
  resumeJobs,
  runJob,
  setProgressThrottle,
  startJob,
  startLocalWorkers,
  stopLocalWorkers,
  unitJobKind,
  UNIT_ATTEMPTS,
  waitForJob,
  type JobContext,
  type JobHandler,
  type JobKind,
  type JobProgressUpdate,
  type JobRunnerInfo,
  type JobTable,
  type JobView,
} from './runner';
export {
  unitTableOf,
  UnitFailure,
  type PlanContext,
  type ResultContext,
  type StagePlan,
  type UnitContext,
  type UnitOutcome,
  type UnitPlan,
} from './units';
export { runUnitsInline } from './inline';
export { Worker, type WorkerEvent, type WorkerOptions, type WorkerStats } from './worker';
