/**
 * The shapes of a persona's demographics and of how each value was obtained (given / stated / inferred / unknown, the
 * phrase it was read from, the extractor, the LLM's reading), as the rules, the LLM reading and persona rows use them.
 */
import type { AgeBand, Gender } from './demographics';

export const DEMOGRAPHIC_FIELDS = ['age', 'gender', 'country', 'occupation'] as const;
export type DemographicField = (typeof DEMOGRAPHIC_FIELDS)[number];
export const DEMOGRAPHIC_ORIGINS = ['given', 'stated', 'inferred', 'unknown'] as const;
/** 'given': the source's structured data (an import's demographics, a dataset's field); the others: read from text. */
export type DemographicOrigin = (typeof DEMOGRAPHIC_ORIGINS)[number];
export type DemographicOrigins = Record<DemographicField, DemographicOrigin>;

export interface ExtractedDemographics {
  age: number | null;
  ageBand: AgeBand;
  gender: Gender;
  country: string;
  occupation: string;
  origin: DemographicOrigins;
  /** The phrase each value was read from (for the persona page). */
  evidence: Partial<Record<DemographicField, string>>;
}

/** Which extractor read a 'stated' or 'inferred' value: the rules (extractDemographics.ts) or the LLM (lib/personas/llmDemographics.ts). */
export type DemographicMethod = 'rules' | 'llm';

/** The last LLM reading of a persona's narrative (lib/pipeline/demographics.ts). */
export interface LlmDemographicsRecord {
  /** The prompt version (DEMOGRAPHICS_PROMPT_VERSION) and the model that read the narrative. */
  promptVersion: string;
  model: string;
  llmCallId: number | null;
  /** Hash of the narrative read: a persona whose narrative changed is read again. */
  narrativeHash: string;
  /** Values the LLM stated that disagree with a value the rules found stated elsewhere in the text (kept, not applied). */
  conflicts?: Partial<Record<DemographicField, { value: string | number; evidence: string | null }>>;
}

/**
 * How a persona's demographics were obtained: per field the origin and the phrase it was read from; `method` says
 * which extractor read each stated or inferred value (absent: the rules, as rows written before the LLM reading);
 * `llm` is present once the LLM has read the narrative.
 */
export interface DemographicsOriginRecord {
  origin: DemographicOrigins;
  evidence: ExtractedDemographics['evidence'];
  method?: Partial<Record<DemographicField, DemographicMethod>>;
  llm?: LlmDemographicsRecord;
}

/** The stored form of a persona's demographics: the values and, in demographicsOrigin, how each was obtained. */
export interface PersonaDemographics {
  age: number | null;
  ageBand: string;
  gender: Gender;
  country: string;
  occupation: string;
  demographicsOrigin: DemographicsOriginRecord;
}
