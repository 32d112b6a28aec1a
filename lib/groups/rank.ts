/**
 * Retrieval ranking of personas for a group description (no database access: candidates come in, ranked hits go
 * out, so tests run it on a small fixed corpus).
 *
 * - Lexical: BM25+ through MiniSearch over narrative, occupation and name, the description as the query; stop words
 *   dropped, whole words only ("over" never matches "overly"; a plural "-s" is folded so "students" matches
 *   "student"), a small fuzzy tolerance for typos in long words (one edit for 7+ letters), occupation boosted x2.
 *   "Why": the document terms that matched and the fields they matched in.
 * - Embedding: cosine similarity between the description's embedding and each narrative's. "Why": the score and the
 *   narrative's sentence that shares the most words with the description (cheap: no extra embeddings).
 * Ties are broken by persona id so rankings are deterministic.
 */
import MiniSearch from 'minisearch';

export interface RankDoc {
  id: number;
  name: string | null;
  narrative: string;
  occupation: string;
}

export interface LexicalWhy {
  method: 'bm25';
  /** Document terms that matched, with the fields they were found in. */
  terms: { term: string; fields: string[] }[];
}
export interface EmbeddingWhy {
  method: 'embedding';
  cosine: number;
  /** The narrative sentence closest to the description in shared words. */
  sentence: string;
}
export interface FilterWhy {
  method: 'filters';
}
export type MatchWhy = LexicalWhy | EmbeddingWhy | FilterWhy;

export interface RankedHit {
  id: number;
  score: number;
  why: MatchWhy;
}

/** Common English words that carry no topic (kept short: BM25 already discounts frequent terms). */
const STOP_WORDS = new Set(
  'a an and are as at be but by for from has have he her his i in is it its of on or our she that the their them they this to was were who with you your people person persons group living lives live'.split(
    ' ',
  ),
);

/** A word as the index and the query see it: lower case, a plural "-s" folded ("teachers" -> "teacher"; "class" kept). */
export function normalizeWord(word: string): string {
  const t = word.toLowerCase();
  return t.length >= 4 && t.endsWith('s') && !t.endsWith('ss') && !t.endsWith('us') && !t.endsWith('is') ? t.slice(0, -1) : t;
}

const processTerm = (term: string): string | null => {
  const t = term.toLowerCase();
  return t.length < 2 || STOP_WORDS.has(t) ? null : normalizeWord(t);
};

/** True when `word` occurs in `text` as a whole word (after the same normalisation as retrieval). */
export function containsWholeWord(text: string, word: string): boolean {
  const w = normalizeWord(word);
  return (text.match(/[\p{L}\p{N}]+/gu) ?? []).some((t) => normalizeWord(t) === w);
}

/** The terms of a description as the ranker sees them. */
export function queryTerms(text: string): string[] {
  return (text.match(/[\p{L}\p{N}]+/gu) ?? []).map(processTerm).filter((t): t is string => t !== null);
}

/** BM25 ranking of `docs` for `query`; only documents with at least one matching term are returned. */
export function rankLexical(docs: RankDoc[], query: string, limit: number): RankedHit[] {
  if (queryTerms(query).length === 0) return [];
  const ms = new MiniSearch<RankDoc>({
    fields: ['narrative', 'occupation', 'name'],
    idField: 'id',
    extractField: (doc, field) => {
      const v: unknown = doc[field as keyof RankDoc];
      if (field === 'occupation' && v === 'unknown') return '';
      return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
    },
    processTerm,
  });
  ms.addAll(docs);
  const results = ms.search(query, {
    combineWith: 'OR',
    prefix: false,
    fuzzy: (term) => (term.length >= 7 ? 1 : false),
    boost: { occupation: 2, name: 1, narrative: 1 },
  });
  return results
    .map((r) => ({
      id: Number(r.id),
      score: r.score,
      why: {
        method: 'bm25' as const,
        terms: Object.entries(r.match)
          .map(([term, fields]) => ({ term, fields: [...fields].sort() }))
          .sort((a, b) => a.term.localeCompare(b.term)),
      },
    }))
    .sort((a, b) => b.score - a.score || a.id - b.id)
    .slice(0, limit);
}

/** Cosine similarity of two vectors (0 when either is zero). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** Splits a narrative into sentences (., ! or ? followed by space, or line breaks). */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The sentence sharing the most whole words with the query; the first sentence on a tie. */
export function bestSentence(narrative: string, query: string): string {
  const q = queryTerms(query);
  const all = sentences(narrative);
  let best = all[0] ?? narrative;
  let bestScore = 0;
  for (const s of all) {
    const words = queryTerms(s);
    const score = q.filter((t) => words.includes(t)).length;
    if (score > bestScore) {
      bestScore = score;
      best = s;
    }
  }
  return best.length > 300 ? `${best.slice(0, 297)}…` : best;
}

/** Cosine ranking of documents by their embeddings against the query embedding. */
export function rankByEmbedding(
  docs: RankDoc[],
  vectors: ArrayLike<number>[],
  queryVector: ArrayLike<number>,
  query: string,
  limit: number,
): RankedHit[] {
  return docs
    .map((d, i) => ({ d, score: cosine(vectors[i]!, queryVector) }))
    .sort((a, b) => b.score - a.score || a.d.id - b.d.id)
    .slice(0, limit)
    .map(({ d, score }) => ({ id: d.id, score, why: { method: 'embedding' as const, cosine: score, sentence: bestSentence(d.narrative, query) } }));
}

/** Human-readable "why it matched" for lists and exports. */
export function describeWhy(why: MatchWhy): string {
  if (why.method === 'filters') return 'matches the demographic filters';
  if (why.method === 'embedding') return `cosine ${why.cosine.toFixed(3)}: “${why.sentence}”`;
  return `matched ${why.terms.map((t) => `${t.term} (${t.fields.join(', ')})`).join(', ')}`;
}
