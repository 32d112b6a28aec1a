/** The shared shape of every quality check: one file per check, each returning { passed, score, reasons }. */
import type { Db } from '../../../db/client';

export interface CheckResult {
  passed: boolean;
  /** The check's own score (its scale is stated by the check). */
  score: number;
  reasons: string[];
  /** Check-specific detail stored with the persona (scores by dimension, matches, ...). */
  details?: Record<string, unknown>;
  /** The LLM call behind the result, when there was one. */
  llmCallId?: number;
  model?: string;
  promptVersion?: string;
}

export interface PersonaCheckInput {
  narrative: string;
  /** The posts the persona came from (cleaned text). */
  posts: string[];
  db: Db;
  signal?: AbortSignal;
  options?: Record<string, unknown>;
}

export interface PersonaCheck {
  name: string;
  /** 'rule' checks need no LLM. */
  kind: 'rule' | 'llm';
  description: string;
  run(input: PersonaCheckInput): Promise<CheckResult>;
}
