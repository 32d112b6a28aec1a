/**
 * Answer consistency of a measured persona, on the 1-5 item scale.
 * - Keying gap: for each trait, |mean of its '+' items - mean of its reverse-scored '-' items|. A persona that agrees
 *   with both "I am the life of the party" and "I keep in the background" has a large gap. Fails above maxGap.
 * - Spread: the mean over items of the SD of repeated answers to the same item. Fails above maxSpread.
 * score = the largest keying gap.
 */
import { TRAITS } from '../../instruments/traits';
import type { CheckResult } from './types';

export interface ConsistencyItem {
  itemId: string;
  trait: 'E' | 'A' | 'C' | 'N' | 'O';
  keyed: '+' | '-';
}

export function checkConsistency(
  items: ConsistencyItem[],
  answers: Map<string, number[]>,
  { scaleMin = 1, scaleMax = 5, maxGap = 1.5, maxSpread = 1 }: { scaleMin?: number; scaleMax?: number; maxGap?: number; maxSpread?: number } = {},
): CheckResult {
  const reasons: string[] = [];
  const gaps: Record<string, number> = {};
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  for (const t of TRAITS) {
    const plus: number[] = [];
    const minus: number[] = [];
    for (const it of items) {
      if (it.trait !== t) continue;
      const vals = answers.get(it.itemId);
      if (!vals?.length) continue;
      const m = mean(vals);
      if (it.keyed === '+') plus.push(m);
      else minus.push(scaleMin + scaleMax - m);
    }
    if (plus.length && minus.length) {
      gaps[t] = Math.abs(mean(plus) - mean(minus));
      if (gaps[t]! > maxGap) {
        reasons.push(`${t}: '+' items average ${mean(plus).toFixed(1)} but reverse-keyed items ${mean(minus).toFixed(1)} after reversal`);
      }
    }
  }
  const sds: number[] = [];
  for (const vals of answers.values()) {
    if (vals.length < 2) continue;
    const m = mean(vals);
    sds.push(Math.sqrt(vals.reduce((a, v) => a + (v - m) ** 2, 0) / (vals.length - 1)));
  }
  const spread = sds.length ? mean(sds) : 0;
  if (spread > maxSpread) reasons.push(`repeated answers vary: mean SD per item ${spread.toFixed(2)} > ${maxSpread}`);
  const score = Math.max(0, ...Object.values(gaps));
  return { passed: reasons.length === 0, score, reasons, details: { gaps, itemSpread: spread } };
}
