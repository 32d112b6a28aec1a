/** The persona browser's trait columns and the filter it keeps in the address. */
import type { PersonaListQuery } from '@/lib/personas/schema';

export const TRAITS = ['E', 'A', 'C', 'N', 'O'] as const;
export const TRAIT_NAMES: Record<string, string> = { E: 'Extraversion', A: 'Agreeableness', C: 'Conscientiousness', N: 'Neuroticism', O: 'Openness' };

export type Filter = Partial<PersonaListQuery>;
