/** Persona browser and persona page services. */
import { databaseFile, getDb, type Db } from '../../db/client';
import { demographicsCoverage, listPersonasWithoutDemographicsOrigin, updatePersonaDemographics } from '../../db/queries/personaDemographics';
import {
  getPersonaById,
  getPersonaSummaries,
  listDuplicateIds,
  listItemAnswers,
  listPersonaPosts,
  listPersonaRuns,
  listTraitScores,
} from '../../db/queries/personaPage';
import { countPersonas, getCurrentRun, getPersonaFacets, getRunWeights, listPersonas, type PersonaListRow } from '../../db/queries/personas';
import { personaDemographics } from './extractDemographics';
import { listDecisions } from '../../db/queries/reviewLog';
import { getRunHeader, listFinishedRunHeaders } from '../../db/queries/runs';
import { AppError } from '../http/errors';
import { referencePercentiles } from './profile';
import { getRevisions } from './revisions';
import type { PersonaFilter, PersonaListQuery } from './schema';

/** A row of the persona list, as the browser and the review queue show it. */
export type { PersonaListRow } from '../../db/queries/personas';

export const DEFAULT_PAGE_SIZE = 100;

/** Finished runs never change, so their weights are parsed once per process (the two most recent runs kept). */
const runCache = new Map<string, { weights: Map<number, number>; selection: Set<number> }>();

function runLookup(db: Db, runId: number) {
  const key = `${databaseFile(db)}#${runId}`;
  let hit = runCache.get(key);
  if (!hit) {
    const r = getRunWeights({ db, runId });
    hit = { weights: new Map(), selection: new Set(r?.selection ?? []) };
    r?.personaIds.forEach((id, i) => hit!.weights.set(id, r.weights[i] ?? Number.NaN));
    runCache.set(key, hit);
    while (runCache.size > 2) runCache.delete(runCache.keys().next().value!);
  }
  return hit;
}

/** Fills in each row's weight and selection in the current run (null / false without a run). */
export function withRunWeights<T extends PersonaListRow>(db: Db, rows: T[], runId: number | null): T[] {
  if (runId === null) return rows;
  const run = runLookup(db, runId);
  return rows.map((r) => ({ ...r, weight: run.weights.get(r.id) ?? null, selected: run.selection.has(r.id) }));
}

/** One page of the persona browser; the total is counted on the first page only (offset 0). */
export function listPersonasPage(query: PersonaListQuery, db: Db = getDb()) {
  const { sort, dir, offset = 0, limit = DEFAULT_PAGE_SIZE, ...filter } = query;
  const run = chosenRun(db, filter.run);
  const effectiveSort = sort ?? (filter.q ? 'relevance' : 'id');
  const rows = withRunWeights(db, listPersonas({ db, filter, sort: effectiveSort, dir: dir ?? 'asc', offset, limit, runId: run?.id ?? null }), run?.id ?? null);
  const total = offset === 0 ? countPersonas({ db, filter, runId: run?.id ?? null }) : null;
  return {
    total,
    offset,
    limit,
    sort: effectiveSort,
    nextOffset: rows.length === limit ? offset + limit : null,
    run,
    rows,
  };
}
export type PersonaPage = ReturnType<typeof listPersonasPage>;

/**
 * The filter form's values with counts (each facet's counts follow the rest of the filter), the current run, and how
 * each persona's demographics were obtained (coverage per field).
 */
export function getFacets(filter: PersonaFilter = {}, db: Db = getDb()) {
  const run = chosenRun(db, filter.run);
  const runs = listFinishedRunHeaders({ db, limit: 30 });
  return { ...getPersonaFacets({ db, filter, runId: run?.id ?? null }), run, runs, demographics: demographicsCoverage({ db }) };
}

/** The run the browser shows weights from: the one asked for (404 when it is not a finished run), else the latest. */
function chosenRun(db: Db, runId: number | undefined) {
  if (runId === undefined) return getCurrentRun({ db });
  const r = getRunHeader({ db, id: runId });
  if (!r || r.status !== 'done') throw new AppError('not_found', `Run ${runId} is not a finished alignment run: choose another run for the weights.`, 404);
  return { id: r.id, name: r.name, createdAt: r.createdAt };
}

/** Personas read per step of the demographics back-fill (one transaction each). */
const BACKFILL_BATCH = 2000;

/**
 * Records the demographics' origin of personas written before it was recorded: values they hold count as 'given',
 * the rest is read from the narrative (lib/personas/extractDemographics.ts). In batches, each in one transaction, so
 * an interrupted back-fill resumes where it stopped; a second call finds nothing to do. Returns the personas updated.
 */
export function backfillDemographics(db: Db = getDb()): number {
  let total = 0;
  for (;;) {
    const batch = listPersonasWithoutDemographicsOrigin({ db, limit: BACKFILL_BATCH });
    if (batch.length === 0) return total;
    updatePersonaDemographics({ db, rows: batch.map((p) => ({ id: p.id, ...personaDemographics(p, p.narrative) })) });
    total += batch.length;
  }
}

/** A persona's name for the page title ('unnamed' without one), or null when there is no such persona. */
export function getPersonaName(id: number, db: Db = getDb()): string | null {
  const p = getPersonaSummaries({ db, ids: [id] })[0];
  if (!p) return null;
  return p.name ?? 'unnamed';
}

/** Everything the persona page shows. */
export function getPersonaDetail(id: number, db: Db = getDb()) {
  const persona = getPersonaById({ db, id });
  if (!persona) throw new AppError('not_found', `There is no persona ${id}.`, 404);
  const scores = listTraitScores({ db, personaId: id });
  const preferred = scores[0] ?? null;
  const profile = preferred ? referencePercentiles(db, preferred) : null;
  const twinIds = [...new Set([...(persona.duplicateOfId ? [persona.duplicateOfId] : []), ...persona.flags.flatMap((f) => (f.relatedPersonaId ? [f.relatedPersonaId] : []))])];
  return {
    persona,
    posts: listPersonaPosts({ db, personaId: id }),
    traitScores: scores,
    profile: preferred && profile ? { instrumentId: preferred.instrumentId, instrumentName: preferred.instrumentName, ...profile } : null,
    itemAnswers: listItemAnswers({ db, personaId: id }),
    runs: listPersonaRuns({ db, personaId: id }),
    history: listDecisions({ db, personaId: id, limit: 500 }),
    revisions: getRevisions(db, id),
    twins: getPersonaSummaries({ db, ids: twinIds }).map((p) => ({ id: p.id, name: p.name, status: p.status, excerpt: p.narrative.slice(0, 160) })),
    duplicates: listDuplicateIds({ db, id }),
  };
}
export type PersonaDetail = ReturnType<typeof getPersonaDetail>;
