/**
 * `compute-run`: computes one saved alignment run and stores its result. The server's job runner starts this in a
 * child process so that the server stays responsive, progress is real and a cancel stops the work at once.
 * Input on stdin: JSON { runId, request, personaIds? }. Output on stdout: one JSON line per progress step
 * ({"progress": f}), then {"done": {...}}. Errors go to stderr with exit code 1.
 */
import { parseOptions } from '../args';
import { computeRunFromJson } from '../../studio/runs';

export const summary = 'compute a saved alignment run (used by the server to run alignments off its main thread)';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function run(argv: string[]): Promise<number> {
  parseOptions(argv, [], 'compute-run');
  let last = -1;
  const out = computeRunFromJson(await readStdin(), (f) => {
    const pct = Math.round(100 * f);
    if (pct !== last) {
      last = pct;
      process.stdout.write(JSON.stringify({ progress: f }) + '\n');
    }
  });
  process.stdout.write(JSON.stringify({ done: out }) + '\n');
  return 0;
}
