/**
 * A request resolved into rows and its manifest (provenance, licences, metrics, diagnostics, review summary, the set
 * block, trait norms, usage snippets, a hash of every row and of every format's file), nothing stored.
 */
import { getDb, type Db } from '../../db/client';
import { getReferenceWithSource, listSourcesByIds, reviewSummaryFor } from '../../db/queries/exports';
import { TRAITS } from '../core/traits';
import { coverageOfRun } from '../groups/service';
import { AppError } from '../http/errors';
import { checkSetSize } from '../limits/sizes';
import { weightedMoments } from '../stats/weightedMoments';
import { runEngineConfig } from '../studio/runs';
import type { TargetSpec } from '../targets/schema';
import { buildTarget, describeFilters } from '../targets/service';
import { checkDistinctSize, drawSet } from './drawSet';
import { buildRows, exportFilename, filesFor } from './files';
import { rowHash } from './formats';
import { populaceVersion, rowsDigest } from './manifest';
import { EXPORT_COLUMNS, exportRequestSchema, MANIFEST_SCHEMA, type ExportFormat, type ExportManifest, type ExportRow } from './schema';
import { setBlock } from './setBlock';
import { poolLabel, resolveSource } from './source';

/** The target's trait means and SDs, the population the simulator formats' trait words compare with. */
function traitNormsOf(spec: TargetSpec, db: Db): NonNullable<ExportManifest['traitNorms']> {
  const t = buildTarget(spec, db);
  const m = weightedMoments({ data: t.data, rows: t.n, cols: 5 });
  return { population: `the target (${describeFilters(spec)}, ${t.n.toLocaleString('en-US')} respondents)`, mean: Array.from(m.mean), sd: Array.from(m.sd) };
}

/** The trait columns as the snippets name them: "E", "A", "C", "N", "O". */
const quotedTraits = TRAITS.map((t) => `"${t}"`).join(', ');

/** How to load a set with its weights (Python and R), stored in every manifest and shown in the README. */
export function usageSnippets(id: number | string): NonNullable<ExportManifest['usage']> {
  return {
    python: [
      'import pandas as pd',
      `df = pd.read_parquet("${exportFilename(id, 'parquet')}")  # pyarrow`,
      `weighted_means = df[[${quotedTraits}]].mul(df.weight, axis=0).sum() / df.weight.sum()`,
      'population = df.loc[df.index.repeat(df["count"])].reset_index(drop=True)  # one row per draw',
    ].join('\n'),
    r: [
      'library(arrow)',
      `df <- read_parquet("${exportFilename(id, 'parquet')}")`,
      `weighted_means <- sapply(df[c(${quotedTraits})], weighted.mean, w = df$weight)`,
      'population <- df[rep(seq_len(nrow(df)), df$count), ]  # one row per draw',
    ].join('\n'),
    weights:
      'Estimate population quantities with the weight column (weighted means, or survey::svydesign(weights = ~weight)), or instantiate each persona count times in a simulation: use one, not both. A set of distinct personas has count 1 for every row and carries its information in the weights.',
  };
}

/** The persona sources named in a count by source id, with their licence, citation and count. */
export function personaSourcesWithCounts(db: Db, counts: Map<string, number>): ExportManifest['personaSources'] {
  return listSourcesByIds({ db, ids: [...counts.keys()] }).map((s) => ({ id: s.id, name: s.name, licence: s.licence, citation: s.citation, personas: counts.get(s.id) ?? 0 }));
}

