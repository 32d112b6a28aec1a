/**
 * The PostgreSQL twins of the group, target, run, export and baseline queries (db/pg/queries/groups, targets, runs,
 * exports, baselines) against their SQLite originals, on a throw-away PostgreSQL 15+ cluster (tests/support/postgres.ts,
 * one for the file): the same small data set seeded on a fresh in-memory SQLite database and on PostgreSQL (through
 * the two schemas), the same sequence of calls run on both, and every outcome compared (ids, order, JSON columns,
 * stored bytes, errors; timestamps by their text form). Then the all-or-nothing transactions: an export whose files
 * fail to insert leaves nothing behind, on both sides. Without the server binaries the suite is skipped, except under
 * CI, where it fails (.ci/run installs PostgreSQL).
 */
import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { openDatabase, type Db } from '@/db/client';
import type { ExportManifest, GroupDefinition, RunConfig, RunDiagnostics, RunMetrics } from '@/db/json';
import { openPgDatabase, type PgDatabase, type PgDb } from '@/db/pg/client';
import * as pgAudit from '@/db/pg/queries/audit';
import * as pgBaselines from '@/db/pg/queries/baselines';
import * as pgExports from '@/db/pg/queries/exports';
import * as pgGroups from '@/db/pg/queries/groups';
import * as pgRuns from '@/db/pg/queries/runs';
import * as pgTargets from '@/db/pg/queries/targets';
import * as pgSchema from '@/db/pg/schema';
import * as sqAudit from '@/db/queries/audit';
import * as sqBaselines from '@/db/queries/baselines';
import * as sqExports from '@/db/queries/exports';
import * as sqGroups from '@/db/queries/groups';
import * as sqRuns from '@/db/queries/runs';
import * as sqTargets from '@/db/queries/targets';
import * as sqliteSchema from '@/db/schema';
import type { PersonaStatus } from '@/db/schema';
import { describePostgres, useBothDatabases, type TestPostgres, comparable, maskTimestamps } from '../../support/postgres';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- the data set, seeded on both sides (ids assigned by each database, in insertion order) ----

const SOURCES = [
  { id: 'demo', name: 'Demo personas', kind: 'personas' as const, licence: 'MIT', citation: 'test', origin: 'tests' },
  { id: 'Zeta', name: 'Zeta personas', kind: 'personas' as const, licence: 'MIT', citation: 'zeta', origin: 'tests' },
  { id: 'empty', name: 'No personas', kind: 'personas' as const, licence: 'MIT', citation: 'none', origin: 'tests' },
  { id: 'ref', name: 'Reference survey', kind: 'reference' as const, licence: 'CC-BY', citation: 'Survey 2020', origin: 'tests' },
  { id: 'bl', name: 'Baselines', kind: 'baseline' as const, licence: 'MIT', citation: 'baseline', origin: 'tests' },
  { id: 'Abl', name: 'Other baselines', kind: 'baseline' as const, licence: 'MIT', citation: 'baseline 2', origin: 'tests' },
];

interface P {
  name: string | null;
  sourceId: string;
  ageBand: string;
  gender: 'female' | 'male' | 'other' | 'unknown';
  country: string;
  occupation: string;
  status: PersonaStatus;
  scores: ('bfi44' | 'ipip50' | 'mini-markers-40')[];
  metadata?: Record<string, unknown> | null;
  parentId?: number;
}
const PERSONAS: P[] = [
  /* 1 */ { name: 'Ana', sourceId: 'demo', ageBand: '25-34', gender: 'female', country: 'France', occupation: 'Teacher', status: 'measured', scores: ['bfi44', 'ipip50'] },
  /* 2 */ { name: 'Ben', sourceId: 'demo', ageBand: '35-49', gender: 'male', country: 'UK', occupation: 'Nurse', status: 'accepted', scores: ['bfi44'] },
  /* 3 */ { name: 'Cleo', sourceId: 'Zeta', ageBand: '50+', gender: 'female', country: 'portugal', occupation: 'Retired farmer', status: 'rejected', scores: ['ipip50'] },
  /* 4 */ { name: null, sourceId: 'demo', ageBand: '18-24', gender: 'other', country: 'Austria', occupation: '100% student_of teaching', status: 'draft', scores: [] },
  /* 5 */ { name: 'Dov', sourceId: 'Zeta', ageBand: '25-34', gender: 'male', country: 'Portugal', occupation: 'Baker', status: 'measured', scores: ['mini-markers-40', 'bfi44'] },
  /* 6 */ { name: 'Eli', sourceId: 'demo', ageBand: 'unknown', gender: 'unknown', country: 'france', occupation: 'Software engineer', status: 'flagged', scores: ['mini-markers-40'], metadata: { groupRevision: null, note: 'x' } },
  /* 7 revision of 1 for group 1 */ {
    name: 'Ana (adapted)',
    sourceId: 'demo',
    ageBand: '25-34',
    gender: 'female',
    country: 'France',
    occupation: 'Teacher',
    status: 'measured',
    scores: ['bfi44'],
    metadata: { groupRevision: { groupId: 1, reason: 'closer', round: 1 } },
    parentId: 1,
  },
  /* 8 revision of 2 for group 1, groupId written as 1.0 */ {
    name: 'Ben (adapted)',
    sourceId: 'demo',
    ageBand: '35-49',
    gender: 'male',
    country: 'UK',
    occupation: 'Nurse',
    status: 'draft',
    scores: [],
    metadata: { groupRevision: { groupId: 1.0 } },
    parentId: 2,
  },
  /* 9 revision whose group id is the string "1" (not group 1, on either side) */ {
    name: 'Odd',
    sourceId: 'demo',
    ageBand: '25-34',
    gender: 'female',
    country: 'France',
    occupation: 'Teacher',
    status: 'measured',
    scores: [],
    metadata: { groupRevision: { groupId: '1' } },
    parentId: 1,
  },
  /* 10 revision of 5 for group 2 */ {
    name: 'Dov (adapted)',
    sourceId: 'Zeta',
    ageBand: '25-34',
    gender: 'male',
    country: 'Portugal',
    occupation: 'Baker',
    status: 'rejected',
    scores: ['ipip50'],
    metadata: { groupRevision: { groupId: 2 } },
    parentId: 5,
  },
];
const SCORE = (i: number, k: number) => ({ E: 2 + ((i * 7 + k) % 5) / 2, A: 3.25, C: 1.5 + i / 10, N: 4 - k / 4, O: 3 });

