/**
 * Exports of persona sets: resolve what to export (a run, a group's latest run, or the pool), draw k personas when
 * asked (seeded; unique or with replacement), build rows and the manifest (provenance, licences, metrics,
 * diagnostics, review summary, a hash of every row and of every format's file), and store the manifest with the bytes
 * of every format's file. A download answers the stored bytes (an export is an immutable file, whatever happened to
 * its personas since); exports made before files were stored, and the CLI's --from-manifest, re-render the same
 * bytes from the manifest instead.
 */
import { getDb, type Db } from '../../db/client';
import {
  deleteExportRow,
  getExportFile,
  getExportRow,
  getReferenceWithSource,
  insertExportRow,
  listExportPersonas,
  listExportRows,
  listSourcesByIds,
  reviewSummaryFor,
} from '../../db/queries/exports';
import { getLatestGroupRun } from '../../db/queries/groups';
import { listPoolPersonas } from '../../db/queries/pool';
import { getRunById } from '../../db/queries/runs';
import type { AlignmentRun } from '../../db/schema';
import { DEFAULT_ALIGN_CONFIG } from '../align/alignPool';
import { selectSystematic } from '../align/selectSystematic';
import { selectWithoutReplacement } from '../align/selectWithoutReplacement';
import { coverageOfRun, getGroup } from '../groups/service';
import { LOCAL_ACTOR, mayDeleteOwned, requireMayDelete, type Actor } from '../audit/actor';
import { AppError } from '../http/errors';
import { checkSetSize } from '../limits/sizes';
import { AlignInputError } from '../numeric/alignInputError';
import { createRng } from '../numeric/rng';
import { STUDIO_DEFAULT_SELECTION } from '../studio/runs';
import { targetSpecSchema } from '../targets/schema';
import { diffManifests } from './diff';
import { CONTENT_TYPES, renderRows, rowHash, sha256Hex } from './formats';
import { parseManifestText, populaceVersion, rowsDigest } from './manifest';
import {
  EXPORT_COLUMNS,
  EXPORT_FORMATS,
  exportRequestSchema,
  MANIFEST_SCHEMA,
  type ExportFormat,
  type ExportManifest,
  type ExportRequest,
  type ExportRow,
  type ManifestRow,
} from './schema';

interface Resolved {
  run: AlignmentRun | null;
  group: { id: number; name: string; definition: Record<string, unknown> } | null;
  personaIds: number[];
  weights: number[];
  selection: number[] | null;
}

function resolveSource(request: ExportRequest, db: Db): Resolved {
  const s = request.source;
  if (s.kind === 'pool') {
    const pool = listPoolPersonas({ db });
    if (pool.length === 0) throw new AppError('empty_pool', 'The pool is empty: measure some personas first.', 422);
    return { run: null, group: null, personaIds: pool.map((p) => p.id), weights: pool.map(() => 1 / pool.length), selection: null };
  }
  let run: AlignmentRun | undefined;
  let group: Resolved['group'] = null;
  if (s.kind === 'group') {
    const g = getGroup(s.groupId, db);
    group = { id: g.id, name: g.name, definition: g.definition as unknown as Record<string, unknown> };
    run = s.runId ? getRunById({ db, id: s.runId }) : getLatestGroupRun({ db, groupId: s.groupId });
    if (!run) throw new AppError('no_group_run', `Group "${g.name}" has no finished alignment yet: align it first.`, 422);
    if (run.groupId !== s.groupId) throw new AppError('run_not_in_group', `Run ${run.id} does not belong to group "${g.name}".`, 422);
  } else {
    run = getRunById({ db, id: s.runId });
    if (!run) throw new AppError('not_found', `Run ${s.runId} does not exist.`, 404);
    if (run.groupId !== null) {
      try {
        const g = getGroup(run.groupId, db);
        group = { id: g.id, name: g.name, definition: g.definition as unknown as Record<string, unknown> };
      } catch {
        group = null;
      }
    }
  }
  if (run.status !== 'done' || !run.personaIds || !run.weights) {
    throw new AppError('run_not_done', `Run ${run.id} is ${run.status}: only finished runs can be exported.`, 422);
  }
  return { run, group, personaIds: run.personaIds, weights: run.weights, selection: run.selection ?? [] };
}

