/** No-persona LLM baselines: 12 models on IPIP-50 and The Personality Illusion's BFI-44 scores. */
import { scoreTraits, type InstrumentKey } from '../instruments/score';
import { TRAITS } from '../instruments/traits';
import { intField, numField, readCsv } from './files';
import type { DemoBaseline } from './types';

/** No-persona LLM baselines: 12 models on IPIP-50 (item answers) and the Personality Illusion BFI-44 scores. */
export function loadBaselines(ipip: InstrumentKey): DemoBaseline[] {
  const out: DemoBaseline[] = [];
  const sf = 'baselines/no-persona/sanand0_ipip50_12llms_items.csv';
  readCsv(sf).forEach((r, i) => {
    const answers = new Map<string, number>();
    for (let n = 1; n <= 50; n++) {
      // ipip_n follows Goldberg's order E, A, C, N, O repeating (Populace's trait order).
      const t = TRAITS[(n - 1) % 5]!;
      const itemId = `${t}${Math.floor((n - 1) / 5) + 1}`;
      answers.set(itemId, intField(r, `ipip_${n}`, sf, i + 2));
    }
    out.push({
      sourceId: 'llmpersonality-12llms',
      model: r.model ?? '',
      instrumentId: 'ipip50',
      temperature: null,
      systemPrompt: null,
      run: 0,
      scores: scoreTraits(ipip, answers),
      answers: Object.fromEntries(answers),
    });
  });
  for (const kind of ['instruct', 'base']) {
    const pf = `baselines/no-persona/personality_illusion_${kind}_models_selfreport.csv`;
    readCsv(pf).forEach((r, i) => {
      const line = i + 2;
      out.push({
        sourceId: 'personality-illusion',
        model: r.Model ?? '',
        instrumentId: 'bfi44',
        temperature: numField(r, 'temp', pf, line),
        systemPrompt: r.Persona_Content ?? '',
        run: intField(r, 'run', pf, line) * 10 + intField(r, 'persona_index', pf, line),
        scores: {
          E: numField(r, 'extraversion', pf, line),
          A: numField(r, 'agreeableness', pf, line),
          C: numField(r, 'consciencienes', pf, line),
          N: numField(r, 'neuroticism', pf, line),
          O: numField(r, 'openeness', pf, line),
        },
        answers: null,
      });
    });
  }
  return out;
}