function personaRows() {
  return PERSONAS.map((p, i) => ({
    sourceId: p.sourceId,
    externalId: `p${i + 1}`,
    parentId: p.parentId ?? null,
    name: p.name,
    narrative: `Narrative of persona ${i + 1}.`,
    age: 20 + i,
    ageBand: p.ageBand,
    gender: p.gender,
    country: p.country,
    occupation: p.occupation,
    model: i % 2 ? 'gpt-test' : null,
    status: p.status,
    metadata: p.metadata ?? null,
  }));
}
function scoreRows() {
  return PERSONAS.flatMap((p, i) => p.scores.map((instrumentId, k) => ({ personaId: i + 1, instrumentId, ...SCORE(i, k) })));
}
const REFERENCE_SET = { id: 'big5', name: 'Big Five survey', sourceId: 'ref', instrumentId: 'ipip50', description: 'test respondents' };
const COUNTRIES = ['US', 'GB', 'DE', 'US', 'GB', 'FR', 'US', 'DE', 'gb', 'IT'];
function respondentRows() {
  return COUNTRIES.map((country, i) => ({
    referenceSetId: 'big5',
    row: 100 - i * 3,
    country,
    age: i === 4 ? null : 18 + i * 6,
    gender: (['female', 'male', 'other', 'unknown'] as const)[i % 4]!,
    E: 1 + i / 4,
    A: 3,
    C: 2.5,
    N: 5 - i / 5,
    O: 3.5,
    answers: `a${i}`,
  }));
}
function normRows() {
  const rows = [];
  for (const group of ['Female 21-40', 'Male 21-40', 'female 21-40']) {
    for (const scale of ['O', 'E', 'N']) rows.push({ sourceId: 'ref', table: 'johnson', groupType: 'sex-age', group, scale, level: 'domain', unit: 'raw', n: 10, mean: scale.charCodeAt(0) / 10, sd: group.length / 10 });
  }
  rows.push({ sourceId: 'ref', table: 'johnson', groupType: 'age', group: 'Male 21-40', scale: 'A', level: 'domain', unit: 'raw', n: 5, mean: 3, sd: 1 });
  rows.push({ sourceId: 'ref', table: 'mccrae', groupType: 'country', group: 'US', scale: 'E', level: 'domain', unit: 't', n: null, mean: 50, sd: null });
  return rows;
}
function baselineRows() {
  return [
    { sourceId: 'bl', model: 'm1', instrumentId: 'bfi44', temperature: 0.7, E: 3, A: 3, C: 3, N: 3, O: 3 },
    { sourceId: 'bl', model: 'm1', instrumentId: 'bfi44', temperature: null, E: 3.5, A: 3, C: 3, N: 3, O: 3 },
    { sourceId: 'Abl', model: 'm2', instrumentId: 'ipip50', temperature: 1, E: 2, A: 2, C: 2, N: 2, O: 2 },
    { sourceId: 'bl', model: 'm2', instrumentId: 'bfi44', temperature: 0.7, systemPrompt: 'p', E: 4, A: 4, C: 4, N: 4, O: 4 },
    { sourceId: 'bl', model: 'm1', instrumentId: 'bfi44', temperature: 0, run: 1, E: 1, A: 1, C: 1, N: 1, O: 1, answers: { q1: 2 } },
  ];
}
const REASONS = [{ code: 'other', label: 'Other', position: 1 }];
/** Decisions: persona 1 accepted by alice then rejected by bob (undone by bob), 2 accepted by bob, 3 rejected by carol. */
function decisionRows() {
  return [
    { personaId: 1, reviewer: 'alice', decision: 'accept' as const, statusBefore: 'measured' as const, statusAfter: 'accepted' as const },
    { personaId: 1, reviewer: 'bob', decision: 'reject' as const, statusBefore: 'accepted' as const, statusAfter: 'rejected' as const, reasonCode: 'other' },
    { personaId: 1, reviewer: 'bob', decision: 'undo' as const, undoesId: 2, statusBefore: 'rejected' as const, statusAfter: 'accepted' as const },
    { personaId: 2, reviewer: 'bob', decision: 'accept' as const, statusBefore: 'measured' as const, statusAfter: 'accepted' as const },
    { personaId: 3, reviewer: 'carol', decision: 'reject' as const, statusBefore: 'measured' as const, statusAfter: 'rejected' as const },
  ];
}
const JOB = { kind: 'align', status: 'done' as const, params: {} as never };

