/**
 * Personas written, checked, rewritten or imported by the persona pipeline, on PostgreSQL: the twin of
 * db/queries/pipeline.ts (same functions, arguments and results, async, on a PgDb, PgTx or PgSession).
 * A check's read-modify-write of a persona locks its row (SELECT ... FOR UPDATE), so two checks of the same persona
 * at once are serialised and neither update is lost (SQLite has one writer).
 *
 * One difference in what a write returns: personas.min_critic_score follows quality_scores through a trigger on both
 * engines, and the row insertMinedPersona and updatePersonaChecks return carries the new value here (a BEFORE trigger)
 * where SQLite's RETURNING gives the row before its AFTER trigger ran (the stored rows, read again, are the same).
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { ImportedPersonaRow } from '../../queries/pipeline';
import type { NewPersona, Persona, PersonaFlag, QualityScore } from '../../schema';
import type { PgDb, PgSession } from '../client';
import { itemResponses, personaPosts, personas, posts, traitScores } from '../schema';

export type { ImportedPersonaRow };

export async function getPersonaBySourceExternal({ db, sourceId, externalId }: { db: PgSession; sourceId: string; externalId: string }): Promise<Persona | undefined> {
  const [row] = await db
    .select()
    .from(personas)
    .where(and(eq(personas.sourceId, sourceId), eq(personas.externalId, externalId)))
    .limit(1);
  return row;
}

export async function getPersona({ db, id }: { db: PgSession; id: number }): Promise<Persona | undefined> {
  const [row] = await db.select().from(personas).where(eq(personas.id, id)).limit(1);
  return row;
}

/**
 * Stores a mined persona and its links to the posts it came from, in one transaction. When a persona with the same
 * (source, external id) exists, nothing is written and the existing row is returned: resuming never duplicates.
 */
export async function insertMinedPersona({ db, persona, postIds }: { db: PgSession; persona: NewPersona; postIds: number[] }): Promise<{ persona: Persona; created: boolean }> {
  return (db as PgDb).transaction(async (tx) => {
    const [inserted] = await tx.insert(personas).values(persona).onConflictDoNothing().returning();
    if (!inserted) {
      const [existing] = await tx
        .select()
        .from(personas)
        .where(and(eq(personas.sourceId, persona.sourceId), eq(personas.externalId, persona.externalId)))
        .limit(1);
      return { persona: existing!, created: false };
    }
    if (postIds.length) {
      await tx
        .insert(personaPosts)
        .values(postIds.map((postId) => ({ personaId: inserted.id, postId })))
        .onConflictDoNothing();
    }
    return { persona: inserted, created: true };
  });
}

/** Mined personas of a source (the originals, not their privacy rewrites), in id order. */
export async function listSourcePersonas({ db, sourceId, originalsOnly = false }: { db: PgSession; sourceId: string; originalsOnly?: boolean }): Promise<Persona[]> {
  const cond = originalsOnly ? and(eq(personas.sourceId, sourceId), isNull(personas.parentId)) : eq(personas.sourceId, sourceId);
  return db.select().from(personas).where(cond).orderBy(personas.id);
}

export async function listPersonaPosts({ db, personaId }: { db: PgSession; personaId: number }) {
  return db
    .select({ id: posts.id, text: posts.text, cleanedText: posts.cleanedText })
    .from(personaPosts)
    .innerJoin(posts, eq(posts.id, personaPosts.postId))
    .where(eq(personaPosts.personaId, personaId))
    .orderBy(posts.id);
}

export async function countPersonaPostLinks({ db, personaIds }: { db: PgSession; personaIds: number[] }): Promise<number> {
  if (personaIds.length === 0) return 0;
  return (await db.select({ personaId: personaPosts.personaId }).from(personaPosts).where(inArray(personaPosts.personaId, personaIds))).length;
}

/**
 * Merges check results into a persona: quality scores by name, metadata by key, and flags (a flag with the same
 * code replaces the earlier one). The status becomes 'flagged' when there are flags and it was draft or measured,
 * unless `status` is given. The persona's row is locked while it is read and written.
 */
export async function updatePersonaChecks({
  db,
  id,
  scores,
  addFlags,
  removeFlagCodes,
  metadata,
  status,
  duplicateOfId,
  measured = false,
}: {
  /** The pool, a connection, or a transaction the update joins. */
  db: PgSession;
  id: number;
  scores?: Record<string, QualityScore>;
  addFlags?: PersonaFlag[];
  removeFlagCodes?: string[];
  metadata?: Record<string, unknown>;
  status?: Persona['status'];
  duplicateOfId?: number | null;
  /** The persona now has trait scores: draft becomes measured (or flagged when it has flags). */
  measured?: boolean;
}): Promise<Persona> {
  return (db as PgDb).transaction(async (tx) => {
    const [p] = await tx.select().from(personas).where(eq(personas.id, id)).for('update');
    if (!p) throw new Error(`persona ${id} does not exist`);
    const codes = new Set([...(addFlags ?? []).map((f) => f.code), ...(removeFlagCodes ?? [])]);
    const flags = [...p.flags.filter((f) => !codes.has(f.code)), ...(addFlags ?? [])];
    let next = status ?? p.status;
    if (!status && (p.status === 'draft' || p.status === 'measured' || p.status === 'flagged')) {
      const hasScores =
        measured || (await tx.select({ id: traitScores.personaId }).from(traitScores).where(eq(traitScores.personaId, id)).limit(1)).length > 0;
      const base = hasScores ? 'measured' : 'draft';
      next = flags.length ? 'flagged' : base;
    }
    const set: Partial<Persona> = {
      qualityScores: scores ? { ...(p.qualityScores ?? {}), ...scores } : p.qualityScores,
      metadata: metadata ? { ...(p.metadata ?? {}), ...metadata } : p.metadata,
      flags,
      status: next,
      updatedAt: new Date().toISOString(),
    };
    if (duplicateOfId !== undefined) set.duplicateOfId = duplicateOfId;
    const [row] = await tx.update(personas).set(set).where(eq(personas.id, id)).returning();
    return row!;
  });
}

/**
 * Inserts imported personas with their answers and scores in one transaction; a persona whose (source, id) is
 * already stored is skipped with its answers. Returns the number inserted.
 */
export async function insertPersonasBatch({ db, rows }: { db: PgSession; rows: ImportedPersonaRow[] }): Promise<number> {
  if (rows.length === 0) return 0;
  return (db as PgDb).transaction(async (tx) => {
    let n = 0;
    for (const r of rows) {
      const [p] = await tx.insert(personas).values(r.persona).onConflictDoNothing().returning({ id: personas.id });
      if (!p) continue;
      n++;
      if (r.responses) {
        const { instrumentId, model, temperature, answers } = r.responses;
        const values = Object.entries(answers).map(([itemId, value]) => ({ personaId: p.id, instrumentId, itemId, value, model, temperature }));
        if (values.length) await tx.insert(itemResponses).values(values);
      }
      if (r.scores) await tx.insert(traitScores).values({ personaId: p.id, ...r.scores });
    }
    return n;
  });
}
