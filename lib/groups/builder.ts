/**
 * The visual target builder's arithmetic, pure and framework-free (it runs in the browser on every click and in
 * tests): the compact per-respondent reference (country index, age, gender, E A C N O in bytes), the selection mask
 * and one-pass summaries (respondents, per-country counts, the age-gender pyramid, trait histograms and means), the
 * persona side's faceted counts, and the selection <-> URL query string.
 *
 * Matching is the SQL's (db/queries/targets.ts): an empty list means "any"; an age bound excludes respondents whose
 * age is unknown.
 *
 * The parts live in builderCompact.ts (the compact reference), builderSummary.ts (counting), builderQuery.ts (the URL)
 * and personaCounts.ts (the persona side); this module gathers their exports for the builder's screens.
 */

import { TRAITS, TRAIT_NAMES, type Trait } from '../instruments/traits';

export { TRAITS, TRAIT_NAMES, type Trait };
export { decodeReference, fromBase64, GENDERS, packReference, TRAIT_STEPS_PER_POINT, traitValue, toBase64, type CompactReference, type Gender } from './builderCompact';
export { selectionFromQuery, selectionToQuery, type NormsChoice, type UrlSelection } from './builderQuery';
export {
  AGE_BANDS,
  AGE_MAX,
  AGE_MIN,
  ageBandIndex,
  bandsToAges,
  countByCountry,
  formatShift,
  HIST_BINS,
  histBinStart,
  meanShifts,
  selectionMask,
  selectionWarnings,
  SMALL_SAMPLE,
  summarize,
  toggleIn,
  type BuilderSelection,
  type PyramidRow,
  type SelectionSummary,
} from './builderSummary';
export { countPersonas, type PersonaCounts, type PersonaDemographics, type PersonaFilterChoice } from './personaCounts';
