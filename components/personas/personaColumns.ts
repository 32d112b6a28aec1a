/** The filter the persona browser keeps in the address (its trait columns: TRAITS of lib/core/traits.ts). */
import type { PersonaListQuery } from '@/lib/personas/schema';

export type Filter = Partial<PersonaListQuery>;