/** Counts per persona id of the set (stored selection or a fresh seeded draw) and how it was made. */
function drawCounts(request: ExportRequest, r: Resolved): { counts: Map<number, number>; k: number; method: string; seed: number | null } {
  const counts = new Map<number, number>();
  const fresh = request.size !== undefined || request.unique;
  if (!fresh && r.selection) {
    for (const id of r.selection) counts.set(id, (counts.get(id) ?? 0) + 1);
    return { counts, k: r.selection.length, method: `stored selection of run ${r.run!.id}`, seed: r.run!.seed };
  }
  if (!fresh) {
    for (const id of r.personaIds) counts.set(id, 1);
    return { counts, k: r.personaIds.length, method: 'whole pool', seed: null };
  }
  const k = request.size ?? (r.selection?.length || r.personaIds.length);
  try {
    const input = { weights: r.weights, size: k, rng: createRng(request.seed) };
    const res = request.unique ? selectWithoutReplacement(input) : selectSystematic(input);
    for (const i of res.indices) {
      const id = r.personaIds[i]!;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  } catch (e) {
    if (e instanceof AlignInputError) throw new AppError('bad_selection', e.message, 422);
    throw e;
  }
  return {
    counts,
    k,
    method: request.unique ? 'weighted draw without replacement (Efraimidis-Spirakis)' : 'systematic resampling (with replacement)',
    seed: request.seed,
  };
}

/** Rows for persona ids with their weights and counts, in the given order; every id must exist. */
function buildRows(db: Db, entries: { personaId: number; weight: number; count: number }[]): ExportRow[] {
  const personas = new Map(listExportPersonas({ db, ids: entries.map((e) => e.personaId) }).map((p) => [p.id, p]));
  return entries.map((e) => {
    const p = personas.get(e.personaId);
    if (!p) throw new AppError('missing_persona', `Persona ${e.personaId} no longer exists, so the export cannot be rebuilt.`, 409);
    return {
      personaId: p.id,
      sourceId: p.sourceId,
      externalId: p.externalId,
      parentId: p.parentId,
      name: p.name,
      narrative: p.narrative,
      age: p.age,
      ageBand: p.ageBand,
      gender: p.gender,
      country: p.country,
      occupation: p.occupation,
      E: p.E,
      A: p.A,
      C: p.C,
      N: p.N,
      O: p.O,
      weight: e.weight,
      count: e.count,
      instrument: p.instrumentId,
      model: p.model,
      status: p.status,
    };
  });
}

function filesFor(rows: ExportRow[], rowsSha256: string) {
  const meta = { version: populaceVersion(), rowsSha256 };
  const files = {} as ExportManifest['files'];
  const bytes = {} as Record<ExportFormat, Uint8Array>;
  for (const f of EXPORT_FORMATS) {
    bytes[f] = renderRows(rows, f, meta);
    files[f] = { sha256: sha256Hex(bytes[f]), bytes: bytes[f].length };
  }
  return { files, bytes };
}

/** Resolves a request into rows and its manifest (nothing stored). */
export function prepareExport(input: unknown, db: Db = getDb()): { rows: ExportRow[]; manifest: ExportManifest; bytes: Record<ExportFormat, Uint8Array> } {
  const request = exportRequestSchema.parse(input);
  if (request.source.kind === 'pool' && request.set === 'weights' && (request.size !== undefined || request.unique)) {
    throw new AppError('bad_request', 'An export of every persona with its weight takes no size or unique option.', 400);
  }
  const r = resolveSource(request, db);
  if (request.size !== undefined) {
    checkSetSize({
      field: 'size',
      value: request.size,
      poolSize: r.personaIds.length,
      distinct: request.unique,
      poolLabel: r.run ? `run ${r.run.id}'s pool` : 'the pool',
    });
  }
  const draw = drawCounts(request, r);
  const entries =
    request.set === 'weights'
      ? r.personaIds.map((id, i) => ({ personaId: id, weight: r.weights[i]!, count: draw.counts.get(id) ?? 0 }))
      : r.personaIds.map((id, i) => ({ personaId: id, weight: r.weights[i]!, count: draw.counts.get(id) ?? 0 })).filter((e) => e.count > 0);
  const rows = buildRows(db, entries);
  const hashes = rows.map(rowHash);
  const rowsSha256 = rowsDigest(hashes);

  const cfg = (r.run?.config ?? null) as { request?: { spec?: unknown; config?: Record<string, unknown>; size?: number }; targetDescription?: string; targetN?: number } | null;
  const spec = cfg?.request?.spec ? targetSpecSchema.parse(cfg.request.spec) : null;
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
      target: spec ? { spec: spec as unknown as Record<string, unknown>, description: cfg?.targetDescription ?? null, n: cfg?.targetN ?? null } : null,
    },
    engine: {
      config: r.run
        ? {
            ...DEFAULT_ALIGN_CONFIG,
            selection: STUDIO_DEFAULT_SELECTION,
            ...(cfg?.request?.config ?? {}),
            seed: r.run.seed,
            size: r.run.selection?.length ?? null,
          }
        : null,
      seed: r.run?.seed ?? null,
    },
    reference: ref ? { id: ref.id, name: ref.name, sourceId: ref.sourceId, licence: ref.licence, citation: ref.citation } : null,
    personaSources: listSourcesByIds({ db, ids: [...sourceCounts.keys()] }).map((s) => ({
      id: s.id,
      name: s.name,
      licence: s.licence,
      citation: s.citation,
      personas: sourceCounts.get(s.id) ?? 0,
    })),
    metrics: (r.run?.metrics as Record<string, unknown> | null) ?? null,
    diagnostics: (r.run?.diagnostics as Record<string, unknown> | null) ?? null,
    coverage,
    review: { byStatus, ...reviewSummaryFor({ db, ids: rows.map((x) => x.personaId) }) },
    selection: { k: draw.k, distinct: rows.filter((x) => x.count > 0).length, unique: request.unique, seed: draw.seed, method: draw.method },
    columns: [...EXPORT_COLUMNS],
    rows: rows.map((x, i) => ({ personaId: x.personaId, weight: x.weight, count: x.count, sha256: hashes[i]! })),
    rowsSha256,
    files: {} as ExportManifest['files'],
  };
  const { files, bytes } = filesFor(rows, rowsSha256);
  manifest.files = files;
  return { rows, manifest, bytes };
}

