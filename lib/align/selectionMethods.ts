import { selectMultinomial } from './selectMultinomial';
import type { SelectionInput, SelectionResult } from './selectionInput';
import { selectSystematic } from './selectSystematic';
import { selectTopFraction } from './selectTopFraction';
import { selectWithoutReplacement } from './selectWithoutReplacement';

export type SelectionMethod = 'multinomial' | 'systematic' | 'topFraction' | 'withoutReplacement';

/**
 * Selection methods keyed by name; one input (weights, size, rng) and one result (indices, unique).
 * multinomial and systematic sample with replacement; topFraction (the paper's 70% cut) and
 * withoutReplacement return distinct personas. Populace's default is withoutReplacement.
 * @example selectionMethods.systematic({ weights, size: 10, rng: createRng(1) }).indices.length === 10
 */
export const selectionMethods: Record<SelectionMethod, (input: SelectionInput) => SelectionResult> = {
  multinomial: selectMultinomial,
  systematic: selectSystematic,
  topFraction: selectTopFraction,
  withoutReplacement: selectWithoutReplacement,
};
