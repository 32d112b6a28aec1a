/**
 * Instruments, item answers, trait scores and no-persona baselines on PostgreSQL: the twin of
 * db/queries/measurement.ts (same functions, arguments and results, async, on a PgDb, PgTx or PgSession). Counts
 * are cast to integer; per-instrument counts come back in instrument id order (byte order, as SQLite's GROUP BY
 * gives them). A measurement's `apply` is async and receives the transaction.
 */
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { InstrumentWithItems } from '../../queries/measurement';
import type { NewSource } from '../../schema';
import type { PgDb, PgSession, PgTx } from '../client';
import { baselineResponses, instrumentItems, instruments, itemResponses, personas, sources, traitScores } from '../schema';

export type { InstrumentWithItems };

export async function getInstrumentWithItems({ db, instrumentId }: { db: PgSession; instrumentId: string }): Promise<InstrumentWithItems | null> {
  const [ins] = await db.select().from(instruments).where(eq(instruments.id, instrumentId)).limit(1);
  if (!ins) return null;
  const items = await db
    .select({ itemId: instrumentItems.itemId, position: instrumentItems.position, trait: instrumentItems.trait, keyed: instrumentItems.keyed, text: instrumentItems.text })
    .from(instrumentItems)
    .where(eq(instrumentItems.instrumentId, instrumentId))
    .orderBy(instrumentItems.position);
  return { id: ins.id, name: ins.name, scaleMin: ins.scaleMin, scaleMax: ins.scaleMax, items };
}

/**
 * Stores an instrument with its source and items in one transaction, unless it already exists.
 * Returns whether it was added.
 */
export async function ensureInstrument({
  db,
  source,
  instrument,
}: {
  db: PgSession;
  source: NewSource;
  instrument: Omit<InstrumentWithItems, 'items'> & { sourceId: string; description: string; items: InstrumentWithItems['items'] };
}): Promise<boolean> {
  return (db as PgDb).transaction(async (tx) => {
    if ((await tx.select({ id: instruments.id }).from(instruments).where(eq(instruments.id, instrument.id)).limit(1)).length) return false;
    await tx.insert(sources).values(source).onConflictDoNothing();
    await tx.insert(instruments).values({
      id: instrument.id,
      name: instrument.name,
      scaleMin: instrument.scaleMin,
      scaleMax: instrument.scaleMax,
      sourceId: instrument.sourceId,
      description: instrument.description,
    });
    await tx.insert(instrumentItems).values(instrument.items.map((it) => ({ instrumentId: instrument.id, ...it })));
    return true;
  });
}

/** Persona ids to measure, in id order. */
export async function listPersonasToMeasure({
  db,
  personaIds,
  sourceId,
  instrumentId,
  onlyUnmeasured,
}: {
  db: PgSession;
  personaIds?: number[];
  sourceId?: string;
  instrumentId: string;
  onlyUnmeasured: boolean;
}): Promise<{ id: number; narrative: string; metadata: Record<string, unknown> | null }[]> {
  const conds = [notInArray(personas.status, ['rejected'])];
  if (personaIds?.length) conds.push(inArray(personas.id, personaIds));
  if (sourceId) conds.push(eq(personas.sourceId, sourceId));
  const measured = db.select({ id: traitScores.personaId }).from(traitScores).where(eq(traitScores.instrumentId, instrumentId));
  if (onlyUnmeasured) conds.push(notInArray(personas.id, measured));
  return db
    .select({ id: personas.id, narrative: personas.narrative, metadata: personas.metadata })
    .from(personas)
    .where(and(...conds))
    .orderBy(personas.id);
}

export async function listItemResponses({
  db,
  personaId,
  instrumentId,
  model,
  temperature,
}: {
  db: PgSession;
  personaId: number;
  instrumentId: string;
  model: string;
  temperature: number;
}) {
  // by item (byte order) and repetition: the order SQLite reads these rows in (from its unique index on them)
  return db
    .select({ itemId: itemResponses.itemId, value: itemResponses.value, repetition: itemResponses.repetition })
    .from(itemResponses)
    .where(
      and(
        eq(itemResponses.personaId, personaId),
        eq(itemResponses.instrumentId, instrumentId),
        eq(itemResponses.model, model),
        eq(itemResponses.temperature, temperature),
      ),
    )
    .orderBy(sql`${itemResponses.itemId} COLLATE "C"`, itemResponses.repetition);
}

/** Stores answers; an answer already stored (same persona, instrument, item, model, temperature, repetition) is kept. */
export async function insertItemResponses({
  db,
  rows,
}: {
  db: PgSession;
  rows: { personaId: number; instrumentId: string; itemId: string; value: number; model: string; temperature: number; repetition: number; llmCallId: number }[];
}): Promise<number> {
  if (rows.length === 0) return 0;
  return (await db.insert(itemResponses).values(rows).onConflictDoNothing().returning({ id: itemResponses.id })).length;
}

/** Stores trait scores and the consistency result of a persona in one transaction. */
export async function saveMeasurement({
  db,
  personaId,
  instrumentId,
  scores,
  spread,
  apply,
}: {
  db: PgSession;
  personaId: number;
  instrumentId: string;
  scores: { E: number; A: number; C: number; N: number; O: number };
  spread: Record<string, number> | null;
  /** Runs inside the same transaction (e.g. updates the persona's flags and status). */
  apply?: (tx: PgTx) => Promise<void>;
}): Promise<void> {
  await (db as PgDb).transaction(async (tx) => {
    await tx
      .insert(traitScores)
      .values({ personaId, instrumentId, ...scores, spread })
      .onConflictDoUpdate({ target: [traitScores.personaId, traitScores.instrumentId], set: { ...scores, spread } });
    await apply?.(tx);
  });
}

export async function hasBaselineRun({
  db,
  sourceId,
  model,
  instrumentId,
  temperature,
  systemPrompt,
  run,
}: {
  db: PgSession;
  sourceId: string;
  model: string;
  instrumentId: string;
  temperature: number;
  systemPrompt: string;
  run: number;
}): Promise<boolean> {
  const rows = await db
    .select({ id: baselineResponses.id })
    .from(baselineResponses)
    .where(
      and(
        eq(baselineResponses.sourceId, sourceId),
        eq(baselineResponses.model, model),
        eq(baselineResponses.instrumentId, instrumentId),
        eq(baselineResponses.temperature, temperature),
        eq(baselineResponses.systemPrompt, systemPrompt),
        eq(baselineResponses.run, run),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

export async function insertBaselineResponse({ db, row }: { db: PgSession; row: typeof baselineResponses.$inferInsert }): Promise<boolean> {
  return (await db.insert(baselineResponses).values(row).onConflictDoNothing().returning({ id: baselineResponses.id })).length > 0;
}

export async function listBaselineResponses({ db, sourceId }: { db: PgSession; sourceId: string }) {
  return db.select().from(baselineResponses).where(eq(baselineResponses.sourceId, sourceId)).orderBy(baselineResponses.id);
}

/** Counts of trait scores per instrument for personas of a source (or all), by instrument id. */
export async function countMeasured({ db, sourceId }: { db: PgSession; sourceId?: string }) {
  const q = db
    .select({ instrumentId: traitScores.instrumentId, n: sql<number>`count(*)::integer` })
    .from(traitScores)
    .innerJoin(personas, eq(personas.id, traitScores.personaId));
  return (sourceId ? q.where(eq(personas.sourceId, sourceId)) : q).groupBy(traitScores.instrumentId).orderBy(sql`${traitScores.instrumentId} COLLATE "C"`);
}
