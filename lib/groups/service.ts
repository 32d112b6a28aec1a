/** Groups: saved definitions, their human target, their persona set, their latest alignment and its coverage. */
import { getDb, type Db } from '../../db/client';
import {
  deleteGroupRow,
  getGroupRow,
  getGroupRowByName,
  getLatestGroupRun,
  insertGroupRow,
  listGroupRevisionRows,
  listGroupRunRows,
  listGroupRows,
  listPersonaSourceRows,
  listPreferredScores,
  updateGroupRow,
} from '../../db/queries/groups';
import { countRespondentsByCountry } from '../../db/queries/targets';
import type { RunConfig } from '../../db/json';
import type { AlignmentRun, Group } from '../../db/schema';
import { AppError } from '../http/errors';
import { checkRetrieveCount } from '../limits/sizes';
import { narrativeDiff } from '../personas/revisions';
import { countryName } from '../targets/countries';
import { buildTarget } from '../targets/service';
import type { TargetSpec } from '../targets/schema';
import { groupCoverage, type GroupCoverage } from './coverage';
import { retrievePersonas, type RetrievalResult } from './retrieve';
import { groupDefinitionSchema, groupInputSchema, TRAIT_DRIFT_LIMIT, type CustomRegion, type GroupDefinition } from './schema';

export interface GroupTargetSummary {
  n: number;
  warnings: string[];
  description: string;
  /** Respondents per selected country (all countries: not listed). */
  perCountry: { code: string; name: string; n: number }[];
  error: string | null;
}

/** The group's human target in numbers: respondents, per-country counts and warnings (never throws). */
export function previewGroupTarget(spec: unknown, db: Db = getDb()): GroupTargetSummary {
  try {
    const t = buildTarget(spec, db);
    const countries = t.spec.filters.countries;
    const counts = countries.length ? countRespondentsByCountry({ db, referenceSetId: t.spec.referenceSetId }) : [];
    const perCountry = countries.map((c) => ({ code: c, name: countryName(c), n: counts.find((x) => x.country === c)?.n ?? 0 }));
    const warnings = [...t.warnings];
    const thin = perCountry.filter((c) => c.n < 100);
    if (countries.length > 1 && thin.length) {
      warnings.push(
        `Few respondents in ${thin.map((c) => `${c.name} (${c.n})`).join(', ')}: ${thin.length === countries.length ? 'every country is' : 'these countries are'} thinly represented${
          t.spec.preset.kind === 'none' ? '; consider a McCrae & Terracciano country norms preset' : ''
        }.`,
      );
    }
    return { n: t.n, warnings, description: t.description, perCountry, error: null };
  } catch (e) {
    if (e instanceof AppError) return { n: 0, warnings: [e.message], description: '', perCountry: [], error: e.message };
    throw e;
  }
}

export interface GroupView {
  id: number;
  name: string;
  definition: GroupDefinition;
  createdAt: string;
}

function toView(row: Group): GroupView {
  return { id: row.id, name: row.name, definition: row.definition, createdAt: row.createdAt };
}

export function getGroup(id: number, db: Db = getDb()): GroupView {
  const row = getGroupRow({ db, id });
  if (!row) throw new AppError('not_found', `Group ${id} does not exist.`, 404);
  return toView(row);
}

/** Saved groups with their target size, warnings and latest run. */
export function listGroups(db: Db = getDb()) {
  return listGroupRows({ db }).map((row) => {
    const g = toView(row);
    const run = getLatestGroupRun({ db, groupId: g.id });
    const metrics = run?.metrics?.resample ?? null;
    const diag = run?.diagnostics;
    return {
      ...g,
      target: previewGroupTarget(g.definition.reference, db),
      latestRun: run ? { id: run.id, createdAt: run.createdAt, metrics, ess: diag?.ess ?? null, setSize: run.personaIds?.length ?? 0 } : null,
    };
  });
}

/** Ids and names of the saved groups (for pointers from a missing group). */
export function listGroupNames(db: Db = getDb()) {
  return listGroupRows({ db }).map((r) => ({ id: r.id, name: r.name }));
}

