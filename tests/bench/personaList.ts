/**
 * Persona browser figures on 50,000 synthetic personas (mulberry32, seed 20260127):
 *   npx tsx tests/bench/personaList.ts
 * Prints the median and max of 7 runs of each page query the browser and the review queue make. Figures only:
 * nothing here asserts a time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../db/client';
import { listPersonasPage, getPersonaDetail } from '../../lib/personas/service';
import { getQueue } from '../../lib/review/service';
import type { PersonaListQuery } from '../../lib/personas/schema';
import { insertSyntheticPersonas } from '../integration/personas/synthetic';

const dir = mkdtempSync(path.join(os.tmpdir(), 'populace-bench-'));
const db = openDatabase(path.join(dir, 'populace.db'));
const t0 = performance.now();
const summary = insertSyntheticPersonas(db, 50_000, 20260127);
const insertMs = performance.now() - t0;

function measure(label: string, fn: () => unknown, runs = 7) {
  const times: number[] = [];
  let out: unknown;
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    out = fn();
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(runs / 2)]!;
  const rows = (out as { rows?: unknown[]; items?: unknown[] }).rows ?? (out as { items?: unknown[] }).items;
  process.stdout.write(
    `${label.padEnd(58)} median ${median.toFixed(1).padStart(7)} ms   max ${times.at(-1)!.toFixed(1).padStart(7)} ms   rows ${rows?.length ?? '-'}\n`,
  );
}

const page = (q: PersonaListQuery) => () => listPersonasPage(q, db);
process.stdout.write(`personas: ${summary.n.toLocaleString('en-US')} inserted (with FTS triggers) in ${insertMs.toFixed(0)} ms\n`);
measure('first page, id order, with total (limit 100)', page({ limit: 100 }));
measure('page at offset 40,000, id order (limit 100)', page({ limit: 100, offset: 40_000 }));
measure('status measured+flagged, sort E desc, first page + total', page({ status: ['measured', 'flagged'], sort: 'E', dir: 'desc', limit: 100 }));
measure('same, page at offset 20,000', page({ status: ['measured', 'flagged'], sort: 'E', dir: 'desc', limit: 100, offset: 20_000 }));
measure('full-text "teacher garden", relevance, first page + total', page({ q: 'teacher garden', limit: 100 }));
measure('full-text rare word "quokka"', page({ q: 'quokka', limit: 100 }));
measure('trait ranges E 2-3, O >= 4, first page + total', page({ Emin: 2, Emax: 3, Omin: 4, limit: 100 }));
measure('flag duplicate, critic <= 5, first page + total', page({ flag: ['duplicate'], criticMax: 5, limit: 100 }));
measure('weight >= 1/50,000, sort weight desc, first page + total', page({ weightMin: 1 / 50_000, sort: 'weight', dir: 'desc', limit: 100 }));
measure('review queue (risk order), first 50 + remaining', () => getQueue('bench', { limit: 50 }, db));
measure('persona page (detail with percentiles vs 0 reference rows)', () => ({ rows: [getPersonaDetail(123, db)] }));
db.$client.close();
rmSync(dir, { recursive: true, force: true });
