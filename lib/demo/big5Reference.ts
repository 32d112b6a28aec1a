/** The BIG5 human reference sample (Open-Source Psychometrics Project, IPIP-50). */
import { scoreCommon, type InstrumentKey } from '../instruments/score';
import { intField, readCsv } from './files';
import type { DemoRespondent } from './types';

function genderFromCode(code: number): DemoRespondent['gender'] {
  return code === 1 ? 'male' : code === 2 ? 'female' : code === 3 ? 'other' : 'unknown';
}

/**
 * The BIG5 reference: rows with any missed item (0) are dropped; ages outside 13-100 become unknown; the pseudo
 * country codes "(nu", "" become "unknown". Scores use the IPIP-50 key (1-5, already the common scale).
 */
export function loadReference(key: InstrumentKey): DemoRespondent[] {
  const file = 'reference/big5-openpsychometrics/data.csv';
  const rows = readCsv(file, '\t');
  const out: DemoRespondent[] = [];
  rows.forEach((r, i) => {
    const line = i + 2;
    const answers = key.items.map((it) => intField(r, it.itemId, file, line));
    if (answers.some((v) => v === 0)) return;
    const map = new Map(key.items.map((it, j) => [it.itemId, answers[j]!]));
    const scores = scoreCommon(key, map);
    const ageRaw = Number(r.age);
    const age = Number.isInteger(ageRaw) && ageRaw >= 13 && ageRaw <= 100 ? ageRaw : null;
    const c = (r.country ?? '').trim();
    out.push({
      row: line - 1,
      country: c === '' || c === '(nu' ? 'unknown' : c,
      age,
      gender: genderFromCode(intField(r, 'gender', file, line)),
      scores,
      answers,
    });
  });
  return out;
}
