/** Synthetic-Persona-Chat persona profiles, with their reordered and shortened variants as duplicates. */
import { readJsonl } from './files';
import type { DemoPersona } from './types';

/**
 * Synthetic-Persona-Chat: every block is a reordering or a 4-sentence subset of one of about 200 base profiles.
 * Each distinct sentence set is imported once; a set contained in a larger one is recorded as a duplicate of the
 * largest set that contains it (the base profile). Base profiles are unmeasured drafts.
 */
export function loadSyntheticPersonaChat(): DemoPersona[] {
  const file = 'personas/synthetic-persona-chat/personas.jsonl';
  const lines = readJsonl<{ split: string; persona_sentences: string[] }>(file);
  const distinct = new Map<string, { sentences: string[]; split: string; firstLine: number; blocks: number }>();
  lines.forEach((l, i) => {
    const sentences = l.persona_sentences.map((s) => s.trim());
    const key = [...new Set(sentences)].sort().join('\n');
    const seen = distinct.get(key);
    if (seen) seen.blocks++;
    else distinct.set(key, { sentences, split: l.split, firstLine: i + 1, blocks: 1 });
  });
  const sets = [...distinct.values()].map((d) => ({ ...d, set: new Set(d.sentences) }));
  const isSubset = (a: Set<string>, b: Set<string>) => a.size < b.size && [...a].every((s) => b.has(s));
  const bases = sets.filter((s) => !sets.some((o) => isSubset(s.set, o.set)));
  const externalId = (s: { split: string; firstLine: number }) => `${s.split}/line-${s.firstLine}`;
  const out: DemoPersona[] = [];
  for (const s of sets) {
    const containers = bases.filter((b) => isSubset(s.set, b.set));
    const isBase = containers.length === 0;
    const base = containers.sort((a, b) => b.set.size - a.set.size || a.firstLine - b.firstLine)[0];
    out.push({
      sourceId: 'synthetic-persona-chat',
      externalId: externalId(s),
      name: null,
      narrative: s.sentences.join(' '),
      age: null,
      ageBand: 'unknown',
      gender: 'unknown',
      country: 'unknown',
      occupation: 'unknown',
      model: null,
      status: isBase ? 'draft' : 'flagged',
      flags: base
        ? [{ code: 'duplicate', reason: `a reordered or shortened variant of profile ${externalId(base)}` }]
        : [],
      duplicateOf: base ? externalId(base) : undefined,
      metadata: { split: s.split, blocks: s.blocks, sentences: s.sentences },
    });
  }
  // Bases first, so a variant's base is stored before it.
  return out.sort((a, b) => Number(a.duplicateOf !== undefined) - Number(b.duplicateOf !== undefined));
}
