/** Trait norms: Johnson's IPIP-NEO-120 by sex and age, McCrae & Terracciano's country T-scores, BIG5-derived group norms. */
import { TRAITS, type Trait } from '../instruments/traits';
import { intField, numField, readCsv } from './files';
import type { DemoNorm } from './types';

export function loadNorms(): DemoNorm[] {
  const out: DemoNorm[] = [];
  const jf = 'reference/norms/johnson-ipip-neo-120-by-sex-age.csv';
  readCsv(jf).forEach((r, i) => {
    out.push({
      sourceId: 'johnson-ipip-neo-120',
      table: 'johnson-ipip-neo-120',
      groupType: 'sex-age',
      group: `${r.sex} ${r.age_group}`,
      scale: r.scale ?? '',
      level: r.level ?? '',
      unit: `raw sum (${r.min}-${r.max})`,
      n: null,
      mean: numField(r, 'mean', jf, i + 2),
      sd: numField(r, 'sd', jf, i + 2),
    });
  });
  const mf = 'reference/norms/mccrae-terracciano-2005-country-tscores.csv';
  const mcNames: Record<string, Trait> = {
    openness: 'O',
    conscientiousness: 'C',
    extraversion: 'E',
    agreeableness: 'A',
    neuroticism: 'N',
  };
  readCsv(mf).forEach((r, i) => {
    for (const [col, t] of Object.entries(mcNames)) {
      out.push({
        sourceId: 'mccrae-terracciano-2005',
        table: 'mccrae-terracciano-2005',
        groupType: 'country',
        group: r.Country ?? '',
        scale: t,
        level: 'domain',
        unit: 'T-score (50 = normative mean, 10 = individual SD)',
        n: null,
        mean: numField(r, col, mf, i + 2),
        sd: 10,
      });
    }
  });
  const df = 'reference/norms/DERIVED-from-big5-data_group-norms.csv';
  readCsv(df).forEach((r, i) => {
    for (const t of TRAITS) {
      out.push({
        sourceId: 'big5-derived-norms',
        table: 'big5-derived',
        groupType: r.group_type ?? '',
        group: r.group ?? '',
        scale: t,
        level: 'domain',
        unit: 'mean of items (1-5)',
        n: intField(r, 'n', df, i + 2),
        mean: numField(r, `${t}_mean`, df, i + 2),
        sd: numField(r, `${t}_sd`, df, i + 2),
      });
    }
  });
  return out;
}