function seedSqlite(db: Db) {
  db.insert(sqliteSchema.sources).values(SOURCES).run();
  db.insert(sqliteSchema.personas).values(personaRows()).run();
  db.insert(sqliteSchema.traitScores).values(scoreRows()).run();
  db.insert(sqliteSchema.referenceSets).values(REFERENCE_SET).run();
  db.insert(sqliteSchema.referenceRespondents).values(respondentRows()).run();
  db.insert(sqliteSchema.norms).values(normRows()).run();
  db.insert(sqliteSchema.baselineResponses).values(baselineRows()).run();
  db.insert(sqliteSchema.reasonCodes).values(REASONS).run();
  db.insert(sqliteSchema.reviewDecisions).values(decisionRows()).run();
  db.insert(sqliteSchema.jobs).values([JOB, JOB]).run();
}

async function seedPg(db: PgDb) {
  await db.insert(pgSchema.sources).values(SOURCES);
  await db.insert(pgSchema.personas).values(personaRows());
  await db.insert(pgSchema.traitScores).values(scoreRows());
  await db.insert(pgSchema.referenceSets).values(REFERENCE_SET);
  await db.insert(pgSchema.referenceRespondents).values(respondentRows());
  await db.insert(pgSchema.norms).values(normRows());
  await db.insert(pgSchema.baselineResponses).values(baselineRows());
  await db.insert(pgSchema.reasonCodes).values(REASONS);
  await db.insert(pgSchema.reviewDecisions).values(decisionRows());
  await db.insert(pgSchema.jobs).values([JOB, JOB]);
}

// ---- the JSON documents the calls write ----

const spec = { referenceSetId: 'big5', filters: { countries: ['US'], genders: [] }, preset: { kind: 'none' as const }, edits: { E: { shift: 0.5, spread: 1 }, A: { shift: 0, spread: 1 }, C: { shift: 0, spread: 1 }, N: { shift: 0, spread: 0.5 }, O: { shift: 0, spread: 1 } } };
function definition(description: string, filters: Partial<GroupDefinition['personas']['filters']> = {}): GroupDefinition {
  return {
    reference: spec,
    personas: { description, filters: { ageBands: [], genders: [], countries: [], sources: [], ...filters }, retrieveCount: 50 },
  };
}
/** A definition as an older version stored it (no persona side): read back with the defaults filled in. */
const OLD_DEFINITION = { reference: { referenceSetId: 'big5' } } as unknown as GroupDefinition;

function config(name: string, seed: number, group?: GroupDefinition): RunConfig {
  return { request: { name, seed, size: 3, spec, config: { variant: 'balanced', epsilonFactor: 0.05 } }, targetDescription: 'US adults', targetN: 3, ...(group ? { group: { definition: group } } : {}), extra: { kept: [1, 'two'] } };
}
const METRICS = { raw: { amw: 0.1, fd: 0.2, sw: 0.3, mmd: 0.04, maecorr: null }, resample: { amw: 0.05, fd: 0.1, sw: 0.2, mmd: 0.01, maecorr: 0.02 }, custom: 'kept' } as unknown as RunMetrics;
const DIAGNOSTICS: RunDiagnostics = { ess: 2.5, designEffect: 1.2, maxWeightShare: 0.4, khat: 0.3, converged: true, iterations: 12, candidateCount: 5, selectionSize: 3, warnings: ['heavy tail'], ot: null };
const sha = (c: string) => c.repeat(64);
function manifest(runId: number | null, files: Partial<Record<string, { sha256: string; bytes: number }>>): ExportManifest {
  return {
    schema: 'populace-export-manifest/1',
    populaceVersion: '0.0.0-test',
    request: { source: runId === null ? { kind: 'pool' } : { kind: 'run', runId }, set: 'selection', unique: false, seed: 0, format: 'jsonl' },
    source: { kind: runId === null ? 'pool' : 'run', run: runId === null ? null : { id: runId, name: 'r', seed: 1, status: 'done' }, group: null, target: null },
    engine: { config: null, seed: null },
    reference: null,
    personaSources: [{ id: 'demo', name: 'Demo personas', licence: 'MIT', citation: 'test', personas: 2 }],
    metrics: null,
    diagnostics: null,
    coverage: null,
    review: { byStatus: { measured: 2 }, accepted: 1, rejected: 0, reviewers: 1, decisions: 1 },
    selection: { k: 2, distinct: 2, unique: false, seed: null, method: 'stored' },
    columns: ['persona_id', 'weight'],
    rows: [
      { personaId: 1, weight: 0.5, count: 1, sha256: sha('a') },
      { personaId: 2, weight: 1.5, count: 1, sha256: sha('b') },
    ],
    rowsSha256: sha('c'),
    files,
  } as ExportManifest;
}
const bytes = (text: string) => new TextEncoder().encode(text);
const audit = (action: string, entityId: number) => ({ actor: 'alice', action, entity: 'thing', entityId, details: { zeta: 1, alpha: [true, null], nested: { b: 'x', a: 2 } } });

// ---- one API over both sides (SQLite's synchronous functions are called through the pg types: awaiting a value gives it back) ----

interface Api {
  groups: typeof pgGroups;
  targets: typeof pgTargets;
  runs: typeof pgRuns;
  exports: typeof pgExports;
  baselines: typeof pgBaselines;
  audit: typeof pgAudit;
}
const pgApi: Api = { groups: pgGroups, targets: pgTargets, runs: pgRuns, exports: pgExports, baselines: pgBaselines, audit: pgAudit };
const sqliteApi = { groups: sqGroups, targets: sqTargets, runs: sqRuns, exports: sqExports, baselines: sqBaselines, audit: sqAudit } as unknown as Api;

