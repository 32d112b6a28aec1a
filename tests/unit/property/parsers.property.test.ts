/**
 * Property-based tests of the file parsers (fast-check): the trait / weight CSV reader (lib/io/traitCsv.ts) and the
 * streaming post and persona imports (lib/pipeline/imports.ts, CSV and JSONL). For arbitrary bytes (binary, NUL,
 * broken quotes, long lines, invalid UTF-8, split at arbitrary chunk boundaries) they never throw an unexpected
 * exception: the CSV reader returns rows or throws TraitCsvError naming the file (and the line when there is one);
 * the imports return a report whose counts add up and whose bad rows carry real line numbers.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTraitCsv, readWeightsCsv, splitCsvLine, TraitCsvError } from '@/lib/io/traitCsv';
import { importPersonas, importPosts } from '@/lib/pipeline/imports';
import type { ImportReport } from '@/lib/pipeline/schema';
import { useFreshDatabase, type TestDatabase } from '../../support/db';

let tmp: string;
let env: TestDatabase;
let fileNo = 0;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'populace-parsers-'));
  env = useFreshDatabase();
});
afterAll(() => {
  env.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

const enc = new TextEncoder();

/** Building blocks of hostile CSV / JSONL: structure characters, binary, NUL, lone surrogates and invalid UTF-8. */
const fragment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('id', 'E', 'A', 'C', 'N', 'O', 'weight', 'author_id', 'text', 'time', 'post_id', '3', '5', '1.5', '9', '-1', 'NaN', 'abc', '2024-01-01') },
  { weight: 4, arbitrary: fc.constantFrom(',', '"', '""', '\n', '\r\n', '\r', ' ', '\t', ';', '{', '}', '[', ']', ':', '\\', '\\u0000', '\u0000', '\ufeff', '\u2028', '\ud800') },
  { weight: 2, arbitrary: fc.constantFrom('{"author_id":"a","text":"hello"}', '{"narrative":"x","id":"p"}', '{"narrative":"n","answers":{"E1":3},"instrument":"ipip50"}', '{"__proto__":{"x":1}}', 'null', '[]', '"str"', '{"text":1e999}') },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
);
const textLike = fc.array(fragment, { maxLength: 60 }).map((parts) => enc.encode(parts.join('')));
/** Raw bytes, including invalid UTF-8 sequences (0xC3 alone, 0xFF, overlong forms). */
const rawBytes = fc.oneof(
  fc.uint8Array({ maxLength: 400 }),
  fc.tuple(textLike, fc.array(fc.constantFrom(0xc3, 0xff, 0xfe, 0x80, 0xe2, 0x00, 0x0a, 0x22, 0x2c), { maxLength: 8 }), fc.nat()).map(([t, junk, at]) => {
    const i = t.length ? at % t.length : 0;
    return Uint8Array.from([...t.slice(0, i), ...junk, ...t.slice(i)]);
  }),
);
/** JSON objects whose keys are the recognised column names and whose values are any JSON (objects with a
 * non-callable toString included: String(value) would throw on them). */
const jsonValue = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom({ toString: 1 }, { valueOf: 1, toString: 1 }, { toString: {} }, { __proto__: 1 }, 1e308, -0, '', ' ', 'x'.repeat(300)) },
);
const jsonKey = fc.constantFrom(
  'author_id', 'authorId', 'author', 'user', 'text', 'body', 'post', 'time', 'timestamp', 'date', 'id', 'post_id',
  'name', 'narrative', 'demographics', 'age', 'gender', 'country', 'occupation', 'instrument', 'answers', 'model', 'temperature', '__proto__', 'constructor', 'toString',
);
const jsonObject: fc.Arbitrary<unknown> = fc.dictionary(jsonKey, fc.oneof({ weight: 3, arbitrary: jsonValue }, { weight: 1, arbitrary: fc.dictionary(jsonKey, jsonValue, { maxKeys: 4 }) }), { maxKeys: 8 });
const jsonLines = fc
  .array(fc.oneof({ weight: 5, arbitrary: jsonObject.map((o) => JSON.stringify(o)) }, { weight: 1, arbitrary: fc.string({ maxLength: 20 }) }), { maxLength: 12 })
  .map((lines) => enc.encode(lines.join('\n')));
