/**
 * Near-duplicate detection with MinHash over word shingles (Broder 1997) and locality-sensitive hashing by bands.
 *
 * The shingles of a text are its overlapping runs of `k` lower-cased words. The MinHash signature holds, for each of
 * `numHashes` seeded hash functions h_j, min over shingles s of h_j(s); the share of equal signature entries of two
 * texts estimates their Jaccard similarity |A ∩ B| / |A ∪ B|. Candidate pairs come from LSH: signatures are cut into
 * `bands` bands, and texts sharing any whole band are compared. Candidates are confirmed with the exact Jaccard
 * similarity of the shingle sets. Deterministic (fixed seeds). O(n * numHashes * |shingles|) plus the candidates.
 */

export function shingles(text: string, k = 3): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const out = new Set<string>();
  if (words.length < k) {
    if (words.length) out.add(words.join(' '));
    return out;
  }
  for (let i = 0; i + k <= words.length; i++) {
    let shingle = words[i]!;
    for (let j = 1; j < k; j++) shingle += ' ' + words[i + j]!;
    out.add(shingle);
  }
  return out;
}

/** 32-bit FNV-1a of a string with a seed. */
function fnv1a(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // final avalanche (murmur3 fmix32)
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** murmur3's 32-bit finaliser: spreads every input bit over the output. */
function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The MinHash signature of a shingle set. Each shingle is hashed twice (h1, h2: FNV-1a with two seeds) and hash
 * function j is fmix32(h1 + j * h2) (double hashing, Kirsch & Mitzenmacher 2006), so a shingle costs two passes over
 * its characters plus `numHashes` multiplications instead of `numHashes` passes.
 */
export function minhashSignature(set: Set<string>, numHashes = 64): Uint32Array {
  const sig = new Uint32Array(numHashes).fill(0xffffffff);
  for (const s of set) {
    const h1 = fnv1a(s, 0);
    const h2 = fnv1a(s, 0x9e3779b1) | 1;
    for (let j = 0; j < numHashes; j++) {
      const h = fmix32((h1 + Math.imul(j, h2)) >>> 0);
      if (h < sig[j]!) sig[j] = h;
    }
  }
  return sig;
}

export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  let eq = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) eq++;
  return a.length ? eq / a.length : 0;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

export interface DuplicatePair {
  /** The earlier item (kept as the original). */
  a: number;
  /** The later item (flagged as the near-duplicate of a). */
  b: number;
  similarity: number;
}

/**
 * Pairs of items whose shingle sets have Jaccard similarity >= threshold. Items are identified by `id`; in each
 * pair `a` comes before `b` in the input order.
 */
export function findNearDuplicates(
  items: { id: number; text: string }[],
  { threshold = 0.8, k = 3, numHashes = 64, bands = 16 }: { threshold?: number; k?: number; numHashes?: number; bands?: number } = {},
): DuplicatePair[] {
  const sets = items.map((it) => shingles(it.text, k));
  const sigs = sets.map((s) => minhashSignature(s, numHashes));
  const rows = Math.max(1, Math.floor(numHashes / bands));
  const candidates = new Set<string>();
  for (let band = 0; band < bands; band++) {
    const buckets = new Map<string, number[]>();
    for (let i = 0; i < items.length; i++) {
      const key = Array.from(sigs[i]!.subarray(band * rows, band * rows + rows)).join(',');
      const list = buckets.get(key);
      if (list) list.push(i);
      else buckets.set(key, [i]);
    }
    for (const list of buckets.values()) {
      for (let x = 0; x < list.length; x++) for (let y = x + 1; y < list.length; y++) candidates.add(`${list[x]},${list[y]}`);
    }
  }
  const out: DuplicatePair[] = [];
  for (const c of candidates) {
    const [i, j] = c.split(',').map(Number) as [number, number];
    const sim = jaccard(sets[i]!, sets[j]!);
    if (sim >= threshold) out.push({ a: items[i]!.id, b: items[j]!.id, similarity: sim });
  }
  return out.sort((p, q) => p.b - q.b || p.a - q.a);
}
