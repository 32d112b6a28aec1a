/**
 * The modules that register job kinds. `resumeJobs()` loads them so that jobs left unfinished by a crash find their
 * handler at start-up. Add a line here when a new family of job kinds appears (e.g. alignment runs).
 */
export async function loadJobKinds(): Promise<void> {
  await import('../pipeline/jobs');
  const { registerAlignmentJob } = await import('../studio/runs');
  registerAlignmentJob();
  (await import('../groups/revise')).registerRevisionJob();
}
