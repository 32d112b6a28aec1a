/**
 * The persona queries on PostgreSQL (db/pg/queries/personas, personaFilter, personaPage, personaDemographics, pool,
 * overview) against their SQLite originals (db/queries/...): the same small data set (sources, personas with
 * narratives, flags, demographics and revisions, trait scores from several instruments, posts, item answers, two
 * alignment runs, reference sets, baselines) seeded into a fresh SQLite database and a throw-away PostgreSQL cluster
 * (tests/support/postgres.ts, one for the file); the same calls on both (the list with every filter kind and sort,
 * paged, counts, ids and facets; the persona page's reads; a demographics update; the pool; the overview counts) and
 * the results compared. Without the server binaries the suite is skipped, except under CI, where it fails.
 *
 * Text search differs by design (db/pg/queries/personaFilter.ts): PostgreSQL matches prefixes of stemmed words, FTS5
 * prefixes of the words as written; the search words below ("teach", "teacher", "nurse", "oslo", "chess", "baker",
 * "lyon", "far", "student") find the same personas on both; "bakes" (stemmed to "bake", which "baker" and "baking"
 * are not) and "or" (a stop word, dropped) do not, as the last test shows. Relevance ranks with ts_rank rather than bm25: see the
 * relevance cases below for where the two orders agree.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { Db } from '@/db/client';
import type { PgDb } from '@/db/pg/client';
import * as pgOverview from '@/db/pg/queries/overview';
import * as pgDemographics from '@/db/pg/queries/personaDemographics';
import * as pgPage from '@/db/pg/queries/personaPage';
import * as pgPersonas from '@/db/pg/queries/personas';
import * as pgPool from '@/db/pg/queries/pool';
import * as pgSchema from '@/db/pg/schema';
import * as sqOverview from '@/db/queries/overview';
import * as sqDemographics from '@/db/queries/personaDemographics';
import type { FilterExtras, PersonaQueryFilter, PersonaQuerySort } from '@/db/queries/personaFilter';
import * as sqPage from '@/db/queries/personaPage';
import * as sqPersonas from '@/db/queries/personas';
import * as sqPool from '@/db/queries/pool';
import * as sqliteSchema from '@/db/schema';
import type { PersonaStatus } from '@/db/schema';
import { describePostgres, useBothDatabases, comparable } from '../../support/postgres';

// ---- the data set, seeded on both sides ----

const T0 = '2025-01-02T03:04:05.678Z';
const SOURCES = [
  { id: 'alpha', name: 'Zeta personas', kind: 'personas' as const, licence: 'MIT', citation: 'test', origin: 'tests', createdAt: T0 },
  { id: 'beta', name: 'Alpha personas', kind: 'personas' as const, licence: 'CC-BY-4.0', citation: 'test', origin: 'tests', createdAt: T0 },
  { id: 'inst', name: 'Instruments', kind: 'instrument' as const, licence: 'public domain', citation: 'test', origin: 'tests', createdAt: T0 },
  { id: 'ref', name: 'Reference sample', kind: 'reference' as const, licence: 'CC0', citation: 'test', origin: 'tests', createdAt: T0 },
  { id: 'base', name: 'Baselines', kind: 'baseline' as const, licence: 'MIT', citation: 'test', origin: 'tests', createdAt: T0 },
];
const INSTRUMENTS = [
  { id: 'bfi44', name: 'BFI-44', scaleMin: 1, scaleMax: 5, sourceId: 'inst', description: 'Big Five Inventory' },
  { id: 'ipip50', name: 'IPIP-50', scaleMin: 1, scaleMax: 5, sourceId: 'inst', description: 'IPIP Big-Five markers' },
];
const ITEMS = [
  { instrumentId: 'bfi44', itemId: 'b2', position: 2, trait: 'A' as const, keyed: '-' as const, text: 'Tends to find fault with others' },
  { instrumentId: 'bfi44', itemId: 'b1', position: 1, trait: 'E' as const, keyed: '+' as const, text: 'Is talkative' },
  { instrumentId: 'ipip50', itemId: 'i1', position: 1, trait: 'E' as const, keyed: '+' as const, text: 'Am the life of the party' },
];

type Origin = NonNullable<sqliteSchema.Persona['demographicsOrigin']>;
const given: Origin = { origin: { age: 'given', gender: 'given', country: 'given', occupation: 'given' }, evidence: {} };
const mixed: Origin = {
  origin: { age: 'stated', gender: 'inferred', country: 'given', occupation: 'unknown' },
  evidence: { age: 'I am 41', gender: 'she' },
  method: { age: 'rules', gender: 'llm' },
};
const dup = [{ code: 'duplicate', reason: 'same biography', relatedPersonaId: 1 }];
const short = [{ code: 'short', reason: 'too short' }];

interface SeedPersona {
  id: number;
  source: string;
  name: string | null;
  narrative: string;
  status: PersonaStatus;
  flags?: sqliteSchema.PersonaFlag[];
  critic?: number;
  /** [E, A, C, N, O] per instrument. */
  scores?: Record<string, [number, number, number, number, number]>;
  age?: number;
  ageBand?: string;
  gender?: 'female' | 'male' | 'other' | 'unknown';
  country?: string;
  occupation?: string;
  origin?: Origin | null;
  parentId?: number;
  duplicateOfId?: number;
  revision?: boolean;
}
const PERSONAS: SeedPersona[] = [
  { id: 1, source: 'alpha', name: 'Ana', narrative: 'A teacher in Lyon who cycles to school every morning.', status: 'measured', critic: 7, ageBand: '25-34', gender: 'female', country: 'FR', occupation: 'teacher', age: 31, origin: given, scores: { ipip50: [3.1, 3.6, 4.1, 2.1, 3.3], bfi44: [3, 3.5, 4, 2, 3.2] } },
  { id: 2, source: 'beta', name: 'ben', narrative: 'A nurse working night shifts in Leeds.', status: 'flagged', flags: dup, critic: 4, ageBand: '35-49', gender: 'male', country: 'GB', occupation: 'nurse', origin: mixed, duplicateOfId: 1, scores: { bfi44: [2.5, 4, 3, 3, 2.8] } },
  { id: 3, source: 'beta', name: 'Cleo', narrative: 'A retired farmer from Porto, fond of long walks.', status: 'measured', ageBand: '65+', gender: 'female', country: 'PT', occupation: 'farmer', scores: { 'zz-custom': [1, 1, 1, 1, 1], bfi44: [3.9, 2.2, 3.4, 1.5, 4.4] } },
  { id: 4, source: 'alpha', name: null, narrative: 'A student of teaching in Graz.', status: 'draft', critic: 6, ageBand: '18-24', country: 'AT', parentId: 1, origin: null },
  { id: 5, source: 'alpha', name: 'Dov', narrative: 'A baker in Haifa who bakes bread at night.', status: 'measured', critic: 5, ageBand: '35-49', gender: 'male', country: 'IL', occupation: 'baker', revision: true, parentId: 1, scores: { ipip50: [3.1, 2, 2, 4, 3] } },
  { id: 6, source: 'beta', name: 'Éli', narrative: 'A software engineer in Oslo, teacher of chess on weekends.', status: 'measured', flags: short, critic: 4, ageBand: '25-34', gender: 'other', country: 'NO', occupation: 'engineer', origin: given, scores: { ipip50: [4.5, 3, 3.3, 2.2, 4.8] } },
  { id: 7, source: 'alpha', name: 'Fay', narrative: 'A draft persona with flags but no scores.', status: 'flagged', flags: [...short, ...dup], ageBand: '25-34', gender: 'female', country: 'FR' },
  { id: 8, source: 'alpha', name: 'Gus', narrative: 'A fisherman far out at sea.', status: 'rejected', critic: 8.5, ageBand: '50-64', gender: 'male', country: 'FR', occupation: 'fisherman', parentId: 4, origin: mixed, scores: { ipip50: [2, 2, 2, 2, 2] } },
  { id: 9, source: 'beta', name: 'adam', narrative: 'A teacher of baking.', status: 'accepted', critic: 9, ageBand: '50-64', gender: 'male', country: 'GB', occupation: 'baker', scores: { bfi44: [3.1, 3.6, 2.5, 2.6, 3.9] } },
  { id: 10, source: 'beta', name: 'Baker Jo', narrative: 'A retired sailor.', status: 'measured', ageBand: '65+', gender: 'unknown', country: 'GB', duplicateOfId: 1, scores: { ipip50: [1.5, 4.2, 4.4, 3.1, 2] } },
];

