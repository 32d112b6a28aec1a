/** Instruments, item answers, trait scores and no-persona baselines written by the measurement jobs. */
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../client';
import {
  baselineResponses,
  instrumentItems,
  instruments,
  itemResponses,
  personas,
  sources,
  traitScores,
  type NewSource,
} from '../schema';

export interface InstrumentWithItems {
  id: string;
  name: string;
  scaleMin: number;
  scaleMax: number;
  items: { itemId: string; position: number; trait: 'E' | 'A' | 'C' | 'N' | 'O'; keyed: '+' | '-'; text: string }[];
}

export function getInstrumentWithItems({ db, instrumentId }: { db: Db; instrumentId: string }): InstrumentWithItems | null {
  const ins = db.select().from(instruments).where(eq(instruments.id, instrumentId)).get();
  if (!ins) return null;
  const items = db
    .select({ itemId: instrumentItems.itemId, position: instrumentItems.position, trait: instrumentItems.trait, keyed: instrumentItems.keyed, text: instrumentItems.text })
    .from(instrumentItems)
    .where(eq(instrumentItems.instrumentId, instrumentId))
    .orderBy(instrumentItems.position)
    .all();
  return { id: ins.id, name: ins.name, scaleMin: ins.scaleMin, scaleMax: ins.scaleMax, items };
}

/**
 * Stores an instrument with its source and items in one transaction, unless it already exists.
 * Returns whether it was added.
 */
export function ensureInstrument({
  db,
  source,
  instrument,
}: {
  db: Db;
  source: NewSource;
  instrument: Omit<InstrumentWithItems, 'items'> & { sourceId: string; description: string; items: InstrumentWithItems['items'] };
}): boolean {
  return db.transaction((tx) => {
    if (tx.select().from(instruments).where(eq(instruments.id, instrument.id)).get()) return false;
    tx.insert(sources).values(source).onConflictDoNothing().run();
    tx.insert(instruments)
      .values({
        id: instrument.id,
        name: instrument.name,
        scaleMin: instrument.scaleMin,
        scaleMax: instrument.scaleMax,
        sourceId: instrument.sourceId,
        description: instrument.description,
      })
      .run();
    tx.insert(instrumentItems)
      .values(instrument.items.map((it) => ({ instrumentId: instrument.id, ...it })))
      .run();
    return true;
  });
}

/** Persona ids to measure, in id order. */
export function listPersonasToMeasure({
  db,
  personaIds,
  sourceId,
  instrumentId,
  onlyUnmeasured,
}: {
  db: Db;
  personaIds?: number[];
  sourceId?: string;
  instrumentId: string;
  onlyUnmeasured: boolean;
}): { id: number; narrative: string; metadata: Record<string, unknown> | null }[] {
  const conds = [notInArray(personas.status, ['rejected'])];
  if (personaIds?.length) conds.push(inArray(personas.id, personaIds));
  if (sourceId) conds.push(eq(personas.sourceId, sourceId));
  const measured = db
    .select({ id: traitScores.personaId })
    .from(traitScores)
    .where(eq(traitScores.instrumentId, instrumentId));
  if (onlyUnmeasured) conds.push(notInArray(personas.id, measured));
  return db.select({ id: personas.id, narrative: personas.narrative, metadata: personas.metadata }).from(personas).where(and(...conds)).orderBy(personas.id).all();
}

export function listItemResponses({
  db,
  personaId,
  instrumentId,
  model,
  temperature,
}: {
  db: Db;
  personaId: number;
  instrumentId: string;
  model: string;
  temperature: number;
}) {
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
    .all();
}

/** Stores answers; an answer already stored (same persona, instrument, item, model, temperature, repetition) is kept. */
export function insertItemResponses({
  db,
  rows,
}: {
  db: Db;
  rows: { personaId: number; instrumentId: string; itemId: string; value: number; model: string; temperature: number; repetition: number; llmCallId: number }[];
}): number {
  if (rows.length === 0) return 0;
  return db.transaction((tx) => tx.insert(itemResponses).values(rows).onConflictDoNothing().run().changes);
}

/** Stores trait scores and the consistency result of a persona in one transaction. */
export function saveMeasurement({
  db,
  personaId,
  instrumentId,
  scores,
  spread,
  apply,
}: {
  db: Db;
  personaId: number;
  instrumentId: string;
  scores: { E: number; A: number; C: number; N: number; O: number };
  spread: Record<string, number> | null;
  /** Runs inside the same transaction (e.g. updates the persona's flags and status). */
  apply?: (tx: Tx) => void;
}): void {
  db.transaction((tx) => {
    tx.insert(traitScores)
      .values({ personaId, instrumentId, ...scores, spread })
      .onConflictDoUpdate({ target: [traitScores.personaId, traitScores.instrumentId], set: { ...scores, spread } })
      .run();
    apply?.(tx);
  });
}

export function hasBaselineRun({
  db,
  sourceId,
  model,
  instrumentId,
  temperature,
  systemPrompt,
  run,
}: {
  db: Db;
  sourceId: string;
  model: string;
  instrumentId: string;
  temperature: number;
  systemPrompt: string;
  run: number;
}): boolean {
  return Boolean(
    db
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
      .get(),
  );
}

export function insertBaselineResponse({
  db,
  row,
}: {
  db: Db;
  row: typeof baselineResponses.$inferInsert;
}): boolean {
  return db.insert(baselineResponses).values(row).onConflictDoNothing().run().changes > 0;
}

export function listBaselineResponses({ db, sourceId }: { db: Db; sourceId: string }) {
  return db.select().from(baselineResponses).where(eq(baselineResponses.sourceId, sourceId)).orderBy(baselineResponses.id).all();
}

/** Counts of trait scores per instrument for personas of a source (or all). */
export function countMeasured({ db, sourceId }: { db: Db; sourceId?: string }) {
  const q = db
    .select({ instrumentId: traitScores.instrumentId, n: sql<number>`count(*)` })
    .from(traitScores)
    .innerJoin(personas, eq(personas.id, traitScores.personaId));
  return (sourceId ? q.where(eq(personas.sourceId, sourceId)) : q).groupBy(traitScores.instrumentId).all();
}

