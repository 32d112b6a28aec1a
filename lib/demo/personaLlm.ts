/** PersonaLLM personas: stories with their BFI-44 answers. */
import { scoreCommon, type InstrumentKey } from '../instruments/score';
import type { Trait } from '../instruments/traits';
import { DemoDataError, readJsonl } from './files';
import type { DemoPersona } from './types';

const POLES: Record<string, [Trait, number]> = {
  extr: ['E', 1],
  intr: ['E', 0],
  agre: ['A', 1],
  anta: ['A', 0],
  cons: ['C', 1],
  unco: ['C', 0],
  neur: ['N', 1],
  emot: ['N', 0],
  open: ['O', 1],
  clos: ['O', 0],
};

interface PersonaLlmLine {
  model: string;
  persona_encoding: string;
  iteration: number;
  persona_prompt: string;
  bfi44: number[];
  story: string;
}

export function loadPersonaLlm(key: InstrumentKey): DemoPersona[] {
  const file = 'personas/personallm/personallm_persona_stories.jsonl';
  return readJsonl<PersonaLlmLine>(file).map((l, i) => {
    if (!Array.isArray(l.bfi44) || l.bfi44.length !== key.items.length) {
      throw new DemoDataError(file, i + 1, `field "bfi44" must hold ${key.items.length} answers`);
    }
    const answers = new Map(key.items.map((it, j) => [it.itemId, l.bfi44[j]!]));
    const intendedPoles: Partial<Record<Trait, number>> = {};
    for (const tok of l.persona_encoding.split('_')) {
      const p = POLES[tok];
      if (p) intendedPoles[p[0]] = p[1];
    }
    return {
      sourceId: 'personallm',
      externalId: `${l.model}/${l.persona_encoding}/${l.iteration}`,
      name: null,
      narrative: l.story,
      age: null,
      ageBand: 'unknown',
      gender: 'unknown',
      country: 'unknown',
      occupation: 'unknown',
      model: l.model,
      status: 'measured',
      flags: [],
      metadata: { personaPrompt: l.persona_prompt, encoding: l.persona_encoding, iteration: l.iteration, intendedPoles },
      responses: { instrumentId: 'bfi44', model: l.model, temperature: 0.7, answers },
      scores: { instrumentId: 'bfi44', values: scoreCommon(key, answers) },
    };
  });
}
