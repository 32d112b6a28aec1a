/** Runs once when the server starts: applies migrations, seeds the demo workspace on first start, resumes jobs. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { prepareWorkspace } = await import('./lib/workspace/prepare');
  prepareWorkspace();
  const { resumeJobs } = await import('./lib/jobs');
  const { jobTable } = await import('./lib/server/jobTable');
  resumeJobs(jobTable);
}