const TIME_KEYS = ['createdAt', 'updatedAt', 'finishedAt'];

/** A result with its timestamps checked for SQLite's form and replaced by a marker, JSON text parsed, bytes as hex. */
function normalise(x: unknown): unknown {
  const stamp = maskTimestamps(TIME_KEYS);
  return comparable(x, {
    value: (v) => (v instanceof Uint8Array ? `bytes:${Buffer.from(v).toString('hex')}` : undefined),
    // listGroupRevisionRows: the metadata JSON as text (its form differs: compare what it says)
    entry: (k, v) => stamp(k, v) ?? (k === 'metadata' && typeof v === 'string' ? { json: JSON.parse(v) } : undefined),
  });
}

async function outcome(p: () => unknown): Promise<unknown> {
  try {
    return normalise(await p());
  } catch (e) {
    // SQLite's unique-index message, or PostgreSQL's unique_violation (on the error or the one drizzle wraps)
    const err = e as Error & { code?: string; cause?: { code?: string } };
    return { threw: true, unique: /UNIQUE constraint failed/.test(err.message) || err.code === '23505' || err.cause?.code === '23505' };
  }
}

/** The same sequence of calls on either side; the transcript of every outcome, by step name. */
async function script(api: Api, db: never): Promise<Record<string, unknown>> {
  const { groups, targets, runs, exports, baselines } = api;
  const t: Record<string, unknown> = {};
  const step = async (name: string, p: () => unknown) => {
    expect(t, `step ${name} twice`).not.toHaveProperty(name);
    t[name] = await outcome(p);
  };

  // groups
  await step('group A', () => groups.insertGroupRow({ db, name: 'Teachers in France', definition: definition('teachers', { countries: ['France'], occupationContains: 'teach' }) }));
  await step('group B', () => groups.insertGroupRow({ db, name: 'bakers', definition: definition('bakers', { sources: ['Zeta'] }) }));
  await step('group A again', () => groups.insertGroupRow({ db, name: 'Teachers in France', definition: definition('dup') }));
  await step('group C (next id, no gap)', () => groups.insertGroupRow({ db, name: 'Älter', definition: OLD_DEFINITION }));
  await step('if absent', () =>
    groups.insertGroupsIfAbsent({
      db,
      rows: [
        { name: 'bakers', definition: definition('taken') },
        { name: 'presets 1', definition: definition('p1') },
        { name: 'presets 2', definition: definition('p2') },
        { name: 'presets 1', definition: definition('p1 again') },
      ],
    }),
  );
  await step('if absent none', () => groups.insertGroupsIfAbsent({ db, rows: [] }));
  await step('if absent all taken', () => groups.insertGroupsIfAbsent({ db, rows: [{ name: 'presets 2', definition: definition('x') }] }));
  await step('group D (the ids the skipped rows took stay used)', () => groups.insertGroupRow({ db, name: 'group D', definition: definition('d') }));
  await step('list groups', () => groups.listGroupRows({ db }));
  await step('group 2', () => groups.getGroupRow({ db, id: 2 }));
  await step('group 99', () => groups.getGroupRow({ db, id: 99 }));
  await step('group by name', () => groups.getGroupRowByName({ db, name: 'Älter' }));
  await step('group by name (case)', () => groups.getGroupRowByName({ db, name: 'BAKERS' }));
  await step('update B', () => groups.updateGroupRow({ db, id: 2, name: 'Bakers (all)', definition: definition('bakers v2', { genders: ['male'] }) }));
  await step('update B to a taken name', () => groups.updateGroupRow({ db, id: 2, name: 'Älter', definition: definition('x') }));
  await step('update 99', () => groups.updateGroupRow({ db, id: 99, name: 'ghost', definition: definition('x') }));
  await step('meta unset', () => groups.getMetaValue({ db, key: 'presets' }));
  await step('meta set', () => groups.setMetaValue({ db, key: 'presets', value: 'v1' }));
  await step('meta replace', () => groups.setMetaValue({ db, key: 'presets', value: 'v2' }));
  await step('meta get', () => groups.getMetaValue({ db, key: 'presets' }));

  // retrieval candidates, revisions and scores
  const filters: [string, sqGroups.CandidateFilters][] = [
    ['none', {}],
    ['France (any case)', { countries: ['FRANCE'] }],
    ['teach', { occupationContains: 'TEACH' }],
    ['percent', { occupationContains: '100%' }],
    ['underscore (not a wildcard)', { occupationContains: 'a_e' }],
    ['literal underscore', { occupationContains: 'student_' }],
    ['backslash', { occupationContains: 'a\\b' }],
    ['ages and genders', { ageBands: ['25-34', '50+'], genders: ['female', 'male'] }],
    ['sources', { sources: ['Zeta', 'empty'] }],
    ['empty lists', { ageBands: [], genders: [], countries: [], sources: [] }],
  ];
  for (const [name, f] of filters) await step(`candidates ${name}`, () => groups.listGroupCandidates({ db, filters: f }));
  for (const g of [1, 2, 3]) await step(`revisions of group ${g}`, () => groups.listGroupRevisionRows({ db, groupId: g }));
  await step('insert revision', () =>
    groups.insertRevisionRow({
      db,
      persona: { sourceId: 'demo', externalId: 'rev-3', parentId: 3, name: 'Cleo (adapted)', narrative: 'Adapted.', status: 'draft', metadata: { groupRevision: { groupId: 1 } } },
    }),
  );
  await step('revisions of group 1 after', () => groups.listGroupRevisionRows({ db, groupId: 1 }));
  for (const [parentId, groupId] of [[1, 1], [2, 1], [1, 2], [5, 2], [3, 1], [4, 1]] as const) {
    await step(`count revisions ${parentId}/${groupId}`, () => groups.countRevisionsOf({ db, parentId, groupId }));
  }
  await step('scores bfi44', () => groups.listScoresForInstrument({ db, ids: [7, 5, 1, 2, 99], instrumentId: 'bfi44' }));
  await step('scores none', () => groups.listScoresForInstrument({ db, ids: [], instrumentId: 'bfi44' }));
  await step('preferred scores', () => groups.listPreferredScores({ db, ids: [6, 5, 4, 3, 2, 1, 10] }));
  await step('preferred none', () => groups.listPreferredScores({ db, ids: [] }));
  await step('persona sources', () => groups.listPersonaSourceRows({ db }));
  await step('candidate demographics', () => groups.listCandidateDemographics({ db }));

  // targets and reference data
  const respondentFilters: [string, sqTargets.RespondentFilters][] = [
    ['all', {}],
    ['US GB', { countries: ['US', 'GB'] }],
    ['ages', { ageMin: 25, ageMax: 50 }],
    ['genders', { genders: ['female', 'unknown'], ageMin: 18 }],
  ];
  for (const [name, f] of respondentFilters) {
    await step(`traits ${name}`, () => targets.listReferenceTraits({ db, referenceSetId: 'big5', filters: f }));
    await step(`count ${name}`, () => targets.countReferenceRespondents({ db, referenceSetId: 'big5', filters: f }));
  }
  await step('count other set', () => targets.countReferenceRespondents({ db, referenceSetId: 'nope', filters: {} }));
  await step('by country', () => targets.countRespondentsByCountry({ db, referenceSetId: 'big5' }));
  await step('reference set', () => targets.getReferenceSet({ db, id: 'big5' }));
  await step('reference set missing', () => targets.getReferenceSet({ db, id: 'nope' }));
  await step('norm rows', () => targets.listNormRows({ db, table: 'johnson', group: 'Male 21-40' }));
  await step('norm rows none', () => targets.listNormRows({ db, table: 'johnson', group: 'male 21-40' }));
  await step('norm groups', () => targets.listNormGroups({ db, table: 'johnson' }));
  await step('norm table', () => targets.listNormTable({ db, table: 'johnson' }));
  await step('norm table mccrae', () => targets.listNormTable({ db, table: 'mccrae' }));
  await step('demographics', () => targets.listReferenceDemographics({ db, referenceSetId: 'big5' }));
  const edits = spec.edits;
  await step('save target b', () => targets.saveTarget({ db, name: 'b', referenceSetId: 'big5', filters: { countries: ['US'], genders: [] }, edits }));
  await step('save target B', () => targets.saveTarget({ db, name: 'B', referenceSetId: 'big5', filters: { countries: [], genders: ['female'], ageMin: 20, preset: { kind: 'johnson', sex: 'Female', ageGroup: '21-40' } }, edits }));
  await step('replace target b', () => targets.saveTarget({ db, name: 'b', referenceSetId: 'big5', filters: { countries: ['GB'], genders: [], preset: { kind: 'mccrae', country: 'US' } }, edits }));
  await step('save target a (after a replace)', () => targets.saveTarget({ db, name: 'a', referenceSetId: 'big5', filters: { countries: [], genders: [] }, edits }));
  await step('save target on a missing set', () => targets.saveTarget({ db, name: 'c', referenceSetId: 'nope', filters: { countries: [], genders: [] }, edits }));
  await step('list targets', () => targets.listTargets({ db }));
  await step('target by name', () => targets.getTargetByName({ db, name: 'b' }));
  await step('target by name missing', () => targets.getTargetByName({ db, name: 'A' }));
  await step('target by id', () => targets.getTargetById({ db, id: 2 }));
  await step('target by id missing', () => targets.getTargetById({ db, id: 99 }));

  // runs
  await step('run 1', () => runs.insertRun({ db, name: 'first', seed: 1, config: config('first', 1) }));
  await step('run 2 (group A)', () => runs.insertRun({ db, name: 'group run', seed: 2, config: config('group run', 2, definition('teachers')), targetId: 1, groupId: 1, jobId: 1, createdBy: 'alice' }));
  await step('run 3 (group A)', () => runs.insertRun({ db, name: 'group run 2', seed: 3, config: config('group run 2', 3), groupId: 1 }));
  await step('run 4 (group B)', () => runs.insertRun({ db, name: 'bakers run', seed: 4, config: config('bakers run', 4), groupId: 2 }));
  await step('run on a missing group', () => runs.insertRun({ db, name: 'bad', seed: 5, config: config('bad', 5), groupId: 99 }));
  await step('complete 1', () => runs.completeRun({ db, id: 1, personaIds: [1, 2, 5], weights: [0.5, 1.25, 1.25], selection: [2, 5, 2], metrics: METRICS, diagnostics: DIAGNOSTICS, trace: [0.3, 0.1, 0.01] }));
  await step('complete 2', () => runs.completeRun({ db, id: 2, personaIds: [1, 7], weights: [1, 1], selection: [7], metrics: {}, diagnostics: { ...DIAGNOSTICS, warnings: [] }, trace: [] }));
  await step('fail 3', () => runs.setRunStatus({ db, id: 3, status: 'failed' }));
  await step('job of 4', () => runs.setRunJob({ db, id: 4, jobId: 2 }));
  await step('run by id 1', () => runs.getRunById({ db, id: 1 }));
  await step('run by id 99', () => runs.getRunById({ db, id: 99 }));
  await step('run by job 1', () => runs.getRunByJobId({ db, jobId: 1 }));
  await step('run by job 2', () => runs.getRunByJobId({ db, jobId: 2 }));
  await step('run by job 3', () => runs.getRunByJobId({ db, jobId: 3 }));
  await step('header', () => runs.getRunHeader({ db, id: 3 }));
  await step('header missing', () => runs.getRunHeader({ db, id: 99 }));
  await step('finished headers', () => runs.listFinishedRunHeaders({ db }));
  await step('finished headers 1', () => runs.listFinishedRunHeaders({ db, limit: 1 }));
  await step('summaries', () => runs.listRunSummaries({ db }));
  await step('summaries 2', () => runs.listRunSummaries({ db, limit: 2 }));
  await step('runs by ids', () => runs.getRunsByIds({ db, ids: [4, 1, 99, 2] }));
  await step('runs by no ids', () => runs.getRunsByIds({ db, ids: [] }));
  await step('group A runs', () => groups.listGroupRunRows({ db, groupId: 1 }));
  await step('group A runs 1', () => groups.listGroupRunRows({ db, groupId: 1, limit: 1 }));
  await step('group A latest', () => groups.getLatestGroupRun({ db, groupId: 1 }));
  await step('group B latest (none done)', () => groups.getLatestGroupRun({ db, groupId: 2 }));

  // exports
  const files = [
    { format: 'jsonl' as const, sha256: sha('1'), bytes: bytes('{"persona_id":1}\n{"persona_id":2}\n') },
    { format: 'csv' as const, sha256: sha('2'), bytes: new Uint8Array([0, 255, 10, 13, 0x22, 0xe2, 0x82, 0xac]).subarray(1) },
  ];
  await step('export of run 1', () => exports.insertExportRow({ db, runId: 1, format: 'jsonl', manifest: manifest(1, { jsonl: { sha256: sha('1'), bytes: 34 } }), createdBy: 'alice', files }));
  await step('export of the pool', () => exports.insertExportRow({ db, runId: null, format: 'csv', manifest: manifest(null, {}) }));
  await step('export of a missing run', () => exports.insertExportRow({ db, runId: 99, format: 'csv', manifest: manifest(99, {}) }));
  await step('export file jsonl', () => exports.getExportFile({ db, exportId: 1, format: 'jsonl' }));
  await step('export file csv', () => exports.getExportFile({ db, exportId: 1, format: 'csv' }));
  await step('export file parquet', () => exports.getExportFile({ db, exportId: 1, format: 'parquet' }));
  await step('export file of the pool', () => exports.getExportFile({ db, exportId: 2, format: 'csv' }));
  await step('export 1', () => exports.getExportRow({ db, id: 1 }));
  await step('export 99', () => exports.getExportRow({ db, id: 99 }));
  await step('exports', () => exports.listExportRows({ db }));
  await step('exports 1', () => exports.listExportRows({ db, limit: 1 }));
  await step('export personas', () => exports.listExportPersonas({ db, ids: [10, 3, 1, 99, 6, 4] }));
  await step('export personas none', () => exports.listExportPersonas({ db, ids: [] }));
  await step('export sources', () => exports.listSourcesByIds({ db, ids: ['demo', 'Zeta', 'nope', 'bl'] }));
  await step('export sources none', () => exports.listSourcesByIds({ db, ids: [] }));
  await step('reference with source', () => exports.getReferenceWithSource({ db, referenceSetId: 'big5' }));
  await step('reference with source missing', () => exports.getReferenceWithSource({ db, referenceSetId: 'nope' }));
  await step('review summary', () => exports.reviewSummaryFor({ db, ids: [1, 2, 3, 4] }));
  await step('review summary of 1', () => exports.reviewSummaryFor({ db, ids: [1] }));
  await step('review summary none', () => exports.reviewSummaryFor({ db, ids: [] }));
  await step('review summary undecided', () => exports.reviewSummaryFor({ db, ids: [5, 6] }));

  // deletions (each with its audit entry)
  await step('delete run 1 (has exports)', () => runs.deleteRunRow({ db, id: 1, audit: audit('run.delete', 1) }));
  await step('delete run 99', () => runs.deleteRunRow({ db, id: 99, audit: audit('run.delete', 99) }));
  await step('delete export 1', () => exports.deleteExportRow({ db, id: 1, audit: audit('export.delete', 1) }));
  await step('delete export 1 again', () => exports.deleteExportRow({ db, id: 1, audit: audit('export.delete', 1) }));
  await step('export file after delete', () => exports.getExportFile({ db, exportId: 1, format: 'jsonl' }));
  await step('delete run 1', () => runs.deleteRunRow({ db, id: 1, audit: audit('run.delete', 1) }));
  await step('run 1 after delete', () => runs.getRunById({ db, id: 1 }));
  await step('delete group A', () => groups.deleteGroupRow({ db, id: 1 }));
  await step('delete group A again', () => groups.deleteGroupRow({ db, id: 1 }));
  await step('runs after group delete', () => runs.getRunsByIds({ db, ids: [2, 3, 4] }));
  await step('groups after delete', () => groups.listGroupRows({ db }));
  await step('audit', () => api.audit.listAuditEntries({ db }));

  // baselines
  await step('baselines', () => baselines.listBaselineRows({ db }));
  return t;
}

