/**
 * Exports of persona sets: resolve what to export (a run, a group's latest run, or the pool), draw k personas when
 * asked (seeded: k distinct personas by pivotal sampling with their weights re-calibrated to the target, or k draws
 * with repeats by systematic resampling with weight = count / k, so the weight column sums to 1 over the rows either
 * way), build rows and the manifest (provenance, licences, metrics, diagnostics, review summary, the set block: rows,
 * distinct personas, draws, how the weights are normalised, the personas' demographics next to the target's filters;
 * a hash of every row and of every format's file), and store the manifest with the bytes
 * of every format's file. A download answers the stored bytes (an export is an immutable file, whatever happened to
 * its personas since); exports made before files were stored, and the CLI's --from-manifest, re-render the same
 * bytes from the manifest instead.
 */
import { getDb, type Db } from '../../db/client';
import { deleteExportRow, getExportFile, getExportRow, insertExportRow, listExportRows } from '../../db/queries/exports';
import { LOCAL_ACTOR, mayDeleteOwned, requireMayDelete, type Actor } from '../audit/actor';
import { AppError } from '../http/errors';
import { diffManifests } from './diff';
import { exportFilename, renderFromManifest } from './files';
import { CONTENT_TYPES, sha256Hex } from './formats';
import { parseManifestText } from './manifest';
import { prepareExport } from './prepare';
import { EXPORT_FORMATS, type ExportFormat } from './schema';

// The parts of an export live in their own modules: the source (source.ts), the drawn set (drawSet.ts), the set block
// (setBlock.ts), the manifest (prepare.ts) and the files (files.ts). Re-exported here for the pages and the CLI.
export { renderFromManifest } from './files';
export { methodsReportPath } from './prepare';

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
    manifest,
    createdBy: actor.username,
    files: EXPORT_FORMATS.map((f) => ({ format: f, sha256: manifest.files[f]!.sha256, bytes: bytes[f] })),
  });
  return { id: row.id, createdAt: row.createdAt, createdBy: row.createdBy, manifest };
}

export function getExport(id: number, db: Db = getDb()) {
  const row = getExportRow({ db, id });
  if (!row) throw new AppError('not_found', `Export ${id} does not exist.`, 404);
  return { id: row.id, runId: row.runId, format: row.format, createdAt: row.createdAt, createdBy: row.createdBy, manifest: row.manifest };
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
    const m = row.manifest;
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
      /** Rows, distinct personas, draws, selection and weight normalisation (null for exports made before the set block). */
      summary: m.set
        ? { rows: m.set.rows, distinct: m.set.distinct, draws: m.set.draws, selection: m.set.selection.method, normalisation: m.set.weights.normalisation, statement: m.set.weights.statement }
        : null,
      rows: m.rows.length,
      rowsSha256: m.rowsSha256,
      files: m.files,
      methodsReport: m.methodsReport ?? null,
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