function personaRows() {
  return PERSONAS.map((p) => ({
    id: p.id,
    sourceId: p.source,
    externalId: `p${p.id}`,
    name: p.name,
    narrative: p.narrative,
    status: p.status,
    flags: p.flags ?? [],
    qualityScores: p.critic === undefined ? null : { realism: { score: p.critic, reason: 'ok' }, coherence: { score: p.critic + 1, reason: 'ok' } },
    age: p.age ?? null,
    ageBand: p.ageBand ?? 'unknown',
    gender: p.gender ?? 'unknown',
    country: p.country ?? 'unknown',
    occupation: p.occupation ?? 'unknown',
    demographicsOrigin: p.origin ?? null,
    parentId: p.parentId ?? null,
    duplicateOfId: p.duplicateOfId ?? null,
    model: 'gpt-test',
    metadata: p.revision ? { groupRevision: { groupId: 1 } } : { imported: true },
    createdAt: T0,
  }));
}
function scoreRows() {
  return PERSONAS.flatMap((p) =>
    Object.entries(p.scores ?? {}).map(([instrumentId, [E, A, C, N, O]]) => ({
      personaId: p.id,
      instrumentId,
      E,
      A,
      C,
      N,
      O,
      // jsonb keeps object keys in its own order (shorter first): the spread is compared parsed
      spread: instrumentId === 'bfi44' ? { O: 0.25, E: 0.5, A: 0.125 } : null,
      createdAt: T0,
    })),
  );
}
const AUTHORS = [{ id: 1, sourceId: 'alpha', externalId: 'a1', createdAt: T0 }];
const POSTS = [
  { id: 1, sourceId: 'alpha', authorId: 1, text: 'Late post', postedAt: '2024-05-01', kept: true, quality: 'high' as const, createdAt: T0 },
  { id: 2, sourceId: 'alpha', authorId: 1, text: 'Undated post', postedAt: null, kept: false, cleanedText: 'undated', createdAt: T0 },
  { id: 3, sourceId: 'alpha', authorId: 1, text: 'Early post', postedAt: '2023-01-01', kept: null, createdAt: T0 },
];
const PERSONA_POSTS = [
  { personaId: 1, postId: 1 },
  { personaId: 1, postId: 2 },
  { personaId: 1, postId: 3 },
];
const RESPONSES = [
  { personaId: 1, instrumentId: 'bfi44', itemId: 'b2', value: 2, model: 'gpt-test', temperature: 0.7, repetition: 1, createdAt: T0 },
  { personaId: 1, instrumentId: 'bfi44', itemId: 'b2', value: 3, model: 'gpt-test', temperature: 0.7, repetition: 0, createdAt: T0 },
  { personaId: 1, instrumentId: 'bfi44', itemId: 'b1', value: 4, model: 'gpt-test', temperature: 0.7, repetition: 0, createdAt: T0 },
  { personaId: 1, instrumentId: 'ipip50', itemId: 'i1', value: 5, model: null, temperature: null, repetition: 0, createdAt: T0 },
  { personaId: 1, instrumentId: 'ipip50', itemId: 'gone', value: 1, model: null, temperature: null, repetition: 0, createdAt: T0 },
];
const RUNS = [
  {
    id: 1,
    name: 'first',
    status: 'done' as const,
    seed: 1,
    config: {} as sqliteSchema.AlignmentRun['config'],
    personaIds: [1, 2, 3, 5, 6, 9],
    weights: [0.5, 1.5, 2, 0.1, 1.25, 0.75],
    selection: [2, 3, 6],
    createdAt: T0,
  },
  { id: 2, name: 'second', status: 'failed' as const, seed: 2, config: {} as sqliteSchema.AlignmentRun['config'], personaIds: null, weights: null, selection: null, createdAt: '2025-01-03T00:00:00.000Z' },
  {
    id: 3,
    name: 'third',
    status: 'done' as const,
    seed: 3,
    config: {} as sqliteSchema.AlignmentRun['config'],
    personaIds: [6, 1],
    weights: [3, 0.25],
    selection: [1],
    createdAt: '2025-01-04T00:00:00.000Z',
  },
];
const REFERENCE_SETS = [
  { id: 'ref-a', name: 'Sample A', sourceId: 'ref', instrumentId: 'ipip50', description: 'first' },
  { id: 'ref-b', name: 'Sample B', sourceId: 'ref', instrumentId: 'bfi44', description: 'empty' },
];
const RESPONDENTS = [
  [3, 3, 3, 3, 3],
  [3.1, 2, 4.1, 2.1, 3.3],
  [4, 4, 4, 4, 4],
  [2, 3.6, 5, 1, 3.3],
].map(([E, A, C, N, O], i) => ({ referenceSetId: 'ref-a', row: i + 1, country: i % 2 ? 'FR' : 'GB', age: 20 + i, gender: 'female' as const, E: E!, A: A!, C: C!, N: N!, O: O!, answers: '1,2,3' }));
const BASELINES = [
  { sourceId: 'base', model: 'gpt-test', instrumentId: 'ipip50', temperature: 0.7, run: 0, E: 3, A: 3, C: 3, N: 3, O: 3, answers: { i1: 3 } },
  { sourceId: 'base', model: 'gpt-test', instrumentId: 'ipip50', temperature: 0.7, run: 1, E: 3.2, A: 3, C: 3, N: 3, O: 3, answers: null },
  { sourceId: 'alpha', model: 'other', instrumentId: 'bfi44', temperature: null, run: 0, E: 2, A: 2, C: 2, N: 2, O: 2, answers: null },
];