describePostgres('PostgreSQL group, target, run, export and baseline queries', () => {
  let server: TestPostgres, pg: PgDatabase, db: PgDb, lite: Db;
  useBothDatabases({ seedPg, seedSqlite }, (both) => ({ server, pg, db, lite } = both));

  it('give the results SQLite gives for the same calls (ids, order, JSON columns, stored bytes, errors, timestamp form)', async () => {
    const fromSqlite = await script(sqliteApi, lite as never);
    const fromPg = await script(pgApi, db as never);
    for (const key of Object.keys(fromSqlite)) expect(fromPg[key], key).toEqual(fromSqlite[key]);
    expect(Object.keys(fromPg)).toEqual(Object.keys(fromSqlite));
    // the script did something: refusals, revisions found, bytes stored, a run kept for its exports
    expect(fromPg['group A again']).toEqual({ threw: true, unique: true });
    expect((fromPg['revisions of group 1'] as unknown[]).length).toBe(2);
    expect(fromPg['candidates teach']).toHaveLength(2);
    expect(fromPg['candidates literal underscore']).toHaveLength(1);
    expect(fromPg['candidates underscore (not a wildcard)']).toHaveLength(0);
    expect(fromPg['delete run 1 (has exports)']).toEqual({ deleted: false, reason: 'has_exports', exportIds: [1] });
    expect(fromPg['export file csv']).toMatchObject({ bytes: 'bytes:ff0a0d22e282ac', size: 7 });
    expect(fromPg['export of a missing run']).toEqual({ threw: true, unique: false });
  });

  it('write an export and its files all or nothing: a failing file insert leaves no export behind, on both sides', async () => {
    const twice = [
      { format: 'jsonl' as const, sha256: sha('3'), bytes: bytes('one') },
      { format: 'jsonl' as const, sha256: sha('4'), bytes: bytes('two') },
    ];
    const before = { lite: sqExports.listExportRows({ db: lite }), pg: await pgExports.listExportRows({ db }) };
    expect(() => sqExports.insertExportRow({ db: lite, runId: 2, format: 'jsonl', manifest: manifest(2, {}), files: twice })).toThrow();
    await expect(pgExports.insertExportRow({ db, runId: 2, format: 'jsonl', manifest: manifest(2, {}), files: twice })).rejects.toThrow();
    expect(sqExports.listExportRows({ db: lite })).toEqual(before.lite);
    expect(await pgExports.listExportRows({ db })).toEqual(before.pg);
    const orphanFiles = await db.execute(sql`SELECT 1 FROM export_files f WHERE NOT EXISTS (SELECT 1 FROM exports e WHERE e.id = f.export_id)`);
    expect(orphanFiles.rows).toHaveLength(0);
    expect(await db.select().from(pgSchema.exportFiles).where(eq(pgSchema.exportFiles.sha256, sha('3')))).toHaveLength(0);

    // inside a caller's transaction the twin runs as a savepoint: the caller's rollback takes the export with it
    const rollback = new Error('roll back');
    await expect(
      db.transaction(async (tx) => {
        await pgExports.insertExportRow({ db: tx, runId: null, format: 'csv', manifest: manifest(null, {}), files: [{ format: 'csv', sha256: sha('5'), bytes: bytes('x') }] });
        expect(await pgExports.listExportRows({ db: tx })).toHaveLength(before.pg.length + 1);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(await pgExports.listExportRows({ db })).toEqual(before.pg);
    expect(await db.select().from(pgSchema.exportFiles).where(eq(pgSchema.exportFiles.sha256, sha('5')))).toHaveLength(0);
  });

  it('order text by bytes as SQLite does, on a database whose default collation is not C', async () => {
    const name = 'populace_icu_groups';
    await db.execute(sql.raw(`CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`));
    const icu = await openPgDatabase(server.url.replace(/\/[^/]+$/, `/${name}`));
    const small = openDatabase(':memory:');
    try {
      const ids = ['b', 'B', 'a', 'A', '_x'];
      const sources = ids.map((id) => ({ id, name: `source ${id}`, kind: 'personas' as const, licence: 'MIT', citation: id, origin: 'tests' }));
      const personas = ids.map((sourceId, i) => ({ sourceId, externalId: `e${i}`, narrative: 'n' }));
      const set = { ...REFERENCE_SET, sourceId: 'a' };
      const norms = ids.flatMap((group) => ['o', 'E', 'e'].map((scale) => ({ sourceId: 'a', table: 't', groupType: 'g', group, scale, level: 'domain', unit: 'raw', mean: 1 })));
      const countries = ['b', 'B', 'a', 'A', 'a', 'B'].map((country, row) => ({ referenceSetId: set.id, row, country, gender: 'female' as const, E: 1, A: 1, C: 1, N: 1, O: 1, answers: '' }));
      const baselines = ids.map((sourceId) => ({ sourceId, model: 'm', instrumentId: 'bfi44', temperature: null, E: 1, A: 1, C: 1, N: 1, O: 1 }));
      small.insert(sqliteSchema.sources).values(sources).run();
      small.insert(sqliteSchema.personas).values(personas).run();
      small.insert(sqliteSchema.referenceSets).values(set).run();
      small.insert(sqliteSchema.norms).values(norms).run();
      small.insert(sqliteSchema.referenceRespondents).values(countries).run();
      small.insert(sqliteSchema.baselineResponses).values(baselines).run();
      await icu.db.insert(pgSchema.sources).values(sources);
      await icu.db.insert(pgSchema.personas).values(personas);
      await icu.db.insert(pgSchema.referenceSets).values(set);
      await icu.db.insert(pgSchema.norms).values(norms);
      await icu.db.insert(pgSchema.referenceRespondents).values(countries);
      await icu.db.insert(pgSchema.baselineResponses).values(baselines);
      const edits = spec.edits;
      const empty = { countries: [], genders: [] };
      const reads = async (api: Api, d: never) => {
        for (const n of ids) await api.targets.saveTarget({ db: d, name: n, referenceSetId: set.id, filters: empty, edits });
        return normalise([
          await api.groups.listPersonaSourceRows({ db: d }),
          await api.exports.listSourcesByIds({ db: d, ids }),
          await api.targets.listTargets({ db: d }),
          await api.targets.listNormGroups({ db: d, table: 't' }),
          await api.targets.listNormTable({ db: d, table: 't' }),
          await api.targets.listNormRows({ db: d, table: 't', group: 'a' }),
          await api.targets.countRespondentsByCountry({ db: d, referenceSetId: set.id }),
          await api.baselines.listBaselineRows({ db: d }),
        ]);
      };
      // the database's own order differs: the byte order is the point
      const natural = await icu.db.execute<{ id: string }>(sql`SELECT id FROM sources ORDER BY id`);
      expect(natural.rows.map((r) => r.id)).not.toEqual(['A', 'B', '_x', 'a', 'b']);
      const fromSqlite = (await reads(sqliteApi, small as never)) as unknown[];
      expect((fromSqlite[0] as { id: string }[]).map((r) => r.id)).toEqual(['A', 'B', '_x', 'a', 'b']);
      expect(await reads(pgApi, icu.db as never)).toEqual(fromSqlite);
    } finally {
      small.$client.close();
      await icu.close();
    }
  });

  it('never deletes a run under a concurrent export: the one that comes second waits, then sees the first', async () => {
    const run = async (name: string) => (await pgRuns.insertRun({ db, name, seed: 1, config: config(name, 1) })).id;
    const exportOf = (runId: number, d: PgDb | Parameters<Parameters<PgDb['transaction']>[0]>[0] = db) =>
      pgExports.insertExportRow({ db: d, runId, format: 'csv', manifest: manifest(runId, {}), files: [{ format: 'csv', sha256: sha('6'), bytes: bytes(`run ${runId}`) }] });
    const auditCount = async () => (await pgAudit.listAuditEntries({ db, entity: 'race' })).length;

    // the export's transaction is open when the delete starts: the delete waits for it, then finds the export
    const first = await run('export first');
    const exporting = db.transaction(async (tx) => {
      const row = await exportOf(first, tx);
      await sleep(300);
      return row;
    });
    await sleep(100);
    const deleting = pgRuns.deleteRunRow({ db, id: first, audit: { ...audit('run.delete', first), entity: 'race' } });
    const exported = await exporting;
    expect(await deleting).toEqual({ deleted: false, reason: 'has_exports', exportIds: [exported.id] });
    expect(await pgRuns.getRunHeader({ db, id: first })).toMatchObject({ id: first });
    expect(await auditCount()).toBe(0);

    // the delete's transaction is open when the export starts: the export waits for it, then fails on its foreign key
    const second = await run('delete first');
    const exportsBefore = (await pgExports.listExportRows({ db })).length;
    const deletingFirst = db.transaction(async (tx) => {
      const outcome = await pgRuns.deleteRunRow({ db: tx, id: second, audit: { ...audit('run.delete', second), entity: 'race' } });
      await sleep(300);
      return outcome;
    });
    await sleep(100);
    const late = exportOf(second).then(
      () => 'exported',
      (e: Error & { cause?: { code?: string } }) => e.cause?.code ?? (e as { code?: string }).code,
    );
    expect(await deletingFirst).toEqual({ deleted: true });
    expect(await late).toBe('23503');
    expect(await pgRuns.getRunHeader({ db, id: second })).toBeUndefined();
    expect((await pgExports.listExportRows({ db })).length).toBe(exportsBefore);
    expect(await auditCount()).toBe(1);
  });

  it('deletes a group while a run for it is being inserted: the delete waits, then clears the new run\'s link too', async () => {
    const group = await pgGroups.insertGroupRow({ db, name: 'raced group', definition: definition('race') });
    const inserting = db.transaction(async (tx) => {
      const r = await pgRuns.insertRun({ db: tx, name: 'raced run', seed: 1, config: config('raced run', 1), groupId: group.id });
      await sleep(300);
      return r;
    });
    await sleep(100);
    const deleting = pgGroups.deleteGroupRow({ db, id: group.id });
    const inserted = await inserting;
    expect(await deleting).toBe(true);
    expect(await pgGroups.getGroupRow({ db, id: group.id })).toBeUndefined();
    expect(await pgRuns.getRunById({ db, id: inserted.id })).toMatchObject({ id: inserted.id, groupId: null });
  });
});
