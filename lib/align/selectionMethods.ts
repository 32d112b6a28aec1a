import { selectHerding } from './selectHerding';
import { selectMultinomial } from './selectMultinomial';
import type { SelectionInput, SelectionResult } from './selectionInput';
import { selectPivotal } from './selectPivotal';
import { selectSystematic } from './selectSystematic';
import { selectTopFraction } from './selectTopFraction';
import { selectWithoutReplacement } from './selectWithoutReplacement';

export type SelectionMethod = 'multinomial' | 'systematic' | 'topFraction' | 'withoutReplacement' | 'pivotal' | 'herding';

/**
 * Selection methods keyed by name; one input (weights, size, rng, optional points) and one result (indices,
 * unique, optional inclusion probabilities). multinomial and systematic sample with replacement; topFraction (the
 * paper's 70% cut), withoutReplacement, pivotal (inclusion probabilities min(1, c w_i)) and herding (greedy MMD to
 * the weighted pool; needs `points`) return distinct personas. Populace's default is withoutReplacement.
 * @example selectionMethods.systematic({ weights, size: 10, rng: createRng(1) }).indices.length === 10
 */
export const selectionMethods: Record<SelectionMethod, (input: SelectionInput) => SelectionResult> = {
  multinomial: selectMultinomial,
  systematic: selectSystematic,
  topFraction: selectTopFraction,
  withoutReplacement: selectWithoutReplacement,
  pivotal: selectPivotal,
  herding: selectHerding,
};

/**
 * The methods whose sets hold each persona at most once (and that refuse a size above the count of positive weights).
 * @example UNIQUE_SELECTION_METHODS.has('pivotal') === true
 */
export const UNIQUE_SELECTION_METHODS: ReadonlySet<SelectionMethod> = new Set<SelectionMethod>(['topFraction', 'withoutReplacement', 'pivotal', 'herding']);
