/**
 * Persisted jobs with progress, cancel and resume. Domains declare their kinds with `jobKind`; the server hands the
 * table of every kind to `resumeJobs(table)` once at start (instrumentation.ts).
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
  resumeJobs,
  runJob,
  setProgressThrottle,
  startJob,
  waitForJob,
  type JobContext,
  type JobHandler,
  type JobKind,
  type JobProgressUpdate,
  type JobRunnerInfo,
  type JobTable,
  type JobView,
} from './runner';
