/**
 * The Big Five trait codes, their names and their order: E A C N O everywhere (N is Neuroticism: high = less
 * emotionally stable). The one definition for the whole product; a pure leaf (it imports nothing), so the numeric
 * core, the studio's Web Worker, client components and db-free modules may all import it. lib/instruments/traits.ts
 * re-exports it.
 */
export const TRAITS = ['E', 'A', 'C', 'N', 'O'] as const;
export type Trait = (typeof TRAITS)[number];
export type TraitVector = Record<Trait, number>;

export const TRAIT_NAMES: Record<Trait, string> = {
  E: 'Extraversion',
  A: 'Agreeableness',
  C: 'Conscientiousness',
  N: 'Neuroticism',
  O: 'Openness',
};

/** What a high score of a trait means where it is not obvious (a high N is less stable). */
export const TRAIT_NOTES: Partial<Record<Trait, string>> = { N: 'high = less stable' };

/** The name with the code: "Extraversion (E)". */
export const traitLabel = (t: Trait): string => `${TRAIT_NAMES[t]} (${t})`;

/** True for "E", "A", "C", "N", "O". */
export const isTrait = (s: string): s is Trait => (TRAITS as readonly string[]).includes(s);

const byName = new Map<string, Trait>(TRAITS.map((t) => [TRAIT_NAMES[t].toLowerCase(), t]));

/** Maps "Extraversion" (any case) or "E" to the trait code; undefined when it is neither. */
export function traitCode(nameOrCode: string): Trait | undefined {
  const s = nameOrCode.trim();
  if (isTrait(s)) return s;
  return byName.get(s.toLowerCase());
}