/** Resolves a request into rows and its manifest (nothing stored). */
export function prepareExport(input: unknown, db: Db = getDb()): { rows: ExportRow[]; manifest: ExportManifest; bytes: Record<ExportFormat, Uint8Array> } {
  const request = exportRequestSchema.parse(input);
  if (request.source.kind === 'pool' && request.set === 'weights' && (request.size !== undefined || request.unique)) {
    throw new AppError('bad_request', 'An export of every persona with its weight takes no size or unique option.', 400);
  }
  const r = resolveSource(request, db);
  const cfg = r.run?.config ?? null;
  const spec = cfg?.request.spec ?? null;
  if (request.unique) {
    const k = request.size ?? (r.selection?.length || r.personaIds.length);
    const available = r.weights.filter((w) => w > 0).length;
    checkDistinctSize(k, available, r.personaIds.length, poolLabel(r));
  } else if (request.size !== undefined) {
    checkSetSize({ field: 'size', value: request.size, poolSize: r.personaIds.length, distinct: false, poolLabel: poolLabel(r) });
  }
  const draw = drawSet(request, r, spec, db);
  const entries =
    request.set === 'weights'
      ? r.personaIds.map((id, i) => ({ personaId: id, weight: r.weights[i]!, count: draw.counts.get(id) ?? 0 }))
      : r.personaIds
          .filter((id) => (draw.counts.get(id) ?? 0) > 0)
          .map((id) => {
            const count = draw.counts.get(id)!;
            return { personaId: id, weight: draw.setWeights ? draw.setWeights.get(id)! : count / draw.k, count };
          });
  const rows = buildRows(db, entries);
  const hashes = rows.map(rowHash);
  const rowsSha256 = rowsDigest(hashes);

  const ref = spec ? getReferenceWithSource({ db, referenceSetId: spec.referenceSetId }) : undefined;
  const sourceCounts = new Map<string, number>();
  for (const row of rows) sourceCounts.set(row.sourceId, (sourceCounts.get(row.sourceId) ?? 0) + 1);
  const byStatus: Record<string, number> = {};
  for (const row of rows) byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
  let coverage: Record<string, unknown> | null = null;
  if (r.run && r.group && spec) {
    const c = coverageOfRun(r.run, spec, db);
    coverage = c ? { ok: c.ok, statement: c.statement, uncoveredShare: c.uncoveredShare, gaps: c.gaps.map((g) => ({ label: g.label, missing: g.missing, share: g.share })) } : null;
  }
  const manifest: ExportManifest = {
    schema: MANIFEST_SCHEMA,
    populaceVersion: populaceVersion(),
    request,
    source: {
      kind: request.source.kind,
      run: r.run ? { id: r.run.id, name: r.run.name, seed: r.run.seed, status: r.run.status } : null,
      group: r.group,
      target: spec ? { spec, description: cfg?.targetDescription ?? null, n: cfg?.targetN ?? null } : null,
    },
    engine: {
      config: r.run ? runEngineConfig(r.run) : null,
      seed: r.run?.seed ?? null,
    },
    reference: ref ? { id: ref.id, name: ref.name, sourceId: ref.sourceId, licence: ref.licence, citation: ref.citation } : null,
    personaSources: personaSourcesWithCounts(db, sourceCounts),
    metrics: r.run?.metrics ?? null,
    diagnostics: r.run?.diagnostics ?? null,
    coverage,
    review: { byStatus, ...reviewSummaryFor({ db, ids: rows.map((x) => x.personaId) }) },
    selection: { k: draw.k, distinct: rows.filter((x) => x.count > 0).length, unique: request.unique, seed: draw.seed, method: draw.method },
    set: setBlock(request, r, draw, rows, spec),
    traitNorms: spec ? traitNormsOf(spec, db) : null,
    methodsReport: r.run ? methodsReportPath(r.run.id) : null,
    usage: usageSnippets('<id>'),
    columns: [...EXPORT_COLUMNS],
    rows: rows.map((x, i) => ({ personaId: x.personaId, weight: x.weight, count: x.count, sha256: hashes[i]! })),
    rowsSha256,
    files: {} as ExportManifest['files'],
  };
  const { files, bytes } = filesFor(rows, manifest);
  manifest.files = files;
  return { rows, manifest, bytes };
}

/** Where a run's methods report is served (HTML, printable to PDF). */
export function methodsReportPath(runId: number): string {
  return `/studio/runs/${runId}/methods`;
}
