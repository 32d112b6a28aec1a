/** Groups the no-persona LLM baseline rows into comparison sets (one per source and temperature). */
import { getDb, type Db } from '../../db/client';
import { listBaselineRows } from '../../db/queries/baselines';

export interface BaselineSet {
  id: string;
  label: string;
  /** Row-major n x 5 trait scores (1-5). */
  data: number[];
  n: number;
  models: number;
}

export function listBaselineSets(db: Db = getDb()): BaselineSet[] {
  const groups = new Map<string, { label: string; data: number[]; models: Set<string> }>();
  for (const r of listBaselineRows({ db })) {
    const id = `${r.sourceId}${r.temperature === null ? '' : `@${r.temperature}`}`;
    const label =
      r.sourceId === 'llmpersonality-12llms'
        ? '12 LLMs without persona (IPIP-50, one answer each)'
        : `Personality Illusion, no persona, temperature ${r.temperature} (BFI-44)`;
    let g = groups.get(id);
    if (!g) {
      g = { label, data: [], models: new Set() };
      groups.set(id, g);
    }
    g.data.push(r.E, r.A, r.C, r.N, r.O);
    g.models.add(r.model);
  }
  return [...groups.entries()].map(([id, g]) => ({ id, label: g.label, data: g.data, n: g.data.length / 5, models: g.models.size }));
}
