/** Exports (manifests, stored files, deletion) and the persona, source, reference and review facts an export needs. */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { manifestSchema, parseStored, type ExportManifest } from '../json';
import { exportFiles, exports, referenceSets, sources, type Export, type ExportFile, type Persona } from '../schema';
import { appendAuditEntry, type AuditEntry } from './audit';
import { preferredScoresOn } from './pool';

/** A file of an export as written when the export was made. */
export interface NewExportFile {
  format: ExportFile['format'];
  sha256: string;
  bytes: Uint8Array;
}

/** Inserts an export and the bytes of its files in one transaction. */
export function insertExportRow({
  db,
  runId,
  format,
  manifest,
  createdBy,
  files = [],
}: {
  db: Db;
  runId: number | null;
  format: Export['format'];
  manifest: ExportManifest;
  createdBy?: string | null;
  files?: NewExportFile[];
}): Export {
  return db.transaction((tx) => {
    const row = tx.insert(exports).values({ runId, format, manifest, createdBy: createdBy ?? null }).returning().get();
    for (const f of files) {
      tx.insert(exportFiles)
        .values({ exportId: row.id, format: f.format, sha256: f.sha256, size: f.bytes.length, bytes: Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength) })
        .run();
    }
    return readExport(row);
  });
}

/**
 * An export row with its manifest checked against its schema (db/json.ts). The manifest is a published document, so
 * the row keeps it as stored (its JSON, key order included, stays the one written) rather than the parsed copy.
 */
function readExport(row: Export): Export {
  parseStored(manifestSchema, row.manifest, { table: 'export', id: row.id, column: 'manifest' });
  return row;
}

/** The stored file of an export in a format, or undefined (exports made before files were stored). */
export function getExportFile({ db, exportId, format }: { db: Db; exportId: number; format: ExportFile['format'] }): ExportFile | undefined {
  return db
    .select()
    .from(exportFiles)
    .where(and(eq(exportFiles.exportId, exportId), eq(exportFiles.format, format)))
    .get();
}

/**
 * Deletes an export with its stored files and appends the audit entry, in one transaction (all or nothing).
 * False when the export does not exist (nothing written).
 */
export function deleteExportRow({ db, id, audit }: { db: Db; id: number; audit: AuditEntry }): boolean {
  return db.transaction((tx) => {
    if (!tx.select({ id: exports.id }).from(exports).where(eq(exports.id, id)).get()) return false;
    tx.delete(exportFiles).where(eq(exportFiles.exportId, id)).run();
    tx.delete(exports).where(eq(exports.id, id)).run();
    appendAuditEntry({ db: tx, entry: audit });
    return true;
  });
}

export function getExportRow({ db, id }: { db: Db; id: number }): Export | undefined {
  const row = db.select().from(exports).where(eq(exports.id, id)).get();
  return row && readExport(row);
}

export function listExportRows({ db, limit = 100 }: { db: Db; limit?: number }): Export[] {
  return db.select().from(exports).orderBy(desc(exports.id)).limit(limit).all().map(readExport);
}

export interface ExportPersonaRow {
  id: number;
  sourceId: string;
  externalId: string;
  parentId: number | null;
  name: string | null;
  narrative: string;
  age: number | null;
  ageBand: string;
  gender: string;
  country: string;
  occupation: string;
  model: string | null;
  status: Persona['status'];
  instrumentId: string | null;
  E: number | null;
  A: number | null;
  C: number | null;
  N: number | null;
  O: number | null;
}

/** Personas with their preferred trait scores (see preferredScoresOn), by id. */
export function listExportPersonas({ db, ids }: { db: Db; ids: number[] }): ExportPersonaRow[] {
  if (ids.length === 0) return [];
  const out: ExportPersonaRow[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    out.push(
      ...db.all<ExportPersonaRow>(sql`
        SELECT p.id AS id, p.source_id AS sourceId, p.external_id AS externalId, p.parent_id AS parentId, p.name AS name,
          p.narrative AS narrative, p.age AS age, p.age_band AS ageBand, p.gender AS gender, p.country AS country,
          p.occupation AS occupation, p.model AS model, p.status AS status, ts.instrument_id AS instrumentId,
          ts.E AS E, ts.A AS A, ts.C AS C, ts.N AS N, ts.O AS O
        FROM personas p LEFT JOIN trait_scores ts ON ${preferredScoresOn('p', 'ts')}
        WHERE p.id IN (${sql.join(
          chunk.map((id) => sql`${id}`),
          sql`, `,
        )})`),
    );
  }
  return out;
}

export function listSourcesByIds({ db, ids }: { db: Db; ids: string[] }) {
  if (ids.length === 0) return [];
  return db.select().from(sources).where(inArray(sources.id, ids)).orderBy(sources.id).all();
}

/** A reference set with the licence and citation of its source. */
export function getReferenceWithSource({ db, referenceSetId }: { db: Db; referenceSetId: string }) {
  return db
    .select({
      id: referenceSets.id,
      name: referenceSets.name,
      instrumentId: referenceSets.instrumentId,
      sourceId: sources.id,
      sourceName: sources.name,
      licence: sources.licence,
      citation: sources.citation,
    })
    .from(referenceSets)
    .innerJoin(sources, eq(sources.id, referenceSets.sourceId))
    .where(eq(referenceSets.id, referenceSetId))
    .get();
}

/**
 * Review facts of a set of personas: how many personas have a standing (not undone) accept / reject decision, and how
 * many distinct reviewers decided on them.
 */
export function reviewSummaryFor({ db, ids }: { db: Db; ids: number[] }) {
  if (ids.length === 0) return { accepted: 0, rejected: 0, reviewers: 0, decisions: 0 };
  const list = sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
  return (
    db.get<{ accepted: number; rejected: number; reviewers: number; decisions: number }>(sql`
      SELECT
        count(DISTINCT CASE WHEN d.decision = 'accept' THEN d.persona_id END) AS accepted,
        count(DISTINCT CASE WHEN d.decision = 'reject' THEN d.persona_id END) AS rejected,
        count(DISTINCT d.reviewer) AS reviewers,
        count(*) AS decisions
      FROM review_decisions d
      WHERE d.persona_id IN (${list}) AND d.decision IN ('accept', 'reject')
        AND NOT EXISTS (SELECT 1 FROM review_decisions u WHERE u.undoes_id = d.id)`) ?? { accepted: 0, rejected: 0, reviewers: 0, decisions: 0 }
  );
}
