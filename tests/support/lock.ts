/**
 * One e2e run or bench at a time per checkout: the build in .next is shared, so a second run waits for the first
 * (a directory `.e2e-lock` in the project is the lock). Resolves to the release function.
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

export async function acquireBuildLock(options: {
  /** Take a lock older than 20 minutes to be left over from a killed run and remove it (the e2e set-up). */
  removeStale?: boolean;
  /** Say on stdout that it waits, and when the lock looks stale (the benches). */
  announce?: boolean;
} = {}): Promise<() => void> {
  const lockDir = path.join(process.cwd(), '.e2e-lock');
  for (let waited = 0; ; waited++) {
    try {
      mkdirSync(lockDir);
      return () => rmSync(lockDir, { recursive: true, force: true });
    } catch {
      if (options.announce && waited === 0) process.stdout.write('waiting for another e2e run or bench (.e2e-lock) ...\n');
      try {
        if (Date.now() - statSync(lockDir).mtimeMs > 20 * 60_000) {
          if (options.removeStale) rmSync(lockDir, { recursive: true, force: true });
          else if (options.announce) process.stdout.write('(.e2e-lock is older than 20 minutes; still waiting: remove it by hand if no run is going on)\n');
        }
      } catch {
        // released meanwhile
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
