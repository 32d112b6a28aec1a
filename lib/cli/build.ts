/** Decides whether the Next.js build is out of date, by hashing the sources it is built from. */
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
