/**
 * Persona retrieval for a group: demographic filters first (SQL), then ranking by the description, through
 * embeddings (`ai` SDK via lib/llm embedTexts, cached per text) when an embedding model is configured, otherwise
 * BM25 (MiniSearch). Every hit says why it matched.
 */
import type { Db } from '../../db/client';
import { listGroupCandidates, type CandidateRow } from '../../db/queries/groups';
import { embedTexts, isRoleAvailable } from '../llm';
import { checkRetrieveCount } from '../limits/sizes';
import { describeWhy, rankByEmbedding, rankLexical, type MatchWhy, type RankedHit } from './rank';
import type { PersonaSide } from './schema';

export type RetrievalMethod = 'embedding' | 'bm25' | 'filters';

export interface RetrievalHit {
  id: number;
  rank: number;
  name: string | null;
  excerpt: string;
  occupation: string;
  ageBand: string;
  gender: string;
  country: string;
  sourceId: string;
  status: CandidateRow['status'];
  /** Has trait scores (can enter an aligned set unless rejected). */
  measured: boolean;
  score: number;
  why: MatchWhy;
  whyText: string;
}

export interface RetrievalResult {
  method: RetrievalMethod;
  /** Personas left after the demographic filters. */
  candidates: number;
  hits: RetrievalHit[];
  /** Hits without trait scores (they cannot be aligned until measured). */
  unmeasured: number;
  note: string;
}

/**
 * Ranks the filtered candidates for the persona side of a group. The count (opts.limit, else the side's
 * retrieveCount) is bounded (lib/limits/sizes.ts; 422 naming the field and the limit).
 */
export async function retrievePersonas(db: Db, side: PersonaSide, opts: { signal?: AbortSignal; limit?: number } = {}): Promise<RetrievalResult> {
  const limit = opts.limit ?? side.retrieveCount;
  checkRetrieveCount(opts.limit !== undefined ? 'limit' : 'retrieveCount', limit);
  const candidates = listGroupCandidates({ db, filters: side.filters });
  const description = side.description?.trim() ?? '';
  let method: RetrievalMethod;
  let ranked: RankedHit[];
  if (!description) {
    method = 'filters';
    // no description: measured personas first, then by id
    ranked = [...candidates]
      .sort((a, b) => Number(b.instrumentId !== null) - Number(a.instrumentId !== null) || a.id - b.id)
      .slice(0, limit)
      .map((c) => ({ id: c.id, score: 0, why: { method: 'filters' as const } }));
  } else if (isRoleAvailable('embedder')) {
    method = 'embedding';
    const vectors = await embedTexts({ texts: [description, ...candidates.map((c) => c.narrative)], db, signal: opts.signal });
    ranked = rankByEmbedding(candidates, vectors.slice(1), vectors[0]!, description, limit);
  } else {
    method = 'bm25';
    ranked = rankLexical(candidates, description, limit);
  }
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const hits = ranked.map((r, i) => {
    const c = byId.get(r.id)!;
    return {
      id: c.id,
      rank: i + 1,
      name: c.name,
      excerpt: c.narrative.length > 280 ? `${c.narrative.slice(0, 277)}…` : c.narrative,
      occupation: c.occupation,
      ageBand: c.ageBand,
      gender: c.gender,
      country: c.country,
      sourceId: c.sourceId,
      status: c.status,
      measured: c.instrumentId !== null,
      score: r.score,
      why: r.why,
      whyText: describeWhy(r.why),
    };
  });
  const unmeasured = hits.filter((h) => !h.measured).length;
  const how =
    method === 'embedding'
      ? 'Ranked by cosine similarity of embeddings (embedding model configured).'
      : method === 'bm25'
        ? 'Ranked by BM25 over narrative, occupation and name (no embedding model configured: set LLM_EMBEDDER_MODEL to rank by embeddings).'
        : 'No description: personas matching the filters, measured ones first.';
  const unm = unmeasured
    ? ` ${unmeasured} of the hits have no trait scores and cannot enter the aligned set until measured (Pipeline → Measure, needs an LLM).`
    : '';
  return { method, candidates: candidates.length, hits, unmeasured, note: `${how}${unm}` };
}
