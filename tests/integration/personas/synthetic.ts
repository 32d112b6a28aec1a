/**
 * 50,000 synthetic personas for the scale test and the bench (tests/bench/personaList.ts), from a seeded RNG
 * (mulberry32, seed shown by the caller), so every run inserts exactly the same rows.
 */
import type { Db } from '@/db/client';

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'teacher', 'nurse', 'garden', 'hiking', 'music', 'painter', 'engineer', 'coffee', 'travel', 'novel', 'chess', 'baker',
  'cycling', 'volunteer', 'history', 'science', 'family', 'city', 'village', 'ocean', 'mountain', 'kitchen', 'poetry',
  'football', 'startup', 'library', 'dancing', 'farming', 'photography', 'jazz', 'carpentry', 'astronomy',
];
const STATUSES = ['draft', 'measured', 'flagged', 'accepted', 'rejected'] as const;
const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
const BANDS = ['18-24', '25-34', '35-49', '50+', 'unknown'] as const;

export interface SyntheticSummary {
  n: number;
  /** How many narratives contain the rare word "quokka" (for search checks). */
  quokka: number;
  byStatus: Record<string, number>;
  measured: number;
}

/** Inserts n personas (source 'synthetic-scale'), trait scores for about 80%, and one finished alignment run. */
export function insertSyntheticPersonas(db: Db, n = 50_000, seed = 20260127): SyntheticSummary {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const c = db.$client;
  const summary: SyntheticSummary = { n, quokka: 0, byStatus: {}, measured: 0 };
  c.prepare(
    "INSERT OR IGNORE INTO sources (id, name, kind, licence, citation, origin) VALUES ('synthetic-scale', 'Synthetic scale test', 'personas', 'none', 'none', 'tests')",
  ).run();
  const insP = c.prepare(
    `INSERT INTO personas (source_id, external_id, name, narrative, age_band, gender, country, occupation, status, flags, quality_scores)
     VALUES ('synthetic-scale', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insT = c.prepare("INSERT INTO trait_scores (persona_id, instrument_id, E, A, C, N, O) VALUES (?, 'bfi44', ?, ?, ?, ?, ?)");
  const ids: number[] = [];
  c.transaction(() => {
    for (let i = 0; i < n; i++) {
      const words = Array.from({ length: 12 }, () => pick(WORDS));
      if (rnd() < 0.002) words.push('quokka');
      if (words.includes('quokka')) summary.quokka++;
      const status = pick(STATUSES);
      summary.byStatus[status] = (summary.byStatus[status] ?? 0) + 1;
      const flags = status === 'flagged' ? [{ code: rnd() < 0.5 ? 'duplicate' : 'privacy', reason: 'synthetic' }] : [];
      const quality = rnd() < 0.5 ? { overall: { score: 1 + Math.floor(rnd() * 10), reason: 'synthetic' } } : null;
      const id = Number(
        insP.run(
          `s-${i}`,
          `Person ${i}`,
          `I am person ${i}. I like ${words.join(' and ')}.`,
          pick(BANDS),
          pick(GENDERS),
          pick(['US', 'GB', 'IN', 'DE', 'unknown']),
          pick(WORDS),
          status,
          JSON.stringify(flags),
          quality ? JSON.stringify(quality) : null,
        ).lastInsertRowid,
      );
      ids.push(id);
      if (rnd() < 0.8) {
        summary.measured++;
        const t = () => 1 + 4 * rnd();
        insT.run(id, t(), t(), t(), t(), t());
      }
    }
    const weights = ids.map(() => rnd());
    const total = weights.reduce((a, b) => a + b, 0);
    c.prepare("INSERT INTO alignment_runs (name, status, seed, config, persona_ids, weights, selection) VALUES ('scale run', 'done', ?, '{}', ?, ?, ?)").run(
      seed,
      JSON.stringify(ids),
      JSON.stringify(weights.map((w) => w / total)),
      JSON.stringify(ids.filter((_, i) => i % 10 === 0)),
    );
  })();
  return summary;
}
