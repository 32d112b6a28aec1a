/**
 * The files of an export: rows read from the database, the bytes of every format with their hashes, and a file
 * rebuilt from a manifest (checked row by row and file by file against the manifest's hashes).
 */
import { getDb, type Db } from '../../db/client';
import { listExportPersonas } from '../../db/queries/exports';
import { AppError } from '../http/errors';
import { FILE_EXTENSIONS, renderRows, rowHash, sha256Hex } from './formats';
import { populaceVersion } from './manifest';
import type { SimulatorMeta } from './simulators';
import { EXPORT_FORMATS, type ExportFormat, type ExportManifest, type ExportRow, type ManifestRow } from './schema';

/** Rows for persona ids with their weights and counts, in the given order; every id must exist. */
export function buildRows(db: Db, entries: { personaId: number; weight: number; count: number }[]): ExportRow[] {
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

/**
 * What the simulator formats and the dataset card need besides the rows, read from the manifest only (so that a file
 * rebuilt from a manifest has the same bytes): trait norms, title, provenance, licences and citations.
 */
export function simulatorMeta(m: Omit<ExportManifest, 'files'>, version: string = m.populaceVersion): SimulatorMeta {
  const run = m.source.run;
  const group = m.source.group;
  const title = group ? `Persona set of group "${group.name}"` : run ? `Persona set of run ${run.id} (${run.name})` : 'Persona pool';
  const summary = [
    group ? `Group "${group.name}", aligned by run ${run?.id ?? '?'}.` : run ? `Alignment run ${run.id} "${run.name}" (seed ${run.seed}).` : 'Every measured, non-rejected persona of the pool.',
    ...(m.source.target?.description ? [`Target population: ${m.source.target.description}.`] : []),
    ...(m.set ? [m.set.selection.statement, m.set.weights.statement, m.set.demographics.statement] : []),
  ];
  return {
    version,
    rowsSha256: m.rowsSha256,
    norms: m.traitNorms ?? null,
    description: {
      title,
      summary,
      reference: m.reference ? { name: m.reference.name, licence: m.reference.licence, citation: m.reference.citation } : null,
      personaSources: m.personaSources,
      methodsReport: m.methodsReport ?? null,
    },
  };
}

export function filesFor(rows: ExportRow[], manifest: Omit<ExportManifest, 'files'>) {
  const meta = simulatorMeta(manifest, populaceVersion());
  const files = {} as ExportManifest['files'];
  const bytes = {} as Record<ExportFormat, Uint8Array>;
  for (const f of EXPORT_FORMATS) {
    bytes[f] = renderRows(rows, f, meta);
    files[f] = { sha256: sha256Hex(bytes[f]), bytes: bytes[f].length };
  }
  return { files, bytes };
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
  const bytes = renderRows(rows, format, simulatorMeta(manifest));
  const expected = manifest.files[format]?.sha256;
  if (expected && sha256Hex(bytes) !== expected) {
    throw new AppError('file_changed', `The ${format} file no longer hashes to the manifest's sha256 (the writer changed?).`, 409);
  }
  return bytes;
}

export function exportFilename(id: number | string, format: ExportFormat | 'manifest'): string {
  return `populace-export-${id}.${format === 'manifest' ? 'manifest.json' : FILE_EXTENSIONS[format]}`;
}
