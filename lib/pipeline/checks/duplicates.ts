/**
 * Duplicate checks over a set of personas, in input order (the earlier persona is the original):
 * - exact: the same words in the same order, ignoring case, punctuation and spacing (normalisedText); score 1;
 * - near: MinHash over word shingles (see ../minhash.ts) with Jaccard similarity >= threshold; score = the similarity.
 * Each persona that duplicates an earlier one fails with the twin's id (for an exact duplicate, the first persona
 * with that text). Pure: no database, no I/O.
 */
import { findNearDuplicates } from '../minhash';
import type { CheckResult } from './types';

export type DuplicateResult = CheckResult & { twinId: number | null; exact: boolean };

/** The text an exact-duplicate check compares: lower-cased words (letters and digits) joined by one space. */
export function normalisedText(text: string): string {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(' ');
}

/** For each persona with the same normalised text as an earlier one: the id of the first persona with that text. */
export function findExactDuplicates(personas: { id: number; narrative: string }[]): Map<number, number> {
  const first = new Map<string, number>();
  const out = new Map<number, number>();
  for (const p of personas) {
    const key = normalisedText(p.narrative);
    const seen = first.get(key);
    if (seen === undefined) first.set(key, p.id);
    else out.set(p.id, seen);
  }
  return out;
}

export function checkDuplicates(personas: { id: number; narrative: string }[], threshold = 0.8): Map<number, DuplicateResult> {
  const out = new Map<number, DuplicateResult>();
  for (const p of personas) out.set(p.id, { passed: true, score: 0, reasons: [], twinId: null, exact: false });
  const exact = findExactDuplicates(personas);
  for (const [id, twinId] of exact) {
    out.set(id, { passed: false, score: 1, reasons: [`identical text to persona ${twinId}`], twinId, exact: true });
  }
  const pairs = findNearDuplicates(
    personas.map((p) => ({ id: p.id, text: p.narrative })),
    { threshold },
  );
  for (const pair of pairs) {
    const r = out.get(pair.b)!;
    if (r.exact) continue;
    if (r.twinId === null || pair.similarity > r.score) {
      out.set(pair.b, {
        passed: false,
        score: pair.similarity,
        reasons: [`near-duplicate of persona ${pair.a} (Jaccard ${pair.similarity.toFixed(2)})`],
        twinId: pair.a,
        exact: false,
      });
    }
  }
  return out;
}

/** A persona row as loaders produce it before it is stored (the demo workspace, imports). */
export interface UnstoredPersona {
  sourceId: string;
  externalId: string;
  narrative: string;
  flags: { code: string; reason: string }[];
  duplicateOf?: string;
}

/**
 * Runs the exact- and near-duplicate checks within each source over rows not yet stored (measured or not) and adds a
 * 'duplicate' flag naming the earlier twin (by external id, `duplicateOf`) to each duplicate that has none yet.
 * Adds a flag only: status, scores and order are unchanged, so the alignment pool keeps the same personas.
 */
export function flagDuplicateRows<T extends UnstoredPersona>(rows: T[], threshold = 0.8): T[] {
  const bySource = new Map<string, number[]>();
  rows.forEach((r, i) => bySource.set(r.sourceId, [...(bySource.get(r.sourceId) ?? []), i]));
  const out = [...rows];
  for (const indices of bySource.values()) {
    const result = checkDuplicates(
      indices.map((i) => ({ id: i, narrative: rows[i]!.narrative })),
      threshold,
    );
    for (const i of indices) {
      const r = result.get(i)!;
      const row = rows[i]!;
      if (r.passed || r.twinId === null || row.duplicateOf !== undefined || row.flags.some((f) => f.code === 'duplicate')) continue;
      const twin = rows[r.twinId]!.externalId;
      const reason = r.exact ? `identical text to profile ${twin}` : `near-duplicate of profile ${twin} (Jaccard ${r.score.toFixed(2)})`;
      out[i] = { ...row, flags: [...row.flags, { code: 'duplicate', reason }], duplicateOf: twin };
    }
  }
  return out;
}