/** True when a URL selection names the same reference side as a saved target spec (order of lists ignored). */
export function sameReferenceSelection(
  sel: { countries: string[]; ageMin?: number; ageMax?: number; genders: string[]; preset?: TargetSpec['preset'] },
  spec: TargetSpec,
): boolean {
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
  return (
    same(sel.countries, spec.filters.countries) &&
    same(sel.genders, spec.filters.genders) &&
    sel.ageMin === spec.filters.ageMin &&
    sel.ageMax === spec.filters.ageMax &&
    JSON.stringify(sel.preset ?? { kind: 'none' }) === JSON.stringify(spec.preset)
  );
}

/** Persona sources for the persona-side filter. */
export function listPersonaSources(db: Db = getDb()) {
  return listPersonaSourceRows({ db });
}

/** Custom regions saved with groups (unique by name). */
export function listCustomRegions(db: Db = getDb()): CustomRegion[] {
  const out = new Map<string, CustomRegion>();
  for (const row of listGroupRows({ db })) {
    const region = toView(row).definition.region;
    if (region && !out.has(region.name)) out.set(region.name, region);
  }
  return [...out.values()];
}

function checkName(db: Db, name: string, exceptId?: number) {
  const other = getGroupRowByName({ db, name });
  if (other && other.id !== exceptId) throw new AppError('name_taken', `A group named "${name}" already exists: choose another name.`, 409);
}

export function createGroup(input: unknown, db: Db = getDb()) {
  const g = groupInputSchema.parse(input);
  checkRetrieveCount('definition.personas.retrieveCount', g.definition.personas.retrieveCount);
  checkName(db, g.name);
  buildTarget(g.definition.reference, db); // refuse a group whose target matches nobody
  const row = insertGroupRow({ db, name: g.name, definition: g.definition });
  return toView(row);
}

export function updateGroup(id: number, input: unknown, db: Db = getDb()) {
  const g = groupInputSchema.parse(input);
  getGroup(id, db);
  checkRetrieveCount('definition.personas.retrieveCount', g.definition.personas.retrieveCount);
  checkName(db, g.name, id);
  buildTarget(g.definition.reference, db);
  const row = updateGroupRow({ db, id, name: g.name, definition: g.definition });
  return toView(row!);
}

export function deleteGroup(id: number, db: Db = getDb()) {
  if (!deleteGroupRow({ db, id })) throw new AppError('not_found', `Group ${id} does not exist.`, 404);
  return { deleted: id };
}

export async function retrieveForGroup(id: number, db: Db = getDb(), override?: { description?: string }) {
  const g = getGroup(id, db);
  const side = override?.description !== undefined ? { ...g.definition.personas, description: override.description } : g.definition.personas;
  return retrievePersonas(db, side);
}

export interface GroupSet {
  /** Persona ids of the set (measured, not rejected; a measured revision for this group replaces its parent). */
  personaIds: number[];
  retrieval: RetrievalResult;
  /** Retrieved personas left out because they have no trait scores. */
  unmeasured: number[];
  /** Parents replaced by their revision for this group. */
  revised: { parentId: number; revisionId: number }[];
}

/** The group set: retrieval hits that can be aligned, with this group's measured revisions in place of parents. */
export async function buildGroupSet(group: GroupView, db: Db = getDb(), signal?: AbortSignal): Promise<GroupSet> {
  const retrieval = await retrievePersonas(db, group.definition.personas, { signal });
  const revisions = listGroupRevisionRows({ db, groupId: group.id }).filter((r) => r.instrumentId !== null && r.status !== 'rejected');
  const latestRevision = new Map<number, number>();
  for (const r of revisions) latestRevision.set(r.parentId, r.id);
  const ids: number[] = [];
  const unmeasured: number[] = [];
  const revised: GroupSet['revised'] = [];
  for (const h of retrieval.hits) {
    const rev = latestRevision.get(h.id);
    if (rev !== undefined) {
      ids.push(rev);
      revised.push({ parentId: h.id, revisionId: rev });
    } else if (h.measured) ids.push(h.id);
    else unmeasured.push(h.id);
  }
  return { personaIds: ids, retrieval, unmeasured, revised };
}

