/**
 * The simulator writers against schemas taken from the frameworks' own loaders, read back by independent readers:
 * - TinyTroupe `TinyPerson.load_specification` (tinytroupe/agent/tiny_person.py) deserialises {"type": "TinyPerson",
 *   "persona": {...}} as in examples/agents/*.agent.json; agent names must be unique (TinyPerson.all_agents).
 * - OASIS `generate_twitter_agent_graph` (oasis/social_agent/agents_generator.py) reads the CSV with pandas and uses
 *   user_char, username, description (and name, following_agentid_list / previous_tweets through ast.literal_eval in
 *   generate_agents); `generate_reddit_agent_graph` reads a JSON array and indexes persona, mbti, gender, age, country,
 *   username, realname, bio.
 * The CSV, JSON and Parquet files are read back with DuckDB; zips with fflate's reader.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EXPORT_COLUMNS, EXPORT_FORMATS, type ExportRow } from '@/lib/export/schema';
import { PARQUET_FEATURES, renderRows } from '@/lib/export/formats';
import {
  AGENT_PROMPT_TEMPLATE_VERSION,
  agentPrompt,
  describeTraits,
  hfLicence,
  OASIS_TWITTER_COLUMNS,
  shortBio,
  sizeCategory,
  traitLevel,
  type SimulatorMeta,
} from '@/lib/export/simulators';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'populace-sim-'));

function row(over: Partial<ExportRow>): ExportRow {
  return {
    personaId: 1,
    sourceId: 'src',
    externalId: 'x1',
    parentId: null,
    name: 'Harriet Barnes',
    narrative: 'Harriet Barnes is 56 years old and runs a hairdressing salon. She likes "quiet" evenings, gardening, and chess.\nShe votes.',
    age: 56,
    ageBand: '50-64',
    gender: 'female',
    country: 'GB',
    occupation: 'salon owner',
    E: 3.9,
    A: 3.1,
    C: 2.0,
    N: 3.0,
    O: 4.6,
    weight: 0.5,
    count: 2,
    instrument: 'ipip50',
    model: 'm',
    status: 'accepted',
    ...over,
  };
}

/** Edge cases every writer must survive: a missing name, unknown demographics, a formula-like narrative, a unicode name, null scores. */
const ROWS: ExportRow[] = [
  row({}),
  row({ personaId: 2, name: null, gender: 'unknown', country: 'unknown', occupation: 'unknown', age: null, narrative: '=SUM(A1) is how this persona starts, with, commas', weight: 0.25, count: 1 }),
  row({ personaId: 3, name: 'Zoë Ñúñez-O\'Brien', E: null, weight: 0.25, count: 1 }),
  row({ personaId: 4, name: 'Harriet Barnes', weight: 0, count: 0 }),
];
const META: SimulatorMeta = {
  version: '9.9.9',
  rowsSha256: 'a'.repeat(64),
  norms: { population: 'the test population', mean: [3, 3, 3, 3, 3], sd: [0.5, 0.5, 0.5, 0.5, 0.5] },
  description: {
    title: 'Test set',
    summary: ['A set for tests.'],
    reference: { name: 'Ref', licence: 'CC BY 4.0', citation: 'Ref (2020).' },
    personaSources: [{ id: 'src', name: 'Source', licence: 'MIT, (c) 2023 X', citation: 'Source (2023).', personas: 4 }],
    methodsReport: '/studio/runs/1/methods',
  },
};

