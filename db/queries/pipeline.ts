/** Personas written, checked, rewritten or imported by the persona pipeline. */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../client';
import { itemResponses, personaPosts, personas, posts, traitScores, type NewPersona, type Persona, type PersonaFlag, type QualityScore } from '../schema';

export function getPersonaBySourceExternal({ db, sourceId, externalId }: { db: Db; sourceId: string; externalId: string }) {
  return db
    .select()
    .from(personas)
    .where(and(eq(personas.sourceId, sourceId), eq(personas.externalId, externalId)))
    .get();
}

export function getPersona({ db, id }: { db: Db; id: number }): Persona | undefined {
  return db.select().from(personas).where(eq(personas.id, id)).get();
}

/**
 * Stores a mined persona and its links to the posts it came from, in one transaction. When a persona with the same
 * (source, external id) exists, nothing is written and the existing row is returned: resuming never duplicates.
 */
export function insertMinedPersona({ db, persona, postIds }: { db: Db; persona: NewPersona; postIds: number[] }): { persona: Persona; created: boolean } {
  return db.transaction((tx) => {
    const inserted = tx.insert(personas).values(persona).onConflictDoNothing().returning().get();
    if (!inserted) {
      const existing = tx
        .select()
        .from(personas)
        .where(and(eq(personas.sourceId, persona.sourceId), eq(personas.externalId, persona.externalId)))
        .get()!;
      return { persona: existing, created: false };
    }
    if (postIds.length) {
      tx.insert(personaPosts)
        .values(postIds.map((postId) => ({ personaId: inserted.id, postId })))
        .onConflictDoNothing()
        .run();
    }
    return { persona: inserted, created: true };
  });
}

/** Mined personas of a source (the originals, not their privacy rewrites), in id order. */
export function listSourcePersonas({ db, sourceId, originalsOnly = false }: { db: Db; sourceId: string; originalsOnly?: boolean }): Persona[] {
  const cond = originalsOnly ? and(eq(personas.sourceId, sourceId), isNull(personas.parentId)) : eq(personas.sourceId, sourceId);
  return db.select().from(personas).where(cond).orderBy(personas.id).all();
}

export function listPersonaPosts({ db, personaId }: { db: Db; personaId: number }) {
  return db
    .select({ id: posts.id, text: posts.text, cleanedText: posts.cleanedText })
    .from(personaPosts)
    .innerJoin(posts, eq(posts.id, personaPosts.postId))
    .where(eq(personaPosts.personaId, personaId))
    .orderBy(posts.id)
    .all();
}

export function countPersonaPostLinks({ db, personaIds }: { db: Db; personaIds: number[] }): number {
  if (personaIds.length === 0) return 0;
  return db.select().from(personaPosts).where(inArray(personaPosts.personaId, personaIds)).all().length;
}

/**
 * Merges check results into a persona: quality scores by name, metadata by key, and flags (a flag with the same
 * code replaces the earlier one). The status becomes 'flagged' when there are flags and it was draft or measured,
 * unless `status` is given.
 */
export function updatePersonaChecks({
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
  /** The connection, or a transaction the update joins. */
  db: Db | Tx;
  id: number;
  scores?: Record<string, QualityScore>;
  addFlags?: PersonaFlag[];
  removeFlagCodes?: string[];
  metadata?: Record<string, unknown>;
  status?: Persona['status'];
  duplicateOfId?: number | null;
  /** The persona now has trait scores: draft becomes measured (or flagged when it has flags). */
  measured?: boolean;
}): Persona {
  return db.transaction((tx) => {
    const p = tx.select().from(personas).where(eq(personas.id, id)).get();
    if (!p) throw new Error(`persona ${id} does not exist`);
    const codes = new Set([...(addFlags ?? []).map((f) => f.code), ...(removeFlagCodes ?? [])]);
    const flags = [...p.flags.filter((f) => !codes.has(f.code)), ...(addFlags ?? [])];
    let next = status ?? p.status;
    if (!status && (p.status === 'draft' || p.status === 'measured' || p.status === 'flagged')) {
      const hasScores = measured || Boolean(tx.select({ id: traitScores.personaId }).from(traitScores).where(eq(traitScores.personaId, id)).get());
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
    return tx.update(personas).set(set).where(eq(personas.id, id)).returning().get();
  });
}

export interface ImportedPersonaRow {
  persona: NewPersona;
  /** Item answers with the instrument they belong to. */
  responses?: { instrumentId: string; model: string | null; temperature: number | null; answers: Record<string, number> };
  /** Trait scores on the common 1-5 scale. */
  scores?: { instrumentId: string; E: number; A: number; C: number; N: number; O: number };
}

/**
 * Inserts imported personas with their answers and scores in one transaction; a persona whose (source, id) is
 * already stored is skipped with its answers. Returns the number inserted.
 */
export function insertPersonasBatch({ db, rows }: { db: Db; rows: ImportedPersonaRow[] }): number {
  if (rows.length === 0) return 0;
  return db.transaction((tx) => {
    let n = 0;
    for (const r of rows) {
      const p = tx.insert(personas).values(r.persona).onConflictDoNothing().returning().get();
      if (!p) continue;
      n++;
      if (r.responses) {
        const { instrumentId, model, temperature, answers } = r.responses;
        const values = Object.entries(answers).map(([itemId, value]) => ({ personaId: p.id, instrumentId, itemId, value, model, temperature }));
        if (values.length) tx.insert(itemResponses).values(values).run();
      }
      if (r.scores) tx.insert(traitScores).values({ personaId: p.id, ...r.scores }).run();
    }
    return n;
  });
}
