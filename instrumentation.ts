/**
 * Runs once when the server starts: applies migrations, seeds the demo workspace on first start, starts the local
 * workers for jobs planned as units (POPULACE_WORKERS, default 4 units at once; 0: none) and resumes jobs.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { prepareWorkspace } = await import('./lib/workspace/prepare');
  prepareWorkspace();
  const { resumeJobs, startLocalWorkers } = await import('./lib/jobs');
  const { jobTable } = await import('./lib/server/jobTable');
  startLocalWorkers(jobTable);
  resumeJobs(jobTable);
}
