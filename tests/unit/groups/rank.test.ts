/** Retrieval ranking on a small fixed corpus (tests/fixtures/retrieval/corpus.json). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bestSentence, containsWholeWord, cosine, describeWhy, normalizeWord, queryTerms, rankByEmbedding, rankLexical, type RankDoc } from '@/lib/groups/rank';

const corpus = JSON.parse(readFileSync(path.join(process.cwd(), 'tests/fixtures/retrieval/corpus.json'), 'utf8')) as {
  docs: RankDoc[];
  queries: { q: string; top: number[]; terms?: Record<string, string[]> }[];
};

describe('BM25 retrieval (MiniSearch)', () => {
  for (const query of corpus.queries) {
    it(`ranks "${query.q}" with ${query.top.join(', ')} first`, () => {
      const hits = rankLexical(corpus.docs, query.q, 10);
      expect(hits.slice(0, query.top.length).map((h) => h.id)).toEqual(query.top);
      for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
      for (const [id, terms] of Object.entries(query.terms ?? {})) {
        const hit = hits.find((h) => h.id === Number(id))!;
        expect(hit.why.method).toBe('bm25');
        const matched = hit.why.method === 'bm25' ? hit.why.terms.map((t) => t.term) : [];
        for (const t of terms) expect(matched.some((m) => m.startsWith(t.slice(0, 5)))).toBe(true);
      }
    });
  }

  it('says which terms matched in which fields', () => {
    const [hit] = rankLexical(corpus.docs, 'farmer Utrecht', 1);
    expect(hit!.id).toBe(5);
    expect(hit!.why).toEqual({
      method: 'bm25',
      terms: [
        { term: 'farmer', fields: ['occupation'] },
        { term: 'utrecht', fields: ['narrative'] },
      ],
    });
    expect(describeWhy(hit!.why)).toBe('matched farmer (occupation), utrecht (narrative)');
  });

  it('returns only documents that match, is deterministic, and ignores stop words', () => {
    expect(rankLexical(corpus.docs, 'the of in who', 10)).toEqual([]);
    const a = rankLexical(corpus.docs, 'university student', 10);
    expect(a.map((h) => h.id)).toEqual(rankLexical([...corpus.docs].reverse(), 'university student', 10).map((h) => h.id));
    expect(a.every((h) => [4, 6].includes(h.id))).toBe(true);
    expect(queryTerms('People living in Hong Kong')).toEqual(['hong', 'kong']);
  });

  it('keeps the limit', () => {
    expect(rankLexical(corpus.docs, 'dogs school teacher university', 2)).toHaveLength(2);
  });
});

describe('embedding retrieval', () => {
  it('ranks by cosine and names the closest sentence', () => {
    // 2-D toy embeddings: doc 3 points along the query, doc 1 orthogonal, doc 5 opposite
    const docs = corpus.docs.filter((d) => [1, 3, 5].includes(d.id));
    const vectors = [
      [0, 1],
      [1, 0.1],
      [-1, 0],
    ];
    const hits = rankByEmbedding(docs, vectors, [2, 0], 'engineers who play the cello', 3);
    expect(hits.map((h) => h.id)).toEqual([3, 1, 5]);
    expect(hits[0]!.score).toBeCloseTo(1 / Math.hypot(1, 0.1), 12);
    expect(hits[2]!.score).toBeCloseTo(-1, 12);
    expect(hits[0]!.why).toMatchObject({ method: 'embedding', sentence: 'She cycles to work and plays the cello in an amateur orchestra.' });
  });

  it('cosine handles zero vectors and scale', () => {
    expect(cosine([0, 0], [1, 1])).toBe(0);
    expect(cosine([2, 0], [5, 0])).toBeCloseTo(1, 12);
    expect(bestSentence('One. Two dogs here. Three.', 'dogs')).toBe('Two dogs here.');
    expect(bestSentence('One. Two.', 'nothing')).toBe('One.');
  });
});

describe('whole-word matching', () => {
  const docs: RankDoc[] = [
    { id: 1, name: null, occupation: 'unknown', narrative: 'An overly cautious accountant who plans everything.' },
    { id: 2, name: null, occupation: 'unknown', narrative: 'A retired nurse, well over 60, who gardens.' },
    { id: 3, name: null, occupation: 'teacher', narrative: 'Teaches history to students in Lyon.' },
    { id: 4, name: null, occupation: 'unknown', narrative: 'Overseas student who moved over the summer.' },
  ];

  it('"over" matches the word over, never overly or overseas', () => {
    const hits = rankLexical(docs, 'over', 10);
    expect(hits.map((h) => h.id).sort()).toEqual([2, 4]);
    for (const h of hits) expect(h.why.method === 'bm25' && h.why.terms.map((t) => t.term)).toEqual(['over']);
  });

  it('folds plurals but not prefixes', () => {
    expect(rankLexical(docs, 'student', 10).map((h) => h.id).sort()).toEqual([3, 4]);
    expect(rankLexical(docs, 'teachers', 10).map((h) => h.id)).toEqual([3]);
    expect(rankLexical(docs, 'retire', 10)).toEqual([]);
    expect(normalizeWord('Students')).toBe('student');
    expect(normalizeWord('class')).toBe('class');
    expect(normalizeWord('bus')).toBe('bus');
  });

  it('tolerates one typo in long words only', () => {
    expect(rankLexical(docs, 'accountnt', 10).map((h) => h.id)).toEqual([1]);
    expect(rankLexical(docs, 'nurs', 10)).toEqual([]);
  });

  it('picks the sentence by whole words and tests words in text', () => {
    expect(bestSentence('He is overly busy. She is over there.', 'over')).toBe('She is over there.');
    expect(containsWholeWord('An overly long day', 'over')).toBe(false);
    expect(containsWholeWord('Over the hills', 'over')).toBe(true);
    expect(containsWholeWord('Two students', 'student')).toBe(true);
  });
});
