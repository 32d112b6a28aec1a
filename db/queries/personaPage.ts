/**
 * The parts of the persona page: the persona with its source, summaries of related personas, duplicates, posts,
 * trait scores and item answers, its place in the reference sample and in recent runs, and its revision tree.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../client';
import type { Persona, PersonaFlag, PersonaStatus, QualityScore } from '../schema';
import { inList } from './personaFilter';

export interface PersonaRow {
  id: number;
  sourceId: string;
  sourceName: string;
  sourceLicence: string;
  externalId: string;
  authorId: number | null;
  parentId: number | null;
  name: string | null;
  narrative: string;
  age: number | null;
  ageBand: string;
  gender: string;
  country: string;
  occupation: string;
  model: string | null;
  promptVersion: string | null;
  status: PersonaStatus;
  qualityScores: Record<string, QualityScore> | null;
  flags: PersonaFlag[];
  duplicateOfId: number | null;
  minCriticScore: number | null;
  metadata: Record<string, unknown> | null;
  /** How each demographic value was obtained, with the phrase it was read from (null: not recorded yet). */
  demographicsOrigin: Persona['demographicsOrigin'];
  createdAt: string;
  updatedAt: string;
}

export function getPersonaById({ db, id }: { db: Db; id: number }): PersonaRow | null {
  // the JSON columns come back as text
  type RawRow = Omit<PersonaRow, 'qualityScores' | 'flags' | 'metadata' | 'demographicsOrigin'> & {
    qualityScores: string | null;
    flags: string | null;
    metadata: string | null;
    demographicsOrigin: string | null;
  };
  const r = db.get<RawRow | undefined>(sql`
    SELECT p.id AS id, p.source_id AS sourceId, s.name AS sourceName, s.licence AS sourceLicence, p.external_id AS externalId,
      p.author_id AS authorId, p.parent_id AS parentId, p.name AS name, p.narrative AS narrative, p.age AS age,
      p.age_band AS ageBand, p.gender AS gender, p.country AS country, p.occupation AS occupation, p.model AS model,
      p.prompt_version AS promptVersion, p.status AS status, p.quality_scores AS qualityScores, p.flags AS flags,
      p.duplicate_of_id AS duplicateOfId, p.min_critic_score AS minCriticScore, p.metadata AS metadata,
      p.demographics_origin AS demographicsOrigin, p.created_at AS createdAt, p.updated_at AS updatedAt
    FROM personas p JOIN sources s ON s.id = p.source_id WHERE p.id = ${id}`);
  if (!r) return null;
  const json = <T>(v: string | null): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : null);
  return {
    ...r,
    qualityScores: json<Record<string, QualityScore>>(r.qualityScores),
    flags: json<PersonaFlag[]>(r.flags) ?? [],
    metadata: json<Record<string, unknown>>(r.metadata),
    demographicsOrigin: json<PersonaRow['demographicsOrigin']>(r.demographicsOrigin),
  };
}

/** Short summaries of several personas (names for links: twins, revisions). */
export function getPersonaSummaries({ db, ids }: { db: Db; ids: number[] }) {
  if (ids.length === 0) return [];
  return db.all<{ id: number; name: string | null; status: PersonaStatus; sourceId: string; parentId: number | null; narrative: string; createdAt: string }>(sql`
    SELECT id, name, status, source_id AS sourceId, parent_id AS parentId, narrative, created_at AS createdAt
    FROM personas WHERE ${inList(sql`id`, ids)} ORDER BY id`);
}

/** Ids of the personas that duplicate this one (their duplicate_of_id points here). */
export function listDuplicateIds({ db, id, limit = 50 }: { db: Db; id: number; limit?: number }): number[] {
  return db.all<{ id: number }>(sql`SELECT id FROM personas WHERE duplicate_of_id = ${id} ORDER BY id LIMIT ${limit}`).map((r) => r.id);
}

/** The posts a mined persona was grounded in. */
export function listPersonaPosts({ db, personaId }: { db: Db; personaId: number }) {
  return db.all<{ id: number; text: string; cleanedText: string | null; postedAt: string | null; quality: string | null; kept: number | null; sourceId: string }>(sql`
    SELECT po.id AS id, po.text AS text, po.cleaned_text AS cleanedText, po.posted_at AS postedAt, po.quality AS quality,
      po.kept AS kept, po.source_id AS sourceId
    FROM persona_posts pp JOIN posts po ON po.id = pp.post_id WHERE pp.persona_id = ${personaId} ORDER BY po.posted_at, po.id`);
}

/** Trait scores of a persona, one row per instrument. */
export function listTraitScores({ db, personaId }: { db: Db; personaId: number }) {
  return db.all<{ instrumentId: string; instrumentName: string; E: number; A: number; C: number; N: number; O: number; spread: string | null }>(sql`
    SELECT ts.instrument_id AS instrumentId, coalesce(i.name, ts.instrument_id) AS instrumentName,
      ts.E AS E, ts.A AS A, ts.C AS C, ts.N AS N, ts.O AS O, ts.spread AS spread
    FROM trait_scores ts LEFT JOIN instruments i ON i.id = ts.instrument_id
    WHERE ts.persona_id = ${personaId}
    ORDER BY CASE ts.instrument_id WHEN 'ipip50' THEN 0 WHEN 'bfi44' THEN 1 WHEN 'mini-markers-40' THEN 2 ELSE 3 END`);
}

