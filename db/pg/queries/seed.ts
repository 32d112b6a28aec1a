/**
 * The demo workspace seed on PostgreSQL: the twin of db/queries/seed.ts (same functions, arguments and results,
 * async, on a PgDb, PgTx or PgSession). Everything is stored in one transaction: a failure leaves the database as it
 * was. The transaction first takes the seed's advisory lock, so processes seeding the same database at once seed it
 * once (the others find the seed recorded and return false), as SQLite's single writer does. A seed that fails is
 * rolled back but keeps the identity values it took (sequences are not transactional; SQLite's AUTOINCREMENT counter
 * rolls back with it), so the ids of a later seed start after them.
 */
import { eq, sql } from 'drizzle-orm';
import type { SeedPersona, SeedWorkspace } from '../../queries/seed';
import type { PgDb, PgSession } from '../client';
import {
  baselineResponses,
  instrumentItems,
  instruments,
  itemResponses,
  meta,
  norms,
  personas,
  reasonCodes,
  referenceRespondents,
  referenceSets,
  sources,
  traitScores,
} from '../schema';

export type { SeedPersona, SeedWorkspace };

const SEED_KEY = 'demo_seed_version';
/** The advisory lock key of the seed ('seed' read as bytes). */
const SEED_LOCK = sql`${'1936024932'}::bigint`;

/** Inserts rows in chunks so one statement stays under the bind-parameter limit. */
async function chunked<T>(rows: T[], size: number, insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

export async function getSeedVersion({ db }: { db: PgSession }): Promise<string | null> {
  const [row] = await db.select().from(meta).where(eq(meta.key, SEED_KEY)).limit(1);
  return row?.value ?? null;
}

/**
 * Stores the workspace unless a demo seed is already recorded. Returns true when it seeded.
 * Everything happens in one transaction: a failure leaves the database as it was.
 */
export async function seedDemoWorkspace({ db, workspace, version }: { db: PgSession; workspace: SeedWorkspace; version: string }): Promise<boolean> {
  return (db as PgDb).transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${SEED_LOCK})`);
    if ((await tx.select().from(meta).where(eq(meta.key, SEED_KEY)).limit(1)).length) return false;

    await tx.insert(sources).values(workspace.sources).onConflictDoNothing();
    await tx
      .insert(reasonCodes)
      .values(workspace.reasonCodes.map((r, i) => ({ ...r, position: i + 1 })))
      .onConflictDoNothing();

    for (const ins of workspace.instruments) {
      await tx.insert(instruments).values({
        id: ins.id,
        name: ins.name,
        scaleMin: ins.scaleMin,
        scaleMax: ins.scaleMax,
        sourceId: ins.sourceId,
        description: ins.description,
      });
      await tx.insert(instrumentItems).values(
        ins.items.map((it, i) => ({
          instrumentId: ins.id,
          itemId: it.itemId,
          position: i + 1,
          trait: it.trait,
          keyed: it.keyed,
          text: ins.texts[i] ?? it.itemId,
        })),
      );
    }

    const ref = workspace.reference;
    await tx
      .insert(referenceSets)
      .values({ id: ref.id, name: ref.name, sourceId: ref.sourceId, instrumentId: ref.instrumentId, description: ref.description });
    await chunked(ref.respondents, 1000, (chunk) =>
      tx.insert(referenceRespondents).values(
        chunk.map((r) => ({
          referenceSetId: ref.id,
          row: r.row,
          country: r.country,
          age: r.age,
          gender: r.gender,
          ...r.scores,
          answers: r.answers.join(','),
        })),
      ),
    );

    await chunked(workspace.norms, 500, (chunk) => tx.insert(norms).values(chunk));
    await chunked(workspace.baselines, 500, (chunk) => tx.insert(baselineResponses).values(chunk.map(({ scores, ...b }) => ({ ...b, ...scores }))));

    const idByExternal = new Map<string, number>();
    const responses: (typeof itemResponses.$inferInsert)[] = [];
    const scores: (typeof traitScores.$inferInsert)[] = [];
    for (const p of workspace.personas) {
      const duplicateOfId = p.duplicateOf ? idByExternal.get(`${p.sourceId}:${p.duplicateOf}`) : undefined;
      if (p.duplicateOf && duplicateOfId === undefined) {
        throw new Error(`demo persona ${p.externalId}: its base ${p.duplicateOf} was not stored first`);
      }
      const flags = p.flags.map((f) => (duplicateOfId !== undefined && f.code === 'duplicate' ? { ...f, relatedPersonaId: duplicateOfId } : f));
      const [row] = await tx
        .insert(personas)
        .values({
          sourceId: p.sourceId,
          externalId: p.externalId,
          name: p.name,
          narrative: p.narrative,
          age: p.age,
          ageBand: p.ageBand,
          gender: p.gender,
          country: p.country,
          occupation: p.occupation,
          demographicsOrigin: p.demographicsOrigin ?? null,
          model: p.model,
          status: p.status,
          flags,
          duplicateOfId: duplicateOfId ?? null,
          metadata: p.metadata,
        })
        .returning({ id: personas.id });
      idByExternal.set(`${p.sourceId}:${p.externalId}`, row!.id);
      if (p.responses) {
        for (const [itemId, value] of p.responses.answers) {
          responses.push({
            personaId: row!.id,
            instrumentId: p.responses.instrumentId,
            itemId,
            value,
            model: p.responses.model,
            temperature: p.responses.temperature,
            repetition: 0,
          });
        }
      }
      if (p.scores) scores.push({ personaId: row!.id, instrumentId: p.scores.instrumentId, ...p.scores.values });
    }
    await chunked(responses, 2000, (chunk) => tx.insert(itemResponses).values(chunk));
    await chunked(scores, 1000, (chunk) => tx.insert(traitScores).values(chunk));

    await tx.insert(meta).values({ key: SEED_KEY, value: version });
    return true;
  });
}
