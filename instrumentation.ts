/** Runs once when the server starts: applies migrations and seeds the demo workspace on first start. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { prepareWorkspace } = await import('./lib/workspace/prepare');
  prepareWorkspace();
}
