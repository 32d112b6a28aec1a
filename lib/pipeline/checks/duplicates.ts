/**
 * Near-duplicate check over a set of personas (MinHash over word shingles, see ../minhash.ts). Each persona that is
 * a near-duplicate of an earlier one fails with the twin's id; score = the highest similarity found (0-1).
 */
import { findNearDuplicates } from '../minhash';
import type { CheckResult } from './types';

export function checkDuplicates(
  personas: { id: number; narrative: string }[],
  threshold = 0.8,
): Map<number, CheckResult & { twinId: number | null }> {
  const pairs = findNearDuplicates(personas.map((p) => ({ id: p.id, text: p.narrative })), { threshold });
  const out = new Map<number, CheckResult & { twinId: number | null }>();
  for (const p of personas) out.set(p.id, { passed: true, score: 0, reasons: [], twinId: null });
  for (const pair of pairs) {
    const r = out.get(pair.b)!;
    if (r.twinId === null || pair.similarity > r.score) {
      out.set(pair.b, {
        passed: false,
        score: pair.similarity,
        reasons: [`near-duplicate of persona ${pair.a} (Jaccard ${pair.similarity.toFixed(2)})`],
        twinId: pair.a,
      });
    }
  }
  return out;
}