/**
 * Creates an export: stores its manifest and the bytes of its file in every format (with their sha256, equal to the
 * manifest's file hashes) in one transaction, owned by the actor. { id, createdAt, createdBy, manifest }.
 */
export function createExport(input: unknown, db: Db = getDb(), actor: Actor = LOCAL_ACTOR) {
  const { manifest, bytes } = prepareExport(input, db);
  const row = insertExportRow({
    db,
    runId: manifest.source.run?.id ?? null,
    format: manifest.request.format,
    manifest: manifest as unknown as Record<string, unknown>,
    createdBy: actor.username,
    files: EXPORT_FORMATS.map((f) => ({ format: f, sha256: manifest.files[f].sha256, bytes: bytes[f] })),
  });
  return { id: row.id, createdAt: row.createdAt, createdBy: row.createdBy, manifest };
}

/**
 * Rebuilds the file of a manifest in a format from the database: the rows listed in the manifest (persona, weight,
 * count) with the personas' current data. Each row must hash to the manifest's row hash and the file to the
 * manifest's file hash, so the bytes are the same as when the export was made (or the error says which row changed).
 */
export function renderFromManifest(manifest: ExportManifest, format: ExportFormat, db: Db = getDb()): Uint8Array {
  const rows = buildRows(db, manifest.rows);
  rows.forEach((row, i) => {
    const want: ManifestRow = manifest.rows[i]!;
    if (rowHash(row) !== want.sha256) {
      throw new AppError(
        'row_changed',
        `Row ${i + 1} (persona ${want.personaId}) no longer matches its hash in the manifest: the persona changed since the export (status, text or scores).`,
        409,
        { row: i + 1, personaId: want.personaId },
      );
    }
  });
  const bytes = renderRows(rows, format, { version: manifest.populaceVersion, rowsSha256: manifest.rowsSha256 });
  const expected = manifest.files[format]?.sha256;
  if (expected && sha256Hex(bytes) !== expected) {
    throw new AppError('file_changed', `The ${format} file no longer hashes to the manifest's sha256 (the writer changed?).`, 409);
  }
  return bytes;
}

export function exportFilename(id: number | string, format: ExportFormat | 'manifest'): string {
  return format === 'manifest' ? `populace-export-${id}.manifest.json` : `populace-export-${id}.${format}`;
}

export function getExport(id: number, db: Db = getDb()) {
  const row = getExportRow({ db, id });
  if (!row) throw new AppError('not_found', `Export ${id} does not exist.`, 404);
  return { id: row.id, runId: row.runId, format: row.format, createdAt: row.createdAt, createdBy: row.createdBy, manifest: row.manifest as unknown as ExportManifest };
}

