/**
 * Exports on PostgreSQL: the twin of db/queries/exports.ts (same functions, arguments and results, async). An export
 * and its files are written in one transaction; the files' bytes are bytea (a Buffer, as SQLite's blob reads back).
 *
 * The manifest is jsonb: it reads back equal to the one written, but with its object keys in jsonb's order (shorter
 * keys first), not the order they were written in as SQLite's JSON text keeps them. A caller that publishes the
 * manifest's text should serialise it itself (the stored files keep the exact bytes of a download).
 *
 * What else differs from the SQLite text: counts are cast to integer; sources are ordered by id in byte order
 * (COLLATE "C"); listExportPersonas returns each chunk by persona id (the order SQLite's IN lookup gives them).
 * deleteExportRow locks the export's row (FOR UPDATE) before deleting, so two deletes of one export write one audit
 * entry between them.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { manifestSchema, parseStored, type ExportManifest } from '../../json';
import type * as sqlite from '../../queries/exports';
import type { ExportPersonaRow, NewExportFile } from '../../queries/exports';
import { preferredScoresOn } from './pool';
import type { Export, ExportFile } from '../../schema';
import type { PgDb, PgSession, PgTx } from '../client';
import { exportFiles, exports, referenceSets, sources } from '../schema';
import { appendAuditEntry, type AuditEntry } from './audit';

export type { ExportPersonaRow, NewExportFile };

/** Inserts an export and the bytes of its files in one transaction. */
export async function insertExportRow({
  db,
  runId,
  format,
  manifest,
  createdBy,
  files = [],
}: {
  db: PgDb | PgTx;
  runId: number | null;
  format: Export['format'];
  manifest: ExportManifest;
  createdBy?: string | null;
  files?: NewExportFile[];
}): Promise<Export> {
  return (db as PgDb).transaction(async (tx) => {
    const [row] = await tx.insert(exports).values({ runId, format, manifest, createdBy: createdBy ?? null }).returning();
    for (const f of files) {
      await tx.insert(exportFiles).values({
        exportId: row!.id,
        format: f.format,
        sha256: f.sha256,
        size: f.bytes.length,
        bytes: Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength),
      });
    }
    return readExport(row!);
  });
}

/** An export row with its manifest checked against its schema (db/json.ts); the row keeps the manifest as stored. */
function readExport(row: Export): Export {
  parseStored(manifestSchema, row.manifest, { table: 'export', id: row.id, column: 'manifest' });
  return row;
}

/** The stored file of an export in a format, or undefined (exports made before files were stored). */
export async function getExportFile({ db, exportId, format }: { db: PgSession; exportId: number; format: ExportFile['format'] }): Promise<ExportFile | undefined> {
  const [row] = await db
    .select()
    .from(exportFiles)
    .where(and(eq(exportFiles.exportId, exportId), eq(exportFiles.format, format)))
    .limit(1);
  return row;
}

/**
 * Deletes an export with its stored files and appends the audit entry, in one transaction (all or nothing).
 * False when the export does not exist (nothing written).
 */
export async function deleteExportRow({ db, id, audit }: { db: PgDb | PgTx; id: number; audit: AuditEntry }): Promise<boolean> {
  return (db as PgDb).transaction(async (tx) => {
    if ((await tx.execute(sql`SELECT id FROM exports WHERE id = ${id} FOR UPDATE`)).rows.length === 0) return false;
    await tx.delete(exportFiles).where(eq(exportFiles.exportId, id));
    await tx.delete(exports).where(eq(exports.id, id));
    await appendAuditEntry({ db: tx, entry: audit });
    return true;
  });
}

export async function getExportRow({ db, id }: { db: PgSession; id: number }): Promise<Export | undefined> {
  const [row] = await db.select().from(exports).where(eq(exports.id, id)).limit(1);
  return row && readExport(row);
}

export async function listExportRows({ db, limit = 100 }: { db: PgSession; limit?: number }): Promise<Export[]> {
  return (await db.select().from(exports).orderBy(desc(exports.id)).limit(limit)).map(readExport);
}

/** Personas with their preferred trait scores (see preferredScoresOn), by id. */
export async function listExportPersonas({ db, ids }: { db: PgSession; ids: number[] }): Promise<ExportPersonaRow[]> {
  if (ids.length === 0) return [];
  const out: ExportPersonaRow[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const r = await db.execute<ExportPersonaRow & Record<string, unknown>>(sql`
      SELECT p.id AS "id", p.source_id AS "sourceId", p.external_id AS "externalId", p.parent_id AS "parentId", p.name AS "name",
        p.narrative AS "narrative", p.age AS "age", p.age_band AS "ageBand", p.gender AS "gender", p.country AS "country",
        p.occupation AS "occupation", p.model AS "model", p.status AS "status", ts.instrument_id AS "instrumentId",
        ts."E" AS "E", ts."A" AS "A", ts."C" AS "C", ts."N" AS "N", ts."O" AS "O"
      FROM personas p LEFT JOIN trait_scores ts ON ${preferredScoresOn('p', 'ts')}
      WHERE p.id IN (${sql.join(
        chunk.map((id) => sql`${id}`),
        sql`, `,
      )})
      ORDER BY p.id`);
    out.push(...r.rows);
  }
  return out;
}

export async function listSourcesByIds({ db, ids }: { db: PgSession; ids: string[] }): Promise<ReturnType<typeof sqlite.listSourcesByIds>> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(sources)
    .where(inArray(sources.id, ids))
    .orderBy(sql`${sources.id} COLLATE "C"`);
}

/** A reference set with the licence and citation of its source. */
export async function getReferenceWithSource({ db, referenceSetId }: { db: PgSession; referenceSetId: string }): Promise<ReturnType<typeof sqlite.getReferenceWithSource>> {
  const [row] = await db
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
    .limit(1);
  return row;
}

/**
 * Review facts of a set of personas: how many personas have a standing (not undone) accept / reject decision, and how
 * many distinct reviewers decided on them.
 */
export async function reviewSummaryFor({ db, ids }: { db: PgSession; ids: number[] }): Promise<ReturnType<typeof sqlite.reviewSummaryFor>> {
  if (ids.length === 0) return { accepted: 0, rejected: 0, reviewers: 0, decisions: 0 };
  const list = sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
  const r = await db.execute<{ accepted: number; rejected: number; reviewers: number; decisions: number }>(sql`
    SELECT
      count(DISTINCT CASE WHEN d.decision = 'accept' THEN d.persona_id END)::integer AS "accepted",
      count(DISTINCT CASE WHEN d.decision = 'reject' THEN d.persona_id END)::integer AS "rejected",
      count(DISTINCT d.reviewer)::integer AS "reviewers",
      count(*)::integer AS "decisions"
    FROM review_decisions d
    WHERE d.persona_id IN (${list}) AND d.decision IN ('accept', 'reject')
      AND NOT EXISTS (SELECT 1 FROM review_decisions u WHERE u.undoes_id = d.id)`);
  return r.rows[0] ?? { accepted: 0, rejected: 0, reviewers: 0, decisions: 0 };
}