const bytes = fc.oneof({ weight: 3, arbitrary: textLike }, { weight: 2, arbitrary: rawBytes }, { weight: 3, arbitrary: jsonLines });
/** A header line that parses, then arbitrary content: gets the readers past the header check. */
const withHeader = (header: string) => bytes.map((b) => Uint8Array.from([...enc.encode(header + '\n'), ...b]));

function writeTemp(b: Uint8Array, ext = 'csv'): string {
  const f = path.join(tmp, `in-${fileNo++}.${ext}`);
  writeFileSync(f, b);
  return f;
}

/** A stream that delivers the bytes in arbitrary chunks (multi-byte characters and CRLF split across chunks). */
function chunked(b: Uint8Array, cuts: number[]): Readable {
  const points = [...new Set(cuts.map((c) => (b.length ? c % (b.length + 1) : 0)))].sort((x, y) => x - y);
  const parts: Buffer[] = [];
  let prev = 0;
  for (const p of [...points, b.length]) {
    if (p > prev) parts.push(Buffer.from(b.subarray(prev, p)));
    prev = Math.max(prev, p);
  }
  return Readable.from(parts);
}

function lineCount(b: Uint8Array): number {
  let n = 1;
  for (const c of b) if (c === 0x0a || c === 0x0d) n++;
  return n;
}

function expectTraitCsvError(e: unknown, file: string): void {
  expect(e, `unexpected ${(e as Error)?.name}: ${(e as Error)?.message}`).toBeInstanceOf(TraitCsvError);
  const err = e as TraitCsvError;
  expect(err.message.startsWith(file), err.message).toBe(true);
  expect(err.file).toBe(file);
  if (err.line !== null) expect(err.line).toBeGreaterThanOrEqual(1);
}

function expectSoundReport(r: ImportReport, b: Uint8Array): void {
  expect(r.rows).toBe(r.imported + r.skipped + r.badCount);
  expect(r.bad.length).toBe(Math.min(r.badCount, 1000));
  const maxLine = lineCount(b);
  for (const bad of r.bad) {
    expect(Number.isInteger(bad.line), JSON.stringify(bad)).toBe(true);
    expect(bad.line, JSON.stringify(bad)).toBeGreaterThanOrEqual(1);
    expect(bad.line, JSON.stringify(bad)).toBeLessThanOrEqual(maxLine);
    expect(typeof bad.reason).toBe('string');
    expect(bad.reason.length).toBeGreaterThan(0);
  }
}

