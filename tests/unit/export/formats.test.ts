/** Export formats: round trips for JSONL, CSV and Parquet, formula neutralisation, determinism; manifest errors; diffs. */
import { parse } from 'csv-parse/sync';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { diffManifests } from '@/lib/export/diff';
import { csvCell, rowHash, sha256Hex, toCsv, toJsonl, toParquet } from '@/lib/export/formats';
import { jsonLineOf, parseManifestText } from '@/lib/export/manifest';
import { EXPORT_COLUMNS, type ExportRow } from '@/lib/export/schema';

const base: ExportRow = {
  personaId: 1,
  sourceId: 'src',
  externalId: 'ext/1',
  parentId: null,
  name: 'Ada',
  narrative: 'Plain text.',
  age: 31,
  ageBand: '25-34',
  gender: 'female',
  country: 'unknown',
  occupation: 'engineer',
  E: 3.1,
  A: 2.25,
  C: 4,
  N: 1.5,
  O: 4.875,
  weight: 0.1234567890123,
  count: 2,
  instrument: 'ipip50',
  model: null,
  status: 'measured',
};

const rows: ExportRow[] = [
  base,
  { ...base, personaId: 2, externalId: 'ext/2', name: null, narrative: 'Says "hi", then\nleaves, with a comma, and ünïcødé 🙂', age: null, weight: 1e-12, count: 0 },
  { ...base, personaId: 3, externalId: 'ext/3', name: '=HYPERLINK("http://evil","x")', occupation: '+1-555', narrative: '@SUM(A1:A9)', country: '-2+3', parentId: 1 },
  { ...base, personaId: 4, externalId: 'ext/4', name: '\tTabbed', narrative: '\rcarriage', occupation: ' padded ', weight: 0.5 },
];