async function duck(sql: string) {
  const con = await (await DuckDBInstance.create(':memory:')).connect();
  return (await con.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}
function file(name: string, bytes: Uint8Array) {
  const p = path.join(tmp, name);
  writeFileSync(p, bytes);
  return p;
}
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('trait words', () => {
  it('levels follow the documented z bands', () => {
    expect([-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2].map(traitLevel)).toEqual(['very low', 'low', 'low', 'average', 'average', 'average', 'high', 'high', 'very high']);
  });
  it('are relative to the norms: the same score reads differently against another population', () => {
    const r = row({});
    const a = describeTraits(r, META.norms);
    const b = describeTraits(r, { population: 'p', mean: [3.9, 3.1, 2, 3, 4.6], sd: [1, 1, 1, 1, 1] });
    expect(a.find((t) => t.code === 'O')!.level).toBe('very high'); // (4.6 - 3) / 0.5 = 3.2
    expect(b.every((t) => t.level === 'average')).toBe(true);
    expect(a.find((t) => t.code === 'C')!.sentence).toBe('Very low conscientiousness: spontaneous, flexible and careless with details.'); // (2 - 3) / 0.5 = -2
  });
  it('leave out traits without a score', () => {
    expect(describeTraits(ROWS[2]!, META.norms).map((t) => t.code)).toEqual(['A', 'C', 'N', 'O']);
  });
});

describe('agent prompts', () => {
  it('hold the narrative, the known demographics and one line per scored trait, under a versioned template', () => {
    const lines = text(renderRows(ROWS, 'prompts', META)).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.persona_id)).toEqual([1, 2, 3, 4]);
    for (const l of lines) expect(l.template).toBe(AGENT_PROMPT_TEMPLATE_VERSION);
    const p = lines[0].system_prompt as string;
    expect(p.startsWith('You are Harriet Barnes.')).toBe(true);
    expect(p).toContain(ROWS[0]!.narrative);
    expect(p).toContain('Age: 56. Gender: female. Country: GB. Occupation: salon owner.');
    expect(p).toContain('compared with the test population');
    expect(p.match(/^- /gm)).toHaveLength(5);
    const q = lines[1].system_prompt as string;
    expect(q.startsWith('You are Persona 2.')).toBe(true);
    expect(q).not.toMatch(/unknown|Age:/);
    expect(agentPrompt(ROWS[2]!, META.norms).match(/^- /gm)).toHaveLength(4);
  });
});

describe('TinyTroupe', () => {
  // What load_specification needs and what examples/agents/*.agent.json carry.
  const spec = z.object({
    type: z.literal('TinyPerson'),
    persona: z
      .object({
        name: z.string().min(1),
        age: z.number().int().optional(),
        gender: z.string().optional(),
        nationality: z.string().optional(),
        residence: z.string().optional(),
        occupation: z.object({ title: z.string(), description: z.string() }).optional(),
        description: z.string().min(1),
        personality: z.object({
          traits: z.array(z.string()),
          big_five: z.partialRecord(z.enum(['openness', 'conscientiousness', 'extraversion', 'agreeableness', 'neuroticism']), z.string()),
        }),
      })
      .strict(),
  });

  it('writes one valid agent specification per persona with unique names, plus the draw counts', () => {
    const files = unzipSync(renderRows(ROWS, 'tinytroupe', META));
    const agents = Object.keys(files).filter((f) => f.endsWith('.agent.json'));
    expect(agents).toHaveLength(ROWS.length);
    const parsed = agents.map((f) => spec.parse(JSON.parse(text(files[f]!))));
    expect(new Set(agents).size).toBe(agents.length);
    const pop = JSON.parse(text(files['population.json']!));
    expect(pop.agents.map((a: { personaId: number }) => a.personaId)).toEqual([1, 2, 3, 4]);
    expect(pop.agents.map((a: { count: number }) => a.count)).toEqual([2, 1, 1, 0]);
    for (const a of pop.agents) expect(files[a.file]).toBeDefined();
    const harriet = parsed[agents.indexOf(pop.agents[0].file)]!.persona;
    expect(harriet).toMatchObject({ name: 'Harriet Barnes', age: 56, gender: 'female', nationality: 'GB', description: ROWS[0]!.narrative });
    expect(harriet.personality.big_five.openness).toBe('Very high (4.60 on a 1-5 scale).');
    const anon = parsed[agents.indexOf(pop.agents[1].file)]!.persona;
    expect(anon.name).toBe('Persona 2');
    expect(anon).not.toHaveProperty('gender');
    expect(anon).not.toHaveProperty('age');
    expect(files['README.md']).toBeDefined();
  });

  it('names the agents uniquely as the loader requires (a repeated name gets the persona id)', () => {
    const files = unzipSync(renderRows(ROWS, 'tinytroupe', META));
    const names = Object.keys(files)
      .filter((f) => f.endsWith('.agent.json'))
      .map((f) => JSON.parse(text(files[f]!)).persona.name as string)
      .sort();
    expect(names).toEqual(['Harriet Barnes', 'Harriet Barnes (persona 4)', 'Persona 2', "Zoë Ñúñez-O'Brien"]);
  });
});

