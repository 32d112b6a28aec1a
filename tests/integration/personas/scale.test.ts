/**
 * The browser's page queries on 50,000 personas (seeded RNG: mulberry32, seed 20260127; see synthetic.ts) return
 * correct results. Timing lives in tests/bench/personaList.ts, never here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { useFreshDatabase, type TestDatabase } from '../../support/db';
import { listPersonasPage } from '@/lib/personas/service';
import { getQueue } from '@/lib/review/service';
import { insertSyntheticPersonas, type SyntheticSummary } from './synthetic';

let env: TestDatabase;
let summary: SyntheticSummary;
beforeAll(() => {
  env = useFreshDatabase();
  summary = insertSyntheticPersonas(env.db, 50_000, 20260127);
});
afterAll(() => env.cleanup());

describe('50,000 personas', () => {
  it('pages through a sorted, filtered list with correct totals and no overlap', () => {
    const first = listPersonasPage({ status: ['measured', 'flagged'], sort: 'E', dir: 'desc', limit: 200 }, env.db);
    const expectedTotal = (summary.byStatus.measured ?? 0) + (summary.byStatus.flagged ?? 0);
    expect(first.total).toBe(expectedTotal);
    // A deep page (offset 20,000) continues the order of the first.
    const deep = listPersonasPage({ status: ['measured', 'flagged'], sort: 'E', dir: 'desc', limit: 200, offset: 20_000 }, env.db);
    const expectedDeep = env.db
      .all<{ id: number }>(sql`
        SELECT p.id FROM personas p LEFT JOIN trait_scores t ON t.persona_id = p.id
        WHERE p.status IN ('measured', 'flagged') ORDER BY t.E IS NULL, t.E DESC, p.id DESC LIMIT 200 OFFSET 20000`)
      .map((r) => r.id);
    expect(deep.rows.map((r) => r.id)).toEqual(expectedDeep);
    expect(first.rows.at(-1)!.E!).toBeGreaterThanOrEqual(deep.rows[0]!.E ?? 0);
  });

  it('finds the rare word with FTS5 and counts trait and weight filters exactly', () => {
    const q = listPersonasPage({ q: 'quokka', limit: 500 }, env.db);
    expect(q.total).toBe(summary.quokka);
    expect(q.rows.every((r) => r.excerpt.includes('quokka'))).toBe(true);

    const traits = listPersonasPage({ Emin: 2, Emax: 3, Omin: 4, limit: 1 }, env.db);
    const expected = env.db.get<{ n: number }>(sql`SELECT count(*) n FROM trait_scores WHERE E >= 2 AND E <= 3 AND O >= 4`)!.n;
    expect(traits.total).toBe(expected);

    const heavy = listPersonasPage({ weightMin: 3 / 50_000, sort: 'weight', dir: 'desc', limit: 100 }, env.db);
    expect(heavy.run?.name).toBe('scale run');
    const ws = heavy.rows.map((r) => r.weight!);
    expect(ws).toEqual([...ws].sort((a, b) => b - a));
    expect(Math.min(...ws)).toBeGreaterThanOrEqual(3 / 50_000);
    expect(listPersonasPage({ selected: 'yes', limit: 1 }, env.db).total).toBe(5_000);
  });

  it('serves the review queue riskiest first', () => {
    const page = getQueue('Scale', { queue: 'all', limit: 100 }, env.db);
    expect(page.items.every((i) => i.status === 'flagged')).toBe(true);
    const scores = page.items.map((i) => i.minCriticScore ?? 1e9);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    expect(page.remaining).toBe((summary.byStatus.draft ?? 0) + (summary.byStatus.measured ?? 0) + (summary.byStatus.flagged ?? 0));
  });
});
