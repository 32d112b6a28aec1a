/** The rows the demo loaders make from the embedded data files, as db/queries/seed.ts stores them. */
import type { SeedPersona } from '../../db/queries/seed';
import type { InstrumentKey } from '../instruments/score';
import type { TraitVector } from '../instruments/traits';

export interface DemoSource {
  id: string;
  name: string;
  kind: 'personas' | 'posts' | 'reference' | 'norms' | 'baseline' | 'instrument';
  licence: string;
  citation: string;
  origin: string;
  notes?: string;
}

export interface DemoInstrument extends InstrumentKey {
  name: string;
  sourceId: string;
  description: string;
  texts: string[];
}

export interface DemoRespondent {
  row: number;
  country: string;
  age: number | null;
  gender: 'female' | 'male' | 'other' | 'unknown';
  scores: TraitVector;
  answers: number[];
}

/** A demo persona as the seed stores it: the seed's own input shape (db/queries/seed.ts), one definition. */
export type DemoPersona = SeedPersona;

export interface DemoNorm {
  sourceId: string;
  table: string;
  groupType: string;
  group: string;
  scale: string;
  level: string;
  unit: string;
  n: number | null;
  mean: number;
  sd: number | null;
}

export interface DemoBaseline {
  sourceId: string;
  model: string;
  instrumentId: string;
  temperature: number | null;
  systemPrompt: string | null;
  run: number;
  scores: TraitVector;
  answers: Record<string, number> | null;
}