describe('lib/io/traitCsv', () => {
  it('splitCsvLine never throws and keeps every comma outside quotes as a separator', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (line) => {
        const cells = splitCsvLine(line);
        expect(cells.length).toBeGreaterThanOrEqual(1);
        if (!line.includes('"')) expect(cells.length).toBe(line.split(',').length);
      }),
      { numRuns: 200 },
    );
  });

  it('readTraitCsv: rows with every score on 1-5 and unique ids, or TraitCsvError naming the file', () => {
    fc.assert(
      fc.property(fc.oneof(bytes, withHeader('id,E,A,C,N,O'), withHeader('"id",O,N,C,A,E,extra')), (b) => {
        const file = writeTemp(b);
        let r: ReturnType<typeof readTraitCsv>;
        try {
          r = readTraitCsv(file);
        } catch (e) {
          expectTraitCsvError(e, file);
          return;
        }
        expect(r.ids.length).toBeGreaterThan(0);
        expect(new Set(r.ids).size).toBe(r.ids.length);
        expect(r.traits.rows).toBe(r.ids.length);
        expect(r.traits.data.length).toBe(5 * r.ids.length);
        for (const v of r.traits.data) expect(v >= 1 && v <= 5, `score ${v}`).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('readWeightsCsv: finite non-negative weights, or TraitCsvError naming the file', () => {
    fc.assert(
      fc.property(fc.oneof(bytes, withHeader('id,weight')), fc.array(fc.constantFrom('a', '1', 'x', ''), { minLength: 1, maxLength: 3 }), (b, ids) => {
        const file = writeTemp(b);
        let w: Float64Array;
        try {
          w = readWeightsCsv(file, ids);
        } catch (e) {
          expectTraitCsvError(e, file);
          return;
        }
        expect(w.length).toBe(ids.length);
        for (const v of w) expect(Number.isFinite(v) && v >= 0).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('a missing file is a TraitCsvError naming it', () => {
    const file = path.join(tmp, 'does-not-exist.csv');
    expect(() => readTraitCsv(file)).toThrow(TraitCsvError);
    expect(() => readTraitCsv(file)).toThrow(file);
  });
});

describe('lib/pipeline/imports (streamed)', () => {
  it('importPosts (CSV): any bytes in any chunks give a sound report, never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(bytes, withHeader('author_id,text,time,post_id'), withHeader('"author_id","text"')), fc.array(fc.nat(), { maxLength: 6 }), async (b, cuts) => {
        const r = await importPosts({ input: chunked(b, cuts), fileName: `posts-${fileNo++}.csv`, db: env.db, batchSize: 7 });
        expectSoundReport(r, b);
      }),
      { numRuns: 80 },
    );
  });

  it('importPosts (JSONL): any bytes in any chunks give a sound report, never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(bytes, fc.array(fc.nat(), { maxLength: 6 }), async (b, cuts) => {
        const r = await importPosts({ input: chunked(b, cuts), fileName: `posts-${fileNo++}.jsonl`, db: env.db, batchSize: 7 });
        expectSoundReport(r, b);
      }),
      { numRuns: 80 },
    );
  });

  it('importPersonas (JSONL): any bytes in any chunks give a sound report, never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(bytes, fc.array(fc.nat(), { maxLength: 6 }), async (b, cuts) => {
        const r = await importPersonas({ input: chunked(b, cuts), fileName: `personas-${fileNo++}.jsonl`, db: env.db, batchSize: 7 });
        expectSoundReport(r, b);
      }),
      { numRuns: 80 },
    );
  });

  it('a huge line (2 MB) and a file of NUL bytes are reported, not fatal', async () => {
    const huge = enc.encode(`author_id,text\na,"${'x'.repeat(2_000_000)}"\nb,"unterminated\n`);
    const r = await importPosts({ input: chunked(huge, [1000, 65536, 1_500_000]), fileName: 'huge.csv', db: env.db });
    expectSoundReport(r, huge);
    expect(r.imported + r.skipped).toBeGreaterThanOrEqual(1);
    const nul = new Uint8Array(5000);
    expectSoundReport(await importPosts({ input: chunked(nul, [7]), fileName: 'nul.csv', db: env.db }), nul);
    expectSoundReport(await importPersonas({ input: chunked(nul, [7]), fileName: 'nul.jsonl', db: env.db }), nul);
    const hugeJson = enc.encode(`{"author_id":"a","text":"${'y'.repeat(2_000_000)}"}\n{"author_id":\n`);
    const j = await importPosts({ input: chunked(hugeJson, [3, 100_000]), fileName: 'huge.jsonl', db: env.db });
    expectSoundReport(j, hugeJson);
    expect(j.bad.map((x) => x.line)).toEqual([2]);
  });

  it('regression: a JSON object as author id, time or id is a bad row, not a TypeError (String() threw)', async () => {
    const lines = [
      '{"author_id":{"toString":1},"text":"a"}',
      '{"author_id":"a","text":"b","time":{"valueOf":1,"toString":1}}',
      '{"author_id":"a","text":"c","id":{"toString":{}}}',
      '{"author_id":["x"],"text":"d"}',
      '{"author_id":7,"text":"e","id":8}',
    ];
    const r = await importPosts({ input: lines.join('\n'), fileName: 'objects.jsonl', db: env.db });
    expect(r.bad.map((b) => [b.line, b.field])).toEqual([
      [1, 'author_id'],
      [2, 'time'],
      [3, 'id'],
      [4, 'author_id'],
    ]);
    expect(r.imported).toBe(1);
  });

  it('an unknown format is the documented AppError naming the file', async () => {
    await expect(importPosts({ input: 'a,b\n', fileName: 'posts.xlsx', db: env.db })).rejects.toThrow(/posts\.xlsx: unknown file type/);
    await expect(importPersonas({ input: 'a,b\n', fileName: 'p.csv', db: env.db })).rejects.toThrow(/p\.csv: personas are imported from JSONL/);
  });
});