/** Coverage of a finished group run against the group's target (null when there is no finished run). */
export function coverageOfRun(
  run: Pick<AlignmentRun, 'personaIds' | 'diagnostics'>,
  spec: TargetSpec,
  db: Db = getDb(),
): GroupCoverage | null {
  const ids = run.personaIds ?? [];
  if (ids.length < 2) return null;
  const scores = listPreferredScores({ db, ids });
  const set = new Float64Array(scores.length * 5);
  scores.forEach((s, i) => set.set([s.E, s.A, s.C, s.N, s.O], i * 5));
  const target = buildTarget(spec, db);
  const diag = run.diagnostics;
  return groupCoverage({
    set,
    setN: scores.length,
    target: target.data,
    targetN: target.n,
    reference: target.reference,
    referenceN: target.n,
    ess: diag?.ess ?? null,
    khat: diag?.khat ?? null,
  });
}

export interface RevisionView {
  id: number;
  parentId: number;
  name: string | null;
  status: string;
  narrative: string;
  diff: ReturnType<typeof narrativeDiff>;
  changes: string | null;
  measured: boolean;
  drift: Record<string, number> | null;
  maxDrift: number | null;
  drifted: boolean;
  comparedWith: string | null;
}

export function listGroupRevisions(groupId: number, db: Db = getDb()): RevisionView[] {
  return listGroupRevisionRows({ db, groupId }).map((r) => {
    const meta = (r.metadata ? JSON.parse(r.metadata) : {}) as {
      groupRevision?: { changes?: string; drift?: Record<string, number>; maxDrift?: number; comparedWith?: string };
    };
    const gr = meta.groupRevision ?? {};
    return {
      id: r.id,
      parentId: r.parentId,
      name: r.name,
      status: r.status,
      narrative: r.narrative,
      diff: narrativeDiff(r.parentNarrative, r.narrative),
      changes: gr.changes ?? null,
      measured: r.instrumentId !== null,
      drift: gr.drift ?? null,
      maxDrift: gr.maxDrift ?? null,
      drifted: (gr.maxDrift ?? 0) > TRAIT_DRIFT_LIMIT,
      comparedWith: gr.comparedWith ?? null,
    };
  });
}

/** True when a run was made for another definition of its group than the current one (the run's config keeps it). */
export function runIsStale(config: RunConfig, definition: GroupDefinition): boolean {
  const saved = config.group?.definition;
  if (saved === undefined) return false;
  const parsed = groupDefinitionSchema.safeParse(saved);
  if (!parsed.success) return true;
  const key = (d: GroupDefinition) => JSON.stringify({ reference: d.reference, personas: d.personas });
  return key(parsed.data) !== key(definition);
}

/** Everything the group page shows except retrieval (which may call an embedding model). */
export function getGroupDetail(id: number, db: Db = getDb()) {
  const group = getGroup(id, db);
  const target = previewGroupTarget(group.definition.reference, db);
  const latest = getLatestGroupRun({ db, groupId: id });
  const runs = listGroupRunRows({ db, groupId: id });
  let latestRun = null;
  if (latest) {
    const diag = latest.diagnostics;
    latestRun = {
      id: latest.id,
      name: latest.name,
      seed: latest.seed,
      createdAt: latest.createdAt,
      setSize: latest.personaIds?.length ?? 0,
      selectionSize: latest.selection?.length ?? 0,
      metrics: latest.metrics,
      diagnostics: diag,
      config: latest.config,
      coverage: target.error ? null : coverageOfRun(latest, group.definition.reference, db),
      stale: runIsStale(latest.config, group.definition),
    };
  }
  return { group, target, latestRun, runs, revisions: listGroupRevisions(id, db) };
}