export interface ExportDownload {
  bytes: Uint8Array;
  filename: string;
  contentType: string;
  /** sha256 (hex) of the bytes; for a file, the manifest's file hash. */
  sha256: string;
  /** 'stored': the bytes written when the export was made; 'rebuilt': rendered again from the manifest (older exports). */
  origin: 'stored' | 'rebuilt' | 'manifest';
}

/**
 * The file of a stored export in a format (default the export's own), or its manifest as JSON. A file is the bytes
 * stored when the export was made (checked against the manifest's hash); an export made before files were stored
 * is rebuilt from its manifest (409 when a persona in it changed since).
 */
export function downloadExport(id: number, format: ExportFormat | 'manifest' | undefined, db: Db = getDb()): ExportDownload {
  const e = getExport(id, db);
  if (format === 'manifest') {
    const bytes = new TextEncoder().encode(JSON.stringify(e.manifest, null, 2) + '\n');
    return { bytes, filename: exportFilename(id, 'manifest'), contentType: 'application/json; charset=utf-8', sha256: sha256Hex(bytes), origin: 'manifest' };
  }
  const f = format ?? e.format;
  const expected = e.manifest.files[f]?.sha256;
  const stored = getExportFile({ db, exportId: id, format: f });
  if (stored) {
    const bytes = new Uint8Array(stored.bytes.buffer, stored.bytes.byteOffset, stored.bytes.byteLength);
    const actual = sha256Hex(bytes);
    if (actual !== stored.sha256 || (expected && actual !== expected)) {
      throw new AppError('file_corrupt', `The stored ${f} file of export ${id} no longer hashes to the manifest's sha256: the database copy is damaged.`, 500);
    }
    return { bytes, filename: exportFilename(id, f), contentType: CONTENT_TYPES[f], sha256: actual, origin: 'stored' };
  }
  const bytes = renderFromManifest(e.manifest, f, db);
  return { bytes, filename: exportFilename(id, f), contentType: CONTENT_TYPES[f], sha256: sha256Hex(bytes), origin: 'rebuilt' };
}

/** Exports for the list (without the per-row hashes), with whether the actor may delete each. */
export function listExports(db: Db = getDb(), actor: Actor = LOCAL_ACTOR) {
  return listExportRows({ db }).map((row) => {
    const m = row.manifest as unknown as ExportManifest;
    return {
      id: row.id,
      runId: row.runId,
      format: row.format,
      createdAt: row.createdAt,
      createdBy: row.createdBy,
      mayDelete: mayDeleteOwned(actor, row.createdBy),
      source: m.source,
      set: m.request.set,
      selection: m.selection,
      rows: m.rows.length,
      rowsSha256: m.rowsSha256,
      files: m.files,
    };
  });
}

/**
 * Deletes an export and its stored files, and writes an audit entry, in one transaction. Allowed to its owner or an
 * admin when sign-in is required (403 otherwise), to anyone on a loopback server.
 */
export function deleteExport(id: number, actor: Actor = LOCAL_ACTOR, db: Db = getDb()) {
  const e = getExport(id, db);
  requireMayDelete(actor, e.createdBy, `export ${id}`);
  const deleted = deleteExportRow({
    db,
    id,
    audit: {
      actor: actor.username,
      action: 'delete',
      entity: 'export',
      entityId: id,
      details: {
        runId: e.runId,
        format: e.format,
        createdAt: e.createdAt,
        createdBy: e.createdBy,
        source: e.manifest.source.kind,
        rows: e.manifest.rows.length,
        rowsSha256: e.manifest.rowsSha256,
        files: e.manifest.files,
      },
    },
  });
  if (!deleted) throw new AppError('not_found', `Export ${id} does not exist.`, 404);
  return { deleted: id };
}

/** Added, removed and reweighted personas between two stored exports. */
export function diffStoredExports(a: number, b: number, db: Db = getDb()) {
  return { a, b, ...diffManifests(getExport(a, db).manifest, getExport(b, db).manifest) };
}

/** Re-export from a manifest file's text (CLI --from-manifest). */
export function reExportFromManifestText(text: string, file: string, format: ExportFormat | undefined, db: Db = getDb()) {
  const manifest = parseManifestText(text, file);
  const f = format ?? manifest.request.format;
  return { manifest, format: f, bytes: renderFromManifest(manifest, f, db) };
}
