/** Stores the embedded demo workspace, once, in a single transaction. */
import { eq } from 'drizzle-orm';
import type { Db } from '../client';
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
  type NewSource,
  type Persona,
} from '../schema';
const SEED_KEY = 'demo_seed_version';

type TraitValues = Record<'E' | 'A' | 'C' | 'N' | 'O', number>;
type Gender = 'female' | 'male' | 'other' | 'unknown';

/** A persona of the seed, with its item answers and trait scores when it was measured. */
export interface SeedPersona {
  sourceId: string;
  externalId: string;
  name: string | null;
  narrative: string;
  age: number | null;
  ageBand: string;
  gender: Gender;
  country: string;
  occupation: string;
  model: string | null;
  status: 'draft' | 'measured' | 'flagged';
  flags: { code: string; reason: string }[];
  demographicsOrigin?: Persona['demographicsOrigin'];
  /** externalId (same source) of the base persona this one is a variant of; the base is stored first. */
  duplicateOf?: string;
  metadata: Record<string, unknown>;
  responses?: { instrumentId: string; model: string | null; temperature: number | null; answers: Map<string, number> };
  scores?: { instrumentId: string; values: TraitValues };
}

/** Everything the seed stores (lib/demo/workspace.ts loads it from the embedded demo files). */
export interface SeedWorkspace {
  sources: NewSource[];
  reasonCodes: { code: string; label: string }[];
  instruments: {
    id: string;
    name: string;
    scaleMin: number;
    scaleMax: number;
    sourceId: string;
    description: string;
    items: { itemId: string; trait: 'E' | 'A' | 'C' | 'N' | 'O'; keyed: '+' | '-' }[];
    /** Item texts in item order. */
    texts: string[];
  }[];
  reference: {
    id: string;
    name: string;
    sourceId: string;
    instrumentId: string;
    description: string;
    respondents: { row: number; country: string; age: number | null; gender: Gender; scores: TraitValues; answers: number[] }[];
  };
  norms: (typeof norms.$inferInsert)[];
  baselines: (Omit<typeof baselineResponses.$inferInsert, keyof TraitValues> & { scores: TraitValues })[];
  personas: SeedPersona[];
}

/** Inserts rows in chunks so one statement stays under SQLite's variable limit. */
function chunked<T>(rows: T[], size: number, insert: (chunk: T[]) => void): void {
  for (let i = 0; i < rows.length; i += size) insert(rows.slice(i, i + size));
}

export function getSeedVersion({ db }: { db: Db }): string | null {
  return db.select().from(meta).where(eq(meta.key, SEED_KEY)).get()?.value ?? null;
}

/**
 * Stores the workspace unless a demo seed is already recorded. Returns true when it seeded.
 * Everything happens in one transaction: a failure leaves the database as it was.
 */
export function seedDemoWorkspace({ db, workspace, version }: { db: Db; workspace: SeedWorkspace; version: string }): boolean {
  return db.transaction((tx) => {
    if (tx.select().from(meta).where(eq(meta.key, SEED_KEY)).get()) return false;

    tx.insert(sources).values(workspace.sources).onConflictDoNothing().run();
    tx.insert(reasonCodes)
      .values(workspace.reasonCodes.map((r, i) => ({ ...r, position: i + 1 })))
      .onConflictDoNothing()
      .run();

    for (const ins of workspace.instruments) {
      tx.insert(instruments)
        .values({
          id: ins.id,
          name: ins.name,
          scaleMin: ins.scaleMin,
          scaleMax: ins.scaleMax,
          sourceId: ins.sourceId,
          description: ins.description,
        })
        .run();
      tx.insert(instrumentItems)
        .values(
          ins.items.map((it, i) => ({
            instrumentId: ins.id,
            itemId: it.itemId,
            position: i + 1,
            trait: it.trait,
            keyed: it.keyed,
            text: ins.texts[i] ?? it.itemId,
          })),
        )
        .run();
    }

    const ref = workspace.reference;
    tx.insert(referenceSets)
      .values({ id: ref.id, name: ref.name, sourceId: ref.sourceId, instrumentId: ref.instrumentId, description: ref.description })
      .run();
    chunked(ref.respondents, 1000, (chunk) =>
      tx
        .insert(referenceRespondents)
        .values(
          chunk.map((r) => ({
            referenceSetId: ref.id,
            row: r.row,
            country: r.country,
            age: r.age,
            gender: r.gender,
            ...r.scores,
            answers: r.answers.join(','),
          })),
        )
        .run(),
    );

    chunked(workspace.norms, 500, (chunk) => tx.insert(norms).values(chunk).run());
    chunked(workspace.baselines, 500, (chunk) =>
      tx
        .insert(baselineResponses)
        .values(chunk.map(({ scores, ...b }) => ({ ...b, ...scores })))
        .run(),
    );

    const idByExternal = new Map<string, number>();
    const responses: (typeof itemResponses.$inferInsert)[] = [];
    const scores: (typeof traitScores.$inferInsert)[] = [];
    for (const p of workspace.personas) {
      const duplicateOfId = p.duplicateOf ? idByExternal.get(`${p.sourceId}:${p.duplicateOf}`) : undefined;
      if (p.duplicateOf && duplicateOfId === undefined) {
        throw new Error(`demo persona ${p.externalId}: its base ${p.duplicateOf} was not stored first`);
      }
      const flags = p.flags.map((f) => (duplicateOfId !== undefined && f.code === 'duplicate' ? { ...f, relatedPersonaId: duplicateOfId } : f));
      const row = tx
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
        .returning({ id: personas.id })
        .get();
      idByExternal.set(`${p.sourceId}:${p.externalId}`, row.id);
      if (p.responses) {
        for (const [itemId, value] of p.responses.answers) {
          responses.push({
            personaId: row.id,
            instrumentId: p.responses.instrumentId,
            itemId,
            value,
            model: p.responses.model,
            temperature: p.responses.temperature,
            repetition: 0,
          });
        }
      }
      if (p.scores) scores.push({ personaId: row.id, instrumentId: p.scores.instrumentId, ...p.scores.values });
    }
    chunked(responses, 2000, (chunk) => tx.insert(itemResponses).values(chunk).run());
    chunked(scores, 1000, (chunk) => tx.insert(traitScores).values(chunk).run());

    tx.insert(meta).values({ key: SEED_KEY, value: version }).run();
    return true;
  });
}