function seedSqlite(db: Db) {
  const s = sqliteSchema;
  db.insert(s.sources).values(SOURCES).run();
  db.insert(s.instruments).values(INSTRUMENTS).run();
  db.insert(s.instrumentItems).values(ITEMS).run();
  db.insert(s.personas).values(personaRows()).run();
  db.insert(s.traitScores).values(scoreRows()).run();
  db.insert(s.authors).values(AUTHORS).run();
  db.insert(s.posts).values(POSTS).run();
  db.insert(s.personaPosts).values(PERSONA_POSTS).run();
  db.insert(s.itemResponses).values(RESPONSES).run();
  db.insert(s.alignmentRuns).values(RUNS).run();
  db.insert(s.referenceSets).values(REFERENCE_SETS).run();
  db.insert(s.referenceRespondents).values(RESPONDENTS).run();
  db.insert(s.baselineResponses).values(BASELINES).run();
}

async function seedPg(db: PgDb) {
  const s = pgSchema;
  await db.insert(s.sources).values(SOURCES);
  await db.insert(s.instruments).values(INSTRUMENTS);
  await db.insert(s.instrumentItems).values(ITEMS);
  await db.insert(s.personas).values(personaRows());
  await db.insert(s.traitScores).values(scoreRows());
  await db.insert(s.authors).values(AUTHORS);
  await db.insert(s.posts).values(POSTS);
  await db.insert(s.personaPosts).values(PERSONA_POSTS);
  await db.insert(s.itemResponses).values(RESPONSES);
  await db.insert(s.alignmentRuns).values(RUNS);
  await db.insert(s.referenceSets).values(REFERENCE_SETS);
  await db.insert(s.referenceRespondents).values(RESPONDENTS);
  await db.insert(s.baselineResponses).values(BASELINES);
  // explicit ids: move the identity sequences past them, as SQLite's AUTOINCREMENT moves on
  for (const table of ['personas', 'authors', 'posts', 'alignment_runs']) {
    await db.execute(sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), (SELECT max(id) FROM ${sql.identifier(table)}))`);
  }
}

// ---- one API over both sides: the pg modules' shape; the SQLite functions' plain results are awaited as they are ----

interface Api {
  personas: typeof pgPersonas;
  page: typeof pgPage;
  demographics: typeof pgDemographics;
  pool: typeof pgPool;
  overview: typeof pgOverview;
}
const pgApi: Api = { personas: pgPersonas, page: pgPage, demographics: pgDemographics, pool: pgPool, overview: pgOverview };
const sqliteApi = { personas: sqPersonas, page: sqPage, demographics: sqDemographics, pool: sqPool, overview: sqOverview } as unknown as Api;

/** A transcript entry's value: results as they are, trait-score spreads parsed (jsonb orders keys its own way). */
function normalise(v: unknown): unknown {
  return comparable(v, { entry: (k, x) => (k === 'spread' && typeof x === 'string' ? JSON.parse(x) : undefined) });
}

const SORTS: PersonaQuerySort[] = ['relevance', 'risk', 'id', 'name', 'status', 'source', 'critic', 'E', 'A', 'C', 'N', 'O', 'weight'];

/** Every filter kind, alone and combined; `runId` is the run filters on weight and selection read. */
const FILTERS: { filter: PersonaQueryFilter; extras?: FilterExtras; runId?: number | null }[] = [
  { filter: {} },
  { filter: { q: 'teach' } },
  { filter: { q: 'Teacher' } },
  { filter: { q: 'teacher oslo' } },
  { filter: { q: '"nurse" Leeds!' } },
  { filter: { q: 'chess' } },
  { filter: { q: 'baker' } },
  { filter: { q: 'far' } },
  { filter: { q: 'student lyon' } },
  { filter: { q: '  *** ' } },
  { filter: { status: ['measured', 'flagged'] } },
  { filter: { source: ['beta'] } },
  { filter: { flag: ['none'] } },
  { filter: { flag: ['short'] } },
  { filter: { flag: ['duplicate', 'short'] } },
  { filter: { flag: ['none', 'duplicate'] } },
  { filter: { ageBand: ['25-34', '65+'] } },
  { filter: { gender: ['male', 'other'] } },
  { filter: { country: ['FR', 'GB'] } },
  { filter: { criticMin: 4.5 } },
  { filter: { criticMin: 4, criticMax: 7 } },
  { filter: { Emin: 3.05, Emax: 4 } },
  { filter: { Amin: 3 } },
  { filter: { Cmax: 3 } },
  { filter: { Nmin: 2, Nmax: 3 } },
  { filter: { Omin: 3.2 } },
  { filter: { weightMin: 1 }, runId: 1 },
  { filter: { weightMin: 0.2, weightMax: 1.3 }, runId: 1 },
  { filter: { selected: 'yes' }, runId: 1 },
  { filter: { selected: 'no' }, runId: 1 },
  { filter: { selected: 'yes' }, runId: 3 },
  { filter: { selected: 'yes' }, runId: null },
  { filter: { weightMax: 5 }, runId: 2 },
  { filter: { source: ['alpha', 'beta'], status: ['measured'], country: ['FR', 'NO', 'IL'], Emin: 3 } },
  { filter: { q: 'teacher', selected: 'no', flag: ['none'] }, runId: 1 },
  { filter: {}, extras: { pending: true } },
  { filter: {}, extras: { ids: [9, 2, 4] } },
  { filter: { status: ['measured'] }, extras: { ids: [] } },
  { filter: {}, extras: { riskAfter: [0, 4, 2] } },
  { filter: {}, extras: { riskAfter: [1, 1e9, 3] } },
  { filter: {}, extras: { secondOpinionFor: 'alice' } },
];

async function listScript(api: Api, db: never): Promise<unknown[]> {
  const { personas } = api;
  const out: unknown[] = [];
  out.push(['current run', await personas.getCurrentRun({ db })]);
  for (const runId of [1, 2, 3, 99]) out.push(['run weights', runId, await personas.getRunWeights({ db, runId })]);
  for (const { filter, extras, runId = null } of FILTERS) {
    out.push([
      'filter',
      filter,
      extras,
      await personas.listPersonas({ db, filter, extras, runId }),
      await personas.countPersonas({ db, filter, extras, runId }),
      await personas.listPersonaIds({ db, filter, extras, runId }),
      await personas.listPersonas({ db, filter, extras, runId, sort: 'risk', limit: 2, offset: 1 }),
    ]);
  }
  for (const sort of SORTS) {
    for (const dir of ['asc', 'desc'] as const) {
      const pages = [];
      for (let offset = 0; offset < 12; offset += 4) pages.push((await personas.listPersonas({ db, filter: {}, sort, dir, offset, limit: 4, runId: 1 })).map((r) => r.id));
      out.push(['sort', sort, dir, pages]);
    }
  }
  // relevance with a search: a name match ranks first, then two matches, then one, on both engines ("baker": 10 by
  // name, 5 in narrative and occupation, 9 in occupation). Among personas matching as often in the same fields bm25
  // puts the shorter narrative first and ts_rank the lower id: for "teacher" and "teach" only the leader (1: narrative
  // and occupation) and the set are compared.
  out.push(['relevance', 'baker', (await personas.listPersonas({ db, filter: { q: 'baker' }, sort: 'relevance', dir: 'desc' })).map((r) => r.id)]);
  for (const q of ['teacher', 'teach']) {
    const ids = (await personas.listPersonas({ db, filter: { q }, sort: 'relevance' })).map((r) => r.id);
    out.push(['relevance', q, ids[0], [...ids].sort((a, b) => a - b)]);
  }
  out.push(['filtered sort', await personas.listPersonas({ db, filter: { status: ['measured'] }, sort: 'weight', dir: 'desc', runId: 1, limit: 3 })]);
  const facetCases: { filter?: PersonaQueryFilter; runId?: number | null }[] = [
    {},
    { filter: { source: ['alpha'], ageBand: ['25-34'] } },
    { filter: { flag: ['short'], country: ['FR'] } },
    { filter: { q: 'teacher', gender: ['female'] } },
    { filter: { weightMin: 1, Emin: 2 }, runId: 1 },
    { filter: { selected: 'yes' }, runId: 1 },
  ];
  for (const c of facetCases) out.push(['facets', c, await personas.getPersonaFacets({ db, ...c })]);
  return out;
}

async function pageScript(api: Api, db: never): Promise<unknown[]> {
  const { page, personas } = api;
  const out: unknown[] = [];
  for (const id of [...PERSONAS.map((p) => p.id), 999]) {
    out.push([
      'persona',
      id,
      await page.getPersonaById({ db, id }),
      await page.listDuplicateIds({ db, id }),
      await page.listTraitScores({ db, personaId: id }),
      await page.listPersonaRuns({ db, personaId: id }),
      await page.listAncestorIds({ db, id }),
      await page.listDescendantIds({ db, id }),
    ]);
  }
  out.push(['summaries', await page.getPersonaSummaries({ db, ids: [3, 1, 4, 999] }), await page.getPersonaSummaries({ db, ids: [] })]);
  out.push(['duplicates limited', await page.listDuplicateIds({ db, id: 1, limit: 1 })]);
  out.push(['posts', await page.listPersonaPosts({ db, personaId: 1 }), await page.listPersonaPosts({ db, personaId: 2 })]);
  out.push(['answers', await page.listItemAnswers({ db, personaId: 1 }), await page.listItemAnswers({ db, personaId: 2 })]);
  out.push(['runs limited', await page.listPersonaRuns({ db, personaId: 1, limit: 2 })]);
  out.push(['default reference', await page.getDefaultReference({ db }), await personas.getDefaultReference({ db })]);
  const scores = { E: 3.1, A: 3, C: 4.1, N: 2.1, O: 3.3 };
  out.push(['reference below', await page.countReferenceBelow({ db, referenceSetId: 'ref-a', scores })]);
  out.push(['reference below (re-export)', await personas.countReferenceBelow({ db, referenceSetId: 'ref-a', scores: { E: 0, A: 9, C: 4, N: 4, O: 3.3 } })]);
  out.push(['reference below (empty)', await page.countReferenceBelow({ db, referenceSetId: 'ref-b', scores })]);
  return out;
}

async function demographicsScript(api: Api, db: never): Promise<unknown[]> {
  const { demographics: d, page } = api;
  const out: unknown[] = [];
  out.push(['without origin', await d.listPersonasWithoutDemographicsOrigin({ db, limit: 3 }), await d.listPersonasWithoutDemographicsOrigin({ db, limit: 100 })]);
  out.push(['candidates', await d.listDemographicsCandidateIds({ db })]);
  out.push(['candidates beta', await d.listDemographicsCandidateIds({ db, sourceId: 'beta' })]);
  out.push(['candidates ids', await d.listDemographicsCandidateIds({ db, personaIds: [1, 2, 3, 6, 999] }), await d.listDemographicsCandidateIds({ db, sourceId: 'alpha', personaIds: [] })]);
  out.push(['for demographics', await d.listPersonasForDemographics({ db, ids: [6, 2, 4] }), await d.listPersonasForDemographics({ db, ids: [] })]);
  out.push(['coverage', await d.demographicsCoverage({ db })]);
  await d.updatePersonaDemographics({
    db,
    rows: [
      { id: 4, age: 22, ageBand: '18-24', gender: 'female', country: 'AT', occupation: 'student', demographicsOrigin: mixed },
      { id: 3, age: null, ageBand: '65+', gender: 'female', country: 'PT', occupation: 'farmer', demographicsOrigin: given },
      { id: 7, age: null, ageBand: 'unknown', gender: 'unknown', country: 'unknown', occupation: 'unknown', demographicsOrigin: null },
    ],
  });
  await d.updatePersonaDemographics({ db, rows: [] });
  out.push(['after update', await d.listPersonasForDemographics({ db, ids: [3, 4, 7] })]);
  out.push(['after update without origin', await d.listPersonasWithoutDemographicsOrigin({ db, limit: 100 })]);
  out.push(['after update candidates', await d.listDemographicsCandidateIds({ db })]);
  out.push(['after update coverage', await d.demographicsCoverage({ db })]);
  out.push(['after update page', await page.getPersonaById({ db, id: 4 }), await page.getPersonaById({ db, id: 7 })]);
  return out;
}

async function poolAndOverviewScript(api: Api, db: never): Promise<unknown[]> {
  const { pool, overview: o } = api;
  return [
    ['pool', await pool.listPoolPersonas({ db })],
    ['by source and status', await o.countPersonasBySourceAndStatus({ db })],
    ['reference sets', await o.listReferenceSetsWithCounts({ db })],
    ['instruments', await o.listInstrumentsWithCounts({ db })],
    ['runs', await o.listRecentAlignmentRuns({ db }), await o.listRecentAlignmentRuns({ db, limit: 2 })],
    ['tables', await o.countTables({ db })],
    ['baselines', await o.countBaselinesBySource({ db })],
  ];
}

describePostgres('PostgreSQL persona queries', () => {
  let db: PgDb, lite: Db;
  useBothDatabases({ seedPg, seedSqlite }, (both) => ({ db, lite } = both));

  const both = async (script: (api: Api, db: never) => Promise<unknown[]>) => {
    const fromSqlite = normalise(await script(sqliteApi, lite as never));
    const fromPg = normalise(await script(pgApi, db as never));
    return { fromSqlite, fromPg };
  };

  it('lists, counts, pages and facets personas as SQLite does, for every filter kind and sort', async () => {
    const { fromSqlite, fromPg } = await both(listScript);
    for (const [i, entry] of (fromSqlite as unknown[]).entries()) expect((fromPg as unknown[])[i], JSON.stringify((entry as unknown[]).slice(0, 3))).toEqual(entry);
    // the cases found something: searches, runs and facets are not all empty
    const counts = (fromPg as unknown[][]).filter((e) => e[0] === 'filter').map((e) => e[4] as number);
    expect(counts.filter((n) => n > 0).length).toBeGreaterThan(30);
    expect(counts.filter((n) => n === 0).length).toBeGreaterThan(0);
  });

  it('reads the persona page as SQLite does: persona, scores, posts, answers, runs, revisions, reference', async () => {
    const { fromSqlite, fromPg } = await both(pageScript);
    for (const [i, entry] of (fromSqlite as unknown[]).entries()) expect((fromPg as unknown[])[i], JSON.stringify((entry as unknown[]).slice(0, 2))).toEqual(entry);
    // the reads found something: scores of several instruments, posts, answers, runs and a revision chain
    const flat = JSON.stringify(fromPg);
    for (const part of ['"instrumentName":"BFI-44"', '"kept":1', '"kept":0', '"text":"Is talkative"', '"inPool":true', '"weight":1.5', '"E_below":2'])
      expect(flat).toContain(part);
    expect((fromPg as unknown[][]).find((e) => e[0] === 'persona' && e[1] === 8)![6]).toEqual([4, 1]);
  });

  it('reads and writes demographics and their origin as SQLite does', async () => {
    const { fromSqlite, fromPg } = await both(demographicsScript);
    for (const [i, entry] of (fromSqlite as unknown[]).entries()) expect((fromPg as unknown[])[i], JSON.stringify((entry as unknown[])[0])).toEqual(entry);
  });

  it('gives the pool and the overview counts SQLite gives', async () => {
    const { fromSqlite, fromPg } = await both(poolAndOverviewScript);
    for (const [i, entry] of (fromSqlite as unknown[]).entries()) expect((fromPg as unknown[])[i], JSON.stringify((entry as unknown[])[0])).toEqual(entry);
  });

  it('runs in a transaction: its reads see its demographics update, which a rollback undoes', async () => {
    const before = await pgDemographics.listPersonasForDemographics({ db, ids: [10] });
    const coverageBefore = await pgDemographics.demographicsCoverage({ db });
    let inside: unknown;
    const outcome = await db
      .transaction(async (tx) => {
        await pgDemographics.updatePersonaDemographics({
          db: tx,
          rows: [{ id: 10, age: 70, ageBand: '65+', gender: 'male', country: 'DK', occupation: 'sailor', demographicsOrigin: given }],
        });
        inside = {
          ids: await pgPersonas.listPersonaIds({ db: tx, filter: { country: ['DK'] } }),
          genders: (await pgPersonas.getPersonaFacets({ db: tx, filter: { country: ['DK'] } })).genders,
          occupations: (await pgDemographics.demographicsCoverage({ db: tx })).occupation,
          tables: await pgOverview.countTables({ db: tx }),
        };
        throw new Error('roll back');
      })
      .catch((e: Error) => e.message);
    expect(outcome).toBe('roll back');
    expect(inside).toEqual({
      ids: [10],
      genders: [{ value: 'male', n: 1 }],
      occupations: { ...coverageBefore.occupation, given: coverageBefore.occupation.given! + 1, unrecorded: coverageBefore.occupation.unrecorded! - 1 },
      tables: { personas: PERSONAS.length, referenceRespondents: RESPONDENTS.length, instruments: INSTRUMENTS.length, baselineResponses: BASELINES.length, alignmentRuns: RUNS.length },
    });
    expect(await pgDemographics.listPersonasForDemographics({ db, ids: [10] })).toEqual(before);
    expect(await pgDemographics.demographicsCoverage({ db })).toEqual(coverageBefore);
    expect(await pgPersonas.listPersonaIds({ db, filter: { country: ['DK'] } })).toEqual([]);
  });

  it('differs from FTS5 by design on stemmed words and stop words', async () => {
    const ids = async (q: string) => [
      sqPersonas.listPersonaIds({ db: lite, filter: { q } }),
      await pgPersonas.listPersonaIds({ db, filter: { q } }),
    ];
    // FTS5: prefixes of "bakes" as written; PostgreSQL: prefixes of the stem "bake" (bakes, baking, baker)
    expect(await ids('bakes')).toEqual([[5], [5, 9, 10]]);
    // FTS5 requires a word starting with "or"; PostgreSQL drops the stop word and matches "nurse" alone
    expect(await ids('nurse or')).toEqual([[], [2]]);
  });

  it('reports the connection settings: the write-ahead log, foreign keys enforced unless the session replicates', async () => {
    expect(await pgOverview.readConnectionSettings({ db })).toEqual({ journalMode: 'wal', foreignKeys: true });
    const replicating = await db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL session_replication_role = replica`);
      return pgOverview.readConnectionSettings({ db: tx });
    });
    expect(replicating).toEqual({ journalMode: 'wal', foreignKeys: false });
    expect(sqOverview.readConnectionSettings({ db: lite }).foreignKeys).toBe(true);
  });
});
