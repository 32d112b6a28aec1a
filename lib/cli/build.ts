/** Decides whether the Next.js build is out of date, by hashing the sources it is built from, and builds. */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const INPUTS = ['app', 'components', 'lib', 'db/schema.ts', 'db/queries', 'db/client.ts', 'public', 'instrumentation.ts', 'next.config.ts', 'postcss.config.mjs', 'tsconfig.json', 'package-lock.json'];

function walk(p: string, out: string[]): void {
  if (!existsSync(p)) return;
  const st = statSync(p);
  if (st.isDirectory()) {
    for (const name of readdirSync(p).sort()) walk(path.join(p, name), out);
  } else out.push(p);
}

export function sourceHash(root = process.cwd()): string {
  const files: string[] = [];
  for (const input of INPUTS) walk(path.join(root, input), files);
  const h = createHash('sha256');
  for (const f of files) {
    h.update(path.relative(root, f));
    h.update(readFileSync(f));
  }
  return h.digest('hex');
}

const stampFile = (root: string) => path.join(root, '.next', 'populace-source-hash');

export function buildIsCurrent(root = process.cwd()): boolean {
  const stamp = stampFile(root);
  if (!existsSync(path.join(root, '.next', 'BUILD_ID')) || !existsSync(stamp)) return false;
  return readFileSync(stamp, 'utf8').trim() === sourceHash(root);
}

export function markBuilt(root = process.cwd()): void {
  writeFileSync(stampFile(root), sourceHash(root) + '\n');
}

/**
 * Runs `next build` when the build is out of date (or always with `force`) and stamps it; throws when it fails.
 * Returns whether it built. Used by `serve`, the e2e set-up and the benches.
 */
export function ensureBuilt(options: { force?: boolean; root?: string } = {}): boolean {
  const root = options.root ?? process.cwd();
  if (!options.force && buildIsCurrent(root)) return false;
  const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  const b = spawnSync(process.execPath, [nextBin, 'build'], { cwd: root, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (b.status !== 0) throw new Error(`next build failed (exit ${b.status ?? b.signal})`);
  markBuilt(root);
  return true;
}
