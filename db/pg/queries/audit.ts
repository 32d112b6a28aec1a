/**
 * The append-only audit log on PostgreSQL: the twin of db/queries/audit.ts (same functions, arguments and results,
 * async). Triggers of the custom migration (db/pg/migrations/0001_search_triggers.sql) refuse UPDATE, DELETE and
 * TRUNCATE. Write an entry inside the transaction of the change it records, as on SQLite.
 *
 * details is jsonb: it reads back equal to what was written, with its object keys in jsonb's order (shorter keys
 * first) rather than the order they were written in, as SQLite's JSON text keeps them.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { AuditEntry } from '../../queries/audit';
import type { AuditLogRow } from '../../schema';
import type { PgSession } from '../client';
import { auditLog } from '../schema';

export type { AuditEntry };

/** A transaction handle or the pool: anything that can insert (the PostgreSQL side of `Writer`). */
export type PgWriter = Pick<PgSession, 'insert'>;

/** Appends one entry (call it inside the transaction of the change it records). */
export async function appendAuditEntry({ db, entry }: { db: PgWriter; entry: AuditEntry }): Promise<AuditLogRow> {
  const [row] = await db
    .insert(auditLog)
    .values({ actor: entry.actor, action: entry.action, entity: entry.entity, entityId: String(entry.entityId), details: entry.details })
    .returning();
  return row!;
}

/** Entries, oldest first; optionally of one entity (and one row of it). */
export async function listAuditEntries({ db, entity, entityId }: { db: PgSession; entity?: string; entityId?: string | number }): Promise<AuditLogRow[]> {
  const where = [entity !== undefined ? eq(auditLog.entity, entity) : undefined, entityId !== undefined ? eq(auditLog.entityId, String(entityId)) : undefined].filter(
    (w) => w !== undefined,
  );
  return db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(auditLog.id));
}
