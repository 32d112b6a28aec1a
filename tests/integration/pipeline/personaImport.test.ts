/**
 * A persona import (JSONL) on a fresh database, with narratives from the demo's GPT-4 biographies: demographics read
 * from each narrative where the file gives none (with their origin), and exact / near duplicates within the source
 * flagged for review with their twin, also against personas stored by an earlier import.
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personas } from '@/db/schema';
import { importPersonas } from '@/lib/pipeline/imports';
import { useFreshDatabase, type TestDatabase } from '../../support/db';

let env: TestDatabase;
beforeAll(() => {
  env = useFreshDatabase();
});
afterAll(() => env.cleanup());

const bios = JSON.parse(readFileSync('db/seed-data/personas/gpt4-biographies/pop_census.json', 'utf8')) as { 'Full Name': string; Age: number; Occupation: string; 'Personality Facts': string[] }[];
const narrative = (b: (typeof bios)[number]) => `${b['Full Name']} is ${b.Age} years old and works as a ${b.Occupation}. ${b['Personality Facts'].join(' ')}`;
const jsonl = (rows: unknown[]) => Readable.from([rows.map((r) => JSON.stringify(r)).join('\n') + '\n']);

describe('persona import', () => {
  it('reads demographics from the narratives and flags an exact duplicate of an earlier line', async () => {
    const [a, b] = [bios[0]!, bios[1]!];
    const r = await importPersonas({
      db: env.db,
      fileName: 'bios.jsonl',
      sourceId: 'bios-import',
      input: jsonl([
        { id: 'a', narrative: narrative(a) },
        { id: 'b', narrative: narrative(b), demographics: { country: 'GB' } },
        // The same words as 'a', other capitals and punctuation: an exact duplicate.
        { id: 'a-again', narrative: narrative(a).toUpperCase().replace(/\./g, '!') },
      ]),
    });
    expect(r).toMatchObject({ imported: 3, badCount: 0, complete: true, duplicates: 1 });
    const rows = env.db.select().from(personas).where(eq(personas.sourceId, 'bios-import')).all();
    const byId = new Map(rows.map((p) => [p.externalId, p]));
    expect(byId.get('a')!).toMatchObject({ age: a.Age, occupation: a.Occupation.toLowerCase(), status: 'draft', flags: [] });
    expect(byId.get('a')!.demographicsOrigin!.origin).toMatchObject({ age: 'stated', occupation: 'stated' });
    expect(byId.get('b')!).toMatchObject({ country: 'GB', age: b.Age });
    expect(byId.get('b')!.demographicsOrigin!.origin).toMatchObject({ country: 'given', age: 'stated' });
    const dup = byId.get('a-again')!;
    expect(dup.status).toBe('flagged');
    expect(dup.flags).toEqual([expect.objectContaining({ code: 'duplicate', relatedPersonaId: byId.get('a')!.id })]);
    expect(dup.duplicateOfId).toBe(byId.get('a')!.id);
  });

  it('checks a later import against the personas already stored in the source', async () => {
    const r = await importPersonas({ db: env.db, fileName: 'more.jsonl', sourceId: 'bios-import', input: jsonl([{ id: 'b-again', narrative: narrative(bios[1]!) }]) });
    expect(r).toMatchObject({ imported: 1, duplicates: 2 });
    const p = env.db.select().from(personas).where(eq(personas.externalId, 'b-again')).get()!;
    expect(p.flags.map((f) => f.code)).toEqual(['duplicate']);
  });
});
