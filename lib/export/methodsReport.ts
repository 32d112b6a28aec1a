/**
 * The methods report of a run (or of a group's set, which is a run): everything a paper's methods section or appendix
 * needs about the alignment, collected from the stored run, its target, its personas and their sources. Rendered as
 * one HTML page by methodsReportHtml.ts (printable to PDF from the browser, charts as static SVG).
 */
import { getDb, type Db } from '../../db/client';
import { getReferenceWithSource, listExportPersonas, reviewSummaryFor } from '../../db/queries/exports';
import { getRunById } from '../../db/queries/runs';
import type { Metric } from '../core/metrics';
import { TRAITS, type Trait } from '../core/traits';
import { coverageOfRun, getGroup } from '../groups/service';
import { AppError } from '../http/errors';
import { weightedMoments } from '../stats/weightedMoments';
import { runEngineConfig, type StoredEstimator, type StoredRunDiagnostics } from '../studio/runs';
import { buildTarget } from '../targets/service';
import { populaceVersion } from './manifest';
import { personaSourcesWithCounts } from './prepare';

/** One trait's balance: target mean and SD, the pool's, the weighted pool's and the set's means, and their SMDs. */
export interface BalanceRow {
  trait: Trait;
  targetMean: number;
  targetSd: number;
  rawMean: number;
  weightedMean: number;
  setMean: number;
  /** (mean - target mean) / target SD. */
  rawSmd: number;
  weightedSmd: number;
  setSmd: number;
}

export interface MethodsReport {
  populaceVersion: string;
  run: { id: number; name: string; seed: number; createdAt: string; createdBy: string | null };
  group: { id: number; name: string } | null;
  target: { description: string; respondents: number; spec: Record<string, unknown> };
  reference: { name: string; licence: string; citation: string } | null;
  /** The alignment settings as run (defaults filled in). */
  settings: Record<string, unknown>;
  estimator: StoredEstimator | null;
  diagnostics: { ess: number | null; designEffect: number | null; maxWeightShare: number | null; khat: number | null; converged: boolean | null; warnings: string[] };
  /** Rows raw (whole pool), randomSelect, weighted (pool under the weights), resample (the set). */
  metrics: Partial<Record<'raw' | 'randomSelect' | 'weighted' | 'resample', Partial<Record<Metric, number>>>>;
  balance: BalanceRow[];
  frontier: NonNullable<StoredRunDiagnostics['frontier']> | null;
  set: { draws: number; distinct: number; poolSize: number };
  coverage: { statement: string; gaps: { label: string; missing: string; share: number }[] } | null;
  review: { byStatus: Record<string, number>; accepted: number; rejected: number; reviewers: number; decisions: number };
  personaSources: { id: string; name: string; licence: string; citation: string; personas: number }[];
}

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/** Collects the methods report of a finished run (404 unknown, 422 not finished). */
export function methodsReport(runId: number, db: Db = getDb()): MethodsReport {
  const run = getRunById({ db, id: runId });
  if (!run) throw new AppError('not_found', `Run ${runId} does not exist.`, 404);
  if (run.status !== 'done' || !run.personaIds || !run.weights) {
    throw new AppError('run_not_done', `Run ${run.id} is ${run.status}: only a finished run has a methods report.`, 422);
  }
  const cfg = run.config;
  const spec = cfg.request.spec;
  const target = buildTarget(spec, db);
  const ref = getReferenceWithSource({ db, referenceSetId: spec.referenceSetId });
  let group: MethodsReport['group'] = null;
  if (run.groupId !== null) {
    try {
      const g = getGroup(run.groupId, db);
      group = { id: g.id, name: g.name };
    } catch {
      group = null;
    }
  }

  // Balance: the pool's personas with their weights and counts in the set, against the target's moments.
  const ids = run.personaIds;
  const personas = new Map(listExportPersonas({ db, ids }).map((p) => [p.id, p]));
  const counts = new Map<number, number>();
  for (const id of run.selection ?? []) counts.set(id, (counts.get(id) ?? 0) + 1);
  const rows: number[] = [];
  const data: number[] = [];
  ids.forEach((id, i) => {
    const p = personas.get(id);
    if (!p || p.E === null || p.A === null || p.C === null || p.N === null || p.O === null) return;
    rows.push(i);
    data.push(p.E, p.A, p.C, p.N, p.O);
  });
  const pool = { data: Float64Array.from(data), rows: rows.length, cols: 5 };
  const t = weightedMoments({ data: target.data, rows: target.n, cols: 5 });
  const raw = weightedMoments(pool);
  const weighted = weightedMoments(pool, rows.map((i) => run.weights![i]!));
  const setCounts = rows.map((i) => counts.get(ids[i]!) ?? 0);
  const set = setCounts.some((c) => c > 0) ? weightedMoments(pool, setCounts) : null;
  const balance: BalanceRow[] = TRAITS.map((trait, k) => {
    const sd = t.sd[k]!;
    const smd = (m: number) => (sd > 0 ? (m - t.mean[k]!) / sd : 0);
    const setMean = set ? set.mean[k]! : NaN;
    return {
      trait,
      targetMean: t.mean[k]!,
      targetSd: sd,
      rawMean: raw.mean[k]!,
      weightedMean: weighted.mean[k]!,
      setMean,
      rawSmd: smd(raw.mean[k]!),
      weightedSmd: smd(weighted.mean[k]!),
      setSmd: smd(setMean),
    };
  });

  const d = run.diagnostics;
  const selected = [...counts.keys()];
  const byStatus: Record<string, number> = {};
  for (const id of selected) {
    const s = personas.get(id)?.status ?? 'missing';
    byStatus[s] = (byStatus[s] ?? 0) + 1;
  }
  const sourceCounts = new Map<string, number>();
  for (const id of selected) {
    const s = personas.get(id)?.sourceId;
    if (s) sourceCounts.set(s, (sourceCounts.get(s) ?? 0) + 1);
  }
  const cov = coverageOfRun(run, spec, db);
  const m = run.metrics;
  const metrics: MethodsReport['metrics'] = m ? { raw: m.raw, randomSelect: m.randomSelect, weighted: m.weighted, resample: m.resample } : {};
  return {
    populaceVersion: populaceVersion(),
    run: { id: run.id, name: run.name, seed: run.seed, createdAt: run.createdAt, createdBy: run.createdBy ?? null },
    group,
    target: { description: cfg.targetDescription ?? target.description, respondents: target.n, spec },
    reference: ref ? { name: ref.name, licence: ref.licence, citation: ref.citation } : null,
    settings: runEngineConfig(run),
    estimator: d?.estimator ?? null,
    diagnostics: {
      ess: num(d?.ess),
      designEffect: num(d?.designEffect),
      maxWeightShare: num(d?.maxWeightShare),
      khat: num(d?.khat),
      converged: d?.converged ?? null,
      warnings: d?.warnings ?? [],
    },
    metrics,
    balance,
    frontier: d?.frontier ?? null,
    set: { draws: run.selection?.length ?? 0, distinct: counts.size, poolSize: ids.length },
    coverage: cov ? { statement: cov.statement, gaps: cov.gaps.map((g) => ({ label: g.label, missing: g.missing, share: g.share })) } : null,
    review: { byStatus, ...reviewSummaryFor({ db, ids: selected }) },
    personaSources: personaSourcesWithCounts(db, sourceCounts),
  };
}
