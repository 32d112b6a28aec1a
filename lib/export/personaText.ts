/** A persona row in the simulators' words: its Big Five relative to norms, its display name, handle and a short bio. */
import type { ExportRow } from './schema';

/** The five traits in export column order, with their names and what the two poles sound like in words. */
export const TRAIT_WORDS = [
  { code: 'E', name: 'extraversion', high: 'outgoing, energetic and talkative', low: 'reserved, quiet and content with solitude' },
  { code: 'A', name: 'agreeableness', high: 'warm, trusting and cooperative', low: 'critical, sceptical and competitive' },
  { code: 'C', name: 'conscientiousness', high: 'organised, dependable and disciplined', low: 'spontaneous, flexible and careless with details' },
  { code: 'N', name: 'neuroticism', high: 'anxious, moody and easily stressed', low: 'calm, emotionally stable and resilient' },
  { code: 'O', name: 'openness', high: 'curious, imaginative and open to new ideas', low: 'conventional, practical and fond of the familiar' },
] as const;

/**
 * The population the trait words are relative to: means and standard deviations of E A C N O (1-5 scale) of the
 * set's target. Without norms the words use the scale's midpoint 3 and a standard deviation of 0.75.
 */
export interface TraitNorms {
  population: string;
  mean: number[];
  sd: number[];
}

/** Level of a z-score in words; the bands are documented at AGENT_PROMPT_TEMPLATE_VERSION. */
export function traitLevel(z: number): 'very low' | 'low' | 'average' | 'high' | 'very high' {
  if (z < -1.5) return 'very low';
  if (z < -0.5) return 'low';
  if (z <= 0.5) return 'average';
  if (z <= 1.5) return 'high';
  return 'very high';
}

export interface TraitDescription {
  code: string;
  name: string;
  score: number;
  z: number;
  level: ReturnType<typeof traitLevel>;
  /** e.g. "High extraversion: outgoing, energetic and talkative." */
  sentence: string;
}

/** The persona's Big Five in words relative to the norms (null scores are left out). */
export function describeTraits(row: ExportRow, norms: TraitNorms | null): TraitDescription[] {
  const out: TraitDescription[] = [];
  TRAIT_WORDS.forEach((t, k) => {
    const score = row[t.code];
    if (score === null) return;
    const z = (score - (norms?.mean[k] ?? 3)) / (norms?.sd[k] ?? 0.75);
    const level = traitLevel(z);
    const words = level === 'average' ? `neither especially ${t.high.split(',')[0]} nor ${t.low.split(',')[0]}` : z > 0 ? t.high : t.low;
    const cap = level[0]!.toUpperCase() + level.slice(1);
    out.push({ code: t.code, name: t.name, score, z, level, sentence: `${cap} ${t.name}: ${words}.` });
  });
  return out;
}

/** A demographic value when it is known (not empty and not 'unknown'), else null. */
export const known = (v: string | null | undefined) => (v && v !== 'unknown' ? v : null);

/** The persona's display name: its name, else "Persona <id>". */
export function displayName(row: ExportRow): string {
  return row.name?.trim() || `Persona ${row.personaId}`;
}

/** A lower-case ASCII handle from the name, made unique by the persona id: "harriet_barnes_812". */
export function handle(row: ExportRow): string {
  const base = displayName(row)
    .normalize('NFKD')
    .replace(/[^\x00-\x7f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 30);
  return `${base || 'persona'}_${row.personaId}`;
}

/** The first sentence of the narrative, at most 160 characters (a profile bio). */
export function shortBio(narrative: string): string {
  const text = narrative.replace(/\s+/g, ' ').trim();
  const m = /^(.+?[.!?])(\s|$)/.exec(text);
  const first = m ? m[1]! : text;
  return first.length <= 160 ? first : `${first.slice(0, 157).replace(/\s+\S*$/, '')}...`;
}
