/**
 * The recovery experiment shared by the unit test and the bench: split the human sample in two halves with a
 * seeded permutation; draw a biased "persona pool" from half A by weighted sampling without replacement with
 * weights exp(beta (zA + zC - zN)) (z = standardised trait scores), which favours agreeable, conscientious,
 * emotionally stable people as LLM personas are; the other half B is the reference.
 */
import { selectRows, type Matrix } from '../../lib/numeric/matrix';
import { createRng } from '../../lib/numeric/rng';
import { weightedMoments } from '../../lib/stats/weightedMoments';
import { selectWithoutReplacement } from '../../lib/align/selectWithoutReplacement';

export function biasedSplit(traits: Matrix, options: { seed?: number; poolSize: number; beta?: number; referenceSize?: number }) {
  const rng = createRng(options.seed ?? 1);
  const n = traits.rows;
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  const half = Math.floor(n / 2);
  const A = selectRows(traits, perm.slice(0, half));
  const B = selectRows(traits, perm.slice(half, half + Math.min(n - half, options.referenceSize ?? n)));
  const mom = weightedMoments(A);
  const beta = options.beta ?? 0.8;
  const w = new Float64Array(A.rows);
  for (let i = 0; i < A.rows; i++) {
    const z = (k: number) => (A.data[i * 5 + k]! - mom.mean[k]!) / mom.sd[k]!;
    w[i] = Math.exp(beta * (z(1) + z(2) - z(3)));
  }
  const idx = selectWithoutReplacement({ weights: w, size: Math.min(options.poolSize, A.rows), rng }).indices;
  return { pool: selectRows(A, idx), reference: B };
}

/**
 * n seeded draws with replacement from the rows of `traits` with probability proportional to exp(beta (zA + zC - zN)):
 * agreeable, conscientious and stable, as LLM personas are. The benches' pool generator.
 */
export function biasedBootstrap(traits: Matrix, n: number, seed: number, beta = 0.8): Matrix {
  const mom = weightedMoments(traits);
  const w = new Float64Array(traits.rows);
  let s = 0;
  for (let i = 0; i < traits.rows; i++) {
    const z = (k: number) => (traits.data[i * 5 + k]! - mom.mean[k]!) / mom.sd[k]!;
    w[i] = Math.exp(beta * (z(1) + z(2) - z(3)));
    s += w[i]!;
  }
  const cdf = new Float64Array(traits.rows);
  let c = 0;
  for (let i = 0; i < traits.rows; i++) cdf[i] = c += w[i]! / s;
  const rng = createRng(seed);
  const idx = new Uint32Array(n);
  for (let t = 0; t < n; t++) {
    const u = rng.next();
    let lo = 0;
    let hi = traits.rows - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    idx[t] = lo;
  }
  return selectRows(traits, idx);
}