describe('OASIS', () => {
  it('Twitter: the CSV has the loader columns, read back by DuckDB with the same personas', async () => {
    const p = file('twitter.csv', renderRows(ROWS, 'oasis-twitter', META));
    const got = await duck(`SELECT * FROM read_csv('${p}', header = true, all_varchar = true)`);
    expect(Object.keys(got[0]!)).toEqual([...OASIS_TWITTER_COLUMNS]);
    expect(got.map((r) => Number(r.user_id))).toEqual([0, 1, 2, 3]);
    expect(got.map((r) => Number(r.persona_id))).toEqual([1, 2, 3, 4]);
    expect(got.map((r) => r.following_agentid_list)).toEqual(['[]', '[]', '[]', '[]']);
    expect(got.map((r) => r.previous_tweets)).toEqual(['[]', '[]', '[]', '[]']);
    expect(got[0]!.user_char).toBe(agentPrompt(ROWS[0]!, META.norms));
    expect(got[0]!.description).toBe(shortBio(ROWS[0]!.narrative));
    expect(new Set(got.map((r) => r.username)).size).toBe(4);
    for (const r of got) expect(r.username).toMatch(/^[a-z0-9_]+$/);
    // A spreadsheet must not run the formula-like narrative: the bio is neutralised with a leading quote.
    expect(got[1]!.description).toBe("'=SUM(A1) is how this persona starts, with, commas");
  });

  it('Reddit: a JSON array with every key the loader indexes', async () => {
    const p = file('reddit.json', renderRows(ROWS, 'oasis-reddit', META));
    const users = z
      .array(
        z.object({
          realname: z.string(),
          username: z.string(),
          bio: z.string(),
          persona: z.string(),
          age: z.number().int().nullable(),
          gender: z.string().nullable(),
          mbti: z.null(),
          country: z.string().nullable(),
          profession: z.string().nullable(),
          interests: z.array(z.string()),
          persona_id: z.number().int(),
          weight: z.number(),
          count: z.number().int(),
        }),
      )
      .parse(JSON.parse(text(renderRows(ROWS, 'oasis-reddit', META))));
    expect(users.map((u) => u.persona_id)).toEqual([1, 2, 3, 4]);
    expect(users[1]).toMatchObject({ realname: 'Persona 2', gender: null, country: null, age: null });
    const got = await duck(`SELECT persona_id, username, age FROM read_json('${p}') ORDER BY persona_id`);
    expect(got.map((r) => Number(r.persona_id))).toEqual([1, 2, 3, 4]);
    expect(got[0]!.username).toBe(users[0]!.username);
  });
});

describe('Hugging Face dataset folder', () => {
  it('holds data/train.parquet (read by DuckDB) and a dataset card whose header matches it', async () => {
    const files = unzipSync(renderRows(ROWS, 'hf-dataset', META));
    expect(Object.keys(files).sort()).toEqual(['README.md', 'data/train.parquet']);
    const p = file('train.parquet', files['data/train.parquet']!);
    const got = await duck(`SELECT * FROM read_parquet('${p}')`);
    expect(Object.keys(got[0]!)).toEqual([...EXPORT_COLUMNS]);
    expect(got.map((r) => r.personaId)).toEqual([1, 2, 3, 4]);
    expect(got[2]!.E).toBeNull();
    expect(got[0]!.narrative).toBe(ROWS[0]!.narrative);
    const card = text(files['README.md']!);
    const header = card.split('---\n')[1]!;
    expect(header).toContain('license:\n- cc-by-4.0\n- mit\n');
    expect(header).toContain('size_categories:\n- n<1K\n');
    expect(header).toContain('    path: data/train.parquet\n');
    expect(header).toContain('    num_examples: 4\n');
    for (const f of PARQUET_FEATURES) expect(header).toContain(`  - name: ${f.name}\n    dtype: ${f.dtype}\n`);
    expect(card).toContain('arXiv:2509.10127');
    expect(card).toContain('Source (2023).');
    expect(card).toContain('Ref (2020).');
  });

  it('maps licences and sizes', () => {
    expect(['MIT, (c) 2023 Hang Jiang', 'CC BY 4.0', 'believed CC BY-NC-SA 4.0', 'Public domain (ipip.ori.org)', 'Free for research'].map(hfLicence)).toEqual([
      'mit',
      'cc-by-4.0',
      'cc-by-nc-sa-4.0',
      'cc0-1.0',
      'other',
    ]);
    expect([999, 1000, 99_999, 100_000, 2_000_000].map(sizeCategory)).toEqual(['n<1K', '1K<n<10K', '10K<n<100K', '100K<n<1M', '1M<n<10M']);
  });
});

describe('every format', () => {
  it('is deterministic: the same rows and meta give the same bytes', () => {
    for (const f of EXPORT_FORMATS) expect(Buffer.from(renderRows(ROWS, f, META)).equals(Buffer.from(renderRows(ROWS, f, META)))).toBe(true);
  });
  it('writes an empty set without failing', () => {
    for (const f of EXPORT_FORMATS) expect(() => renderRows([], f, META)).not.toThrow();
  });
});
