/** The rows the demo loaders make from the embedded data files, as db/queries/seed.ts stores them. */
import type { InstrumentKey } from '../instruments/score';
import type { TraitVector } from '../instruments/traits';
import type { PersonaDemographics } from '../personas/extractDemographics';

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

export interface DemoPersona {
  sourceId: string;
  externalId: string;
  name: string | null;
  narrative: string;
  age: number | null;
  ageBand: string;
  gender: 'female' | 'male' | 'other' | 'unknown';
  country: string;
  occupation: string;
  model: string | null;
  status: 'draft' | 'measured' | 'flagged';
  flags: { code: string; reason: string }[];
  /** How each demographic value was obtained (lib/personas/extractDemographics.ts); set by loadDemoWorkspace. */
  demographicsOrigin?: PersonaDemographics['demographicsOrigin'];
  /** externalId (same source) of the base persona this one is a variant of. */
  duplicateOf?: string;
  metadata: Record<string, unknown>;
  responses?: { instrumentId: string; model: string | null; temperature: number | null; answers: Map<string, number> };
  scores?: { instrumentId: string; values: TraitVector };
}

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