describe('CSV', () => {
  it('neutralises formula-like text cells with a leading quote and quotes per RFC 4180', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+cmd')).toBe("'+cmd");
    expect(csvCell('-cmd')).toBe("'-cmd");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe(`"'\rx"`);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(' lead')).toBe('" lead"');
    expect(csvCell(-1.5)).toBe('-1.5'); // numbers are data, not formulas
    expect(csvCell(null)).toBe('');
    expect(csvCell('safe')).toBe('safe');
  });

  it('round-trips through an RFC 4180 parser (neutralised cells keep their leading quote)', () => {
    const text = new TextDecoder().decode(toCsv(rows));
    expect(text.endsWith('\r\n')).toBe(true);
    const parsed = parse(text, { columns: true, relax_column_count: false }) as Record<string, string>[];
    expect(Object.keys(parsed[0]!)).toEqual([...EXPORT_COLUMNS]);
    expect(parsed).toHaveLength(4);
    expect(parsed[1]!.narrative).toBe(rows[1]!.narrative);
    expect(parsed[1]!.name).toBe('');
    expect(Number(parsed[0]!.weight)).toBe(base.weight);
    expect(Number(parsed[1]!.weight)).toBe(1e-12);
    expect(parsed[2]!.name).toBe(`'=HYPERLINK("http://evil","x")`);
    expect(parsed[2]!.occupation).toBe("'+1-555");
    expect(parsed[2]!.narrative).toBe("'@SUM(A1:A9)");
    expect(parsed[2]!.country).toBe("'-2+3");
    expect(parsed[3]!.name).toBe("'\tTabbed");
    expect(parsed[3]!.narrative).toBe("'\rcarriage");
    expect(parsed[3]!.occupation).toBe(' padded ');
    // no cell of the file starts with a formula character once parsed
    for (const r of parsed) for (const [k, v] of Object.entries(r)) if (!['E', 'A', 'C', 'N', 'O', 'weight'].includes(k)) expect(v).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('JSONL', () => {
  it('round-trips exactly, keys in column order', () => {
    const text = new TextDecoder().decode(toJsonl(rows));
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    const back = lines.map((l) => JSON.parse(l) as ExportRow);
    expect(back).toEqual(rows);
    expect(Object.keys(back[0]!)).toEqual([...EXPORT_COLUMNS]);
  });
});

describe('Parquet', () => {
  it('round-trips through hyparquet with types and nulls, and carries the row digest', async () => {
    const bytes = toParquet(rows, { version: '9.9.9', rowsSha256: 'a'.repeat(64) });
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const back = (await parquetReadObjects({ file })) as Record<string, unknown>[];
    expect(back).toHaveLength(4);
    for (let i = 0; i < rows.length; i++) {
      for (const c of EXPORT_COLUMNS) expect(back[i]![c]).toEqual(rows[i]![c]);
    }
    const meta = parquetMetadata(file);
    expect(meta.created_by).toBe('populace 9.9.9');
    expect(meta.key_value_metadata?.find((k) => k.key === 'populace.rowsSha256')?.value).toBe('a'.repeat(64));
  });

  it('is deterministic: the same rows give the same bytes in every format', () => {
    const m = { version: '1', rowsSha256: 'b'.repeat(64) };
    expect(sha256Hex(toParquet(rows, m))).toBe(sha256Hex(toParquet(structuredClone(rows), m)));
    expect(sha256Hex(toCsv(rows))).toBe(sha256Hex(toCsv(structuredClone(rows))));
    expect(sha256Hex(toJsonl(rows))).toBe(sha256Hex(toJsonl(structuredClone(rows))));
    expect(rowHash(rows[0]!)).toBe(rowHash({ ...rows[0]! }));
    expect(rowHash(rows[0]!)).not.toBe(rowHash({ ...rows[0]!, status: 'accepted' }));
  });
});

describe('manifest files', () => {
  it('names the file, line and field of a bad value', () => {
    const text = '{\n  "schema": "populace-export-manifest/1",\n  "populaceVersion": 7\n}\n';
    expect(() => parseManifestText(text, 'm.json')).toThrow(/m\.json:3: field "populaceVersion"/);
  });

  it('names the line of a JSON syntax error', () => {
    expect(() => parseManifestText('{\n  "a": 1,\n  "b": }\n', 'bad.json')).toThrow(/bad\.json:3: not valid JSON/);
  });

  it('locates nested paths and array items', () => {
    const text = '{\n "rows": [\n  {"personaId": 1},\n  {\n   "personaId": 2,\n   "sha256": "x"\n  }\n ]\n}';
    expect(jsonLineOf(text, ['rows', 1, 'sha256'])).toBe(6);
    expect(jsonLineOf(text, ['rows', 0])).toBe(3);
    expect(jsonLineOf(text, ['rows', 1, 'missing'])).toBe(4);
  });
});

describe('export diff', () => {
  const h = (c: string) => c.repeat(64);
  it('lists added, removed, reweighted and recounted personas', () => {
    const a = { rows: [{ personaId: 1, weight: 0.5, count: 1, sha256: h('a') }, { personaId: 2, weight: 0.3, count: 1, sha256: h('b') }, { personaId: 3, weight: 0.2, count: 0, sha256: h('c') }] };
    const b = { rows: [{ personaId: 1, weight: 0.5 + 1e-12, count: 1, sha256: h('a') }, { personaId: 3, weight: 0.4, count: 2, sha256: h('d') }, { personaId: 4, weight: 0.1, count: 1, sha256: h('e') }] };
    const d = diffManifests(a, b);
    expect(d.added).toEqual([{ personaId: 4, weight: 0.1, count: 1 }]);
    expect(d.removed).toEqual([{ personaId: 2, weight: 0.3, count: 1 }]);
    expect(d.reweighted).toHaveLength(1);
    expect(d.reweighted[0]).toMatchObject({ personaId: 3, from: 0.2, to: 0.4 });
    expect(d.recounted).toEqual([{ personaId: 3, from: 0, to: 2 }]);
    expect(d.unchanged).toBe(1);
    expect(diffManifests(a, a).summary).toBe('0 added, 0 removed, 0 reweighted, 0 recounted, 0 changed in content, 3 unchanged');
  });
});