/** Item answers of a persona with the item text and key. */
export function listItemAnswers({ db, personaId }: { db: Db; personaId: number }) {
  return db.all<{ instrumentId: string; itemId: string; position: number | null; trait: string | null; keyed: string | null; text: string | null; value: number; model: string | null; temperature: number | null; repetition: number; scaleMin: number | null; scaleMax: number | null }>(sql`
    SELECT r.instrument_id AS instrumentId, r.item_id AS itemId, it.position AS position, it.trait AS trait, it.keyed AS keyed,
      it.text AS text, r.value AS value, r.model AS model, r.temperature AS temperature, r.repetition AS repetition,
      i.scale_min AS scaleMin, i.scale_max AS scaleMax
    FROM item_responses r
    LEFT JOIN instrument_items it ON it.instrument_id = r.instrument_id AND it.item_id = r.item_id
    LEFT JOIN instruments i ON i.id = r.instrument_id
    WHERE r.persona_id = ${personaId}
    ORDER BY r.instrument_id, it.position, r.item_id, r.repetition`);
}

/** The default reference sample (the first one stored) with its size. */
export function getDefaultReference({ db }: { db: Db }) {
  return (
    db.get<{ id: string; name: string; instrumentId: string; n: number }>(sql`
      SELECT rs.id AS id, rs.name AS name, rs.instrument_id AS instrumentId,
        (SELECT count(*) FROM reference_respondents r WHERE r.reference_set_id = rs.id) AS n
      FROM reference_sets rs ORDER BY rs.id LIMIT 1`) ?? null
  );
}

/** For each trait: how many reference respondents score below and exactly at the given value. */
export function countReferenceBelow({ db, referenceSetId, scores }: { db: Db; referenceSetId: string; scores: Record<'E' | 'A' | 'C' | 'N' | 'O', number> }) {
  const r = db.get<Record<string, number>>(sql`
    SELECT count(*) AS n,
      sum(E < ${scores.E}) AS E_below, sum(E = ${scores.E}) AS E_equal,
      sum(A < ${scores.A}) AS A_below, sum(A = ${scores.A}) AS A_equal,
      sum(C < ${scores.C}) AS C_below, sum(C = ${scores.C}) AS C_equal,
      sum(N < ${scores.N}) AS N_below, sum(N = ${scores.N}) AS N_equal,
      sum(O < ${scores.O}) AS O_below, sum(O = ${scores.O}) AS O_equal
    FROM reference_respondents WHERE reference_set_id = ${referenceSetId}`);
  return r ?? { n: 0 };
}

/** The persona's place in recent alignment runs: its weight and whether it was selected. */
export function listPersonaRuns({ db, personaId, limit = 10 }: { db: Db; personaId: number; limit?: number }) {
  return db
    .all<{ id: number; name: string; status: string; createdAt: string; poolSize: number; weight: number | null; selected: number; inPool: number }>(sql`
      SELECT r.id AS id, r.name AS name, r.status AS status, r.created_at AS createdAt,
        coalesce(json_array_length(r.persona_ids), 0) AS poolSize,
        (SELECT CAST(json_extract(r.weights, '$[' || pid.key || ']') AS REAL) FROM json_each(r.persona_ids) pid
          WHERE CAST(pid.value AS INTEGER) = ${personaId} LIMIT 1) AS weight,
        EXISTS (SELECT 1 FROM json_each(r.selection) s WHERE CAST(s.value AS INTEGER) = ${personaId}) AS selected,
        EXISTS (SELECT 1 FROM json_each(r.persona_ids) pid WHERE CAST(pid.value AS INTEGER) = ${personaId}) AS inPool
      FROM alignment_runs r ORDER BY r.id DESC LIMIT ${limit}`)
    .map((r) => ({ ...r, selected: r.selected === 1, inPool: r.inPool === 1 }));
}

/** The parent chain of a persona, nearest first (at most 50 steps; stops at a cycle). */
export function listAncestorIds({ db, id }: { db: Db; id: number }): number[] {
  return db
    .all<{ id: number }>(sql`
      WITH RECURSIVE chain(id, parent_id, depth) AS (
        SELECT id, parent_id, 0 FROM personas WHERE id = ${id}
        UNION
        SELECT p.id, p.parent_id, c.depth + 1 FROM personas p JOIN chain c ON p.id = c.parent_id WHERE c.depth < 50
      )
      SELECT id FROM chain WHERE depth > 0 ORDER BY depth`)
    .map((r) => r.id);
}

/** Every revision derived from a persona (children, their children, ...), oldest first (at most 200). */
export function listDescendantIds({ db, id }: { db: Db; id: number }): number[] {
  return db
    .all<{ id: number }>(sql`
      WITH RECURSIVE tree(id, depth) AS (
        SELECT id, 0 FROM personas WHERE id = ${id}
        UNION
        SELECT p.id, t.depth + 1 FROM personas p JOIN tree t ON p.parent_id = t.id WHERE t.depth < 50
      )
      SELECT id FROM tree WHERE depth > 0 ORDER BY depth, id LIMIT 200`)
    .map((r) => r.id);
}
