/** The Big Five trait codes in the order Populace uses everywhere (N is Neuroticism: high = less stable). */
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

const byName = new Map<string, Trait>(
  Object.entries(TRAIT_NAMES).map(([code, name]) => [name.toLowerCase(), code as Trait]),
);

/** Maps "Extraversion" (any case) or "E" to the trait code; undefined when it is neither. */
export function traitCode(nameOrCode: string): Trait | undefined {
  const s = nameOrCode.trim();
  if ((TRAITS as readonly string[]).includes(s)) return s as Trait;
  return byName.get(s.toLowerCase());
}
