import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTraitCsv, readWeightsCsv, splitCsvLine, TraitCsvError, writeCsv } from '@/lib/io/traitCsv';

const dir = mkdtempSync(join(tmpdir(), 'populace-csv-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('traitCsv', () => {
  it('reads id,E,A,C,N,O in any column order, with CRLF, BOM and quoted ids', () => {
    const p = file('ok.csv', '\ufeffO,N,C,A,E,id\r\n1,2,3,4,5,"p,1"\r\n5,4,3,2,1,p2\r\n');
    const r = readTraitCsv(p);
    expect(r.ids).toEqual(['p,1', 'p2']);
    expect(Array.from(r.traits.data)).toEqual([5, 4, 3, 2, 1, 1, 2, 3, 4, 5]);
  });
  it('names file, line and column for bad input', () => {
    const cases: [string, RegExp][] = [
      ['id,E,A,C,N\n1,2,3,4,5\n', /line 1, column O: the header has no "O" column/],
      ['id,E,A,C,N,O\np1,3,3,x,3,3\n', /line 2, column C: "x" is not a number/],
      ['id,E,A,C,N,O\np1,3,3,3,3,3\np2,3,3,3,3,7\n', /line 3, column O: 7 is outside the 1-5 scale/],
      ['id,E,A,C,N,O\np1,3,3,3,,3\n', /line 2, column N: the value is missing/],
      ['id,E,A,C,N,O\np1,3,3,3,3,3\np1,3,3,3,3,3\n', /line 3, column id: duplicate id "p1" \(first on line 2\)/],
      ['', /the file is empty/],
    ];
    cases.forEach(([text, re], i) => {
      const p = file(`bad${i}.csv`, text);
      expect(() => readTraitCsv(p)).toThrow(TraitCsvError);
      expect(() => readTraitCsv(p)).toThrow(re);
      expect(() => readTraitCsv(p)).toThrow(p);
    });
    expect(() => readTraitCsv(join(dir, 'missing.csv'))).toThrow(/cannot read the file/);
  });
  it('reads weights by id and writes CSV with quoting', () => {
    const w = file('w.csv', 'id,weight\nb,2\na,1\n');
    expect(Array.from(readWeightsCsv(w, ['a', 'b']))).toEqual([1, 2]);
    expect(() => readWeightsCsv(w, ['a', 'c'])).toThrow(/no weight for id "c"/);
    const out = join(dir, 'sub', 'o.csv');
    writeCsv(out, ['id', 'weight'], [['x,y', 0.5]]);
    expect(readFileSync(out, 'utf8')).toBe('id,weight\n"x,y",0.5\n');
    expect(splitCsvLine('"a ""q""",b')).toEqual(['a "q"', 'b']);
  });
});
