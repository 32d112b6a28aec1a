/** The Big Five trait codes, names and order live in the pure leaf lib/core/traits.ts; re-exported for lib/instruments' importers. */
export { TRAITS, TRAIT_NAMES, TRAIT_NOTES, isTrait, traitCode, traitLabel, type Trait, type TraitVector } from '../core/traits';
