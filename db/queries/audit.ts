/**
 * The append-only audit log (triggers refuse updates and deletes). Entries are written by the queries that make the
 * audited change, inside their transaction (see deleteExportRow, deleteRunRow), so a change and its entry are stored
 * together or not at all.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { auditLog, type AuditLogRow } from '../schema';

/** A transaction handle or the connection: anything that can insert. */
export type Writer = Pick<Db, 'insert'>;

export interface AuditEntry {
  actor: string | null;
  action: string;
  entity: string;
  entityId: string | number;
  details: Record<string, unknown>;
}

/** Appends one entry (call it inside the transaction of the change it records). */
export function appendAuditEntry({ db, entry }: { db: Writer; entry: AuditEntry }): AuditLogRow {
  return db
    .insert(auditLog)
    .values({ actor: entry.actor, action: entry.action, entity: entry.entity, entityId: String(entry.entityId), details: entry.details })
    .returning()
    .get();
}

/** Entries, oldest first; optionally of one entity (and one row of it). */
export function listAuditEntries({ db, entity, entityId }: { db: Db; entity?: string; entityId?: string | number }): AuditLogRow[] {
  const where = [entity !== undefined ? eq(auditLog.entity, entity) : undefined, entityId !== undefined ? eq(auditLog.entityId, String(entityId)) : undefined].filter(
    (w) => w !== undefined,
  );
  return db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(auditLog.id))
    .all();
}
