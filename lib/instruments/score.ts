/**
 * Data-driven questionnaire scoring.
 *
 * An instrument key lists every item with its trait and direction. An item keyed '+' scores x; an item keyed '-'
 * scores (min + max - x), i.e. 6 - x on a 1-5 scale and 10 - x on a 1-9 scale. A trait score is the mean of its
 * keyed item scores, on the instrument's own scale.
 *
 * The common scale: every trait score is mapped to 1-5 by the percent-of-maximum-possible (POMP) rule,
 *   common = 1 + 4 * (score - min) / (max - min),
 * so a 1-5 instrument is unchanged and the 1-9 Mini-Markers midpoint 5 maps to 3.
 */
import { TRAITS, type Trait, type TraitVector } from './traits';

export interface KeyItem {
  itemId: string;
  trait: Trait;
  keyed: '+' | '-';
}

export interface InstrumentKey {
  id: string;
  scaleMin: number;
  scaleMax: number;
  items: KeyItem[];
}

export class ScoringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScoringError';
  }
}

/** The score of one answer after keying. */
export function keyedValue(key: InstrumentKey, item: KeyItem, value: number): number {
  return item.keyed === '-' ? key.scaleMin + key.scaleMax - value : value;
}

/**
 * Trait means on the instrument's scale. `answers` maps item id to the raw answer.
 * Throws ScoringError naming the item when an answer is missing or outside [scaleMin, scaleMax].
 */
export function scoreTraits(key: InstrumentKey, answers: ReadonlyMap<string, number>): TraitVector {
  const sums: TraitVector = { E: 0, A: 0, C: 0, N: 0, O: 0 };
  const counts: TraitVector = { E: 0, A: 0, C: 0, N: 0, O: 0 };
  for (const item of key.items) {
    const value = answers.get(item.itemId);
    if (value === undefined || !Number.isFinite(value)) {
      throw new ScoringError(`${key.id}: item ${item.itemId} has no answer`);
    }
    if (value < key.scaleMin || value > key.scaleMax) {
      throw new ScoringError(
        `${key.id}: item ${item.itemId} answer ${value} is outside the scale ${key.scaleMin}-${key.scaleMax}`,
      );
    }
    sums[item.trait] += keyedValue(key, item, value);
    counts[item.trait] += 1;
  }
  for (const t of TRAITS) {
    if (counts[t] === 0) throw new ScoringError(`${key.id}: the key has no item for trait ${t}`);
    sums[t] /= counts[t];
  }
  return sums;
}

/** Maps a score on [min, max] to the common 1-5 scale (POMP rule). */
export function toCommonScale(score: number, min: number, max: number): number {
  return 1 + (4 * (score - min)) / (max - min);
}

/** Scores an answer set and maps every trait to the common 1-5 scale. */
export function scoreCommon(key: InstrumentKey, answers: ReadonlyMap<string, number>): TraitVector {
  const raw = scoreTraits(key, answers);
  const out = { ...raw };
  for (const t of TRAITS) out[t] = toCommonScale(raw[t], key.scaleMin, key.scaleMax);
  return out;
}
