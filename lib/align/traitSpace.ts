import { AlignInputError } from '../numeric/alignInputError';
import type { Matrix } from '../numeric/matrix';
import { assertMatrix } from '../numeric/validate';

/**
 * The trait space: five Big Five traits in this order, each the mean of its keyed items on the common 1-5 scale
 * (reverse-keyed items scored 6 - x). Distances, costs and the default KDE bandwidth (0.20) are in these raw
 * trait points: no hidden standardisation. An item space (d = 50 items, also 1-5) is allowed when every persona
 * and the reference answered one instrument; pass `labels` and keep the same range.
 */
export const TRAIT_CODES = ['E', 'A', 'C', 'N', 'O'] as const;
export type TraitCode = (typeof TRAIT_CODES)[number];
export const TRAIT_NAMES: Record<TraitCode, string> = {
  E: 'Extraversion',
  A: 'Agreeableness',
  C: 'Conscientiousness',
  N: 'Neuroticism',
  O: 'Openness',
};
/** The common response scale of the trait and item spaces. */
export const TRAIT_RANGE: readonly [number, number] = [1, 5];

/**
 * Validates a set of trait scores: at least `minRows` rows, the expected columns, every value finite and within
 * the 1-5 scale, and (unless allowed) no trait that is the same for every row. Throws AlignInputError with a
 * sentence naming the set, the row and the trait. O(n d).
 * @example validateTraitSet(matrixFromRows([[3, 3, 3, 3, 9]]), 'pool') // throws OUT_OF_RANGE naming row 1, trait O
 */
export function validateTraitSet(
  m: Matrix,
  name: string,
  options: { minRows?: number; labels?: readonly string[]; range?: readonly [number, number]; allowConstant?: boolean } = {},
): void {
  const labels = options.labels ?? (m.cols === 5 ? TRAIT_CODES.map((c) => `trait ${c} (${TRAIT_NAMES[c]})`) : undefined);
  assertMatrix(m, name, { minRows: options.minRows ?? 2, range: options.range ?? TRAIT_RANGE, labels });
  if (options.allowConstant) return;
  const d = m.cols;
  for (let k = 0; k < d; k++) {
    const first = m.data[k]!;
    let constant = true;
    for (let i = 1; i < m.rows; i++) {
      if (m.data[i * d + k] !== first) {
        constant = false;
        break;
      }
    }
    if (constant) {
      const label = labels?.[k] ?? `column ${k + 1}`;
      throw new AlignInputError(
        'CONSTANT_TRAIT',
        `Every row of the ${name} has the same ${label} score (${first}); a trait with no spread cannot be aligned or correlated. Check that the measurement ran, or drop that trait.`,
        { col: k },
      );
    }
  }
}
