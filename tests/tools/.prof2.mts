import { useSeededDatabase } from '../support/db.ts';
import { getStudioData } from '../../lib/studio/data.ts';
import { amw, frechetDistance, maeCorr, mmd, slicedWasserstein, asmd, weightedMoments } from '../../lib/stats/index.ts';
import { createPoolDensityCache, liveReweight } from '../../lib/align/index.ts';
import { marginalDensities, evenGrid } from '../../lib/stats/marginalDensities.ts';
import { applyTransforms, traitMoments } from '../../lib/targets/transform.ts';
const env = useSeededDatabase();
const d = getStudioData({});
const pool = { data: Float64Array.from(d.pool.data), rows: d.pool.n, cols: 5 };
const ref = Float64Array.from(d.target.reference);
const tm = { data: ref, rows: d.target.n, cols: 5 };
const acc: Record<string, number[]> = {};
const time = (label: string, f: () => any) => { const t = performance.now(); const r = f(); (acc[label] ??= []).push(performance.now() - t); return r; };
const cache = createPoolDensityCache({ pool, options: { bandwidth: 'scott' } });
const mom = traitMoments(ref, d.target.n);
const sub = { data: ref.slice(0, 1000 * 5), rows: 1000, cols: 5 };
for (let it = 0; it < 10; it++) {
  const tr = [0,1,2,3,4].map(k => ({ shift: k === 0 ? it * 0.02 : 0, scale: 1 }));
  time('transform', () => applyTransforms(ref, d.target.n, tr, mom));
  const live = time('liveReweight', () => liveReweight({ cache, target: tm }));
  const w = live.weights;
  time('fd', () => frechetDistance({ a: pool, b: tm, aWeights: w }));
  time('maecorr', () => maeCorr({ a: pool, b: tm, aWeights: w }));
  time('sw', () => slicedWasserstein({ a: pool, b: sub, aWeights: w, projections: 50 }));
  time('mmd', () => mmd({ a: pool, b: sub, aWeights: w, mmdBandwidth: 1.5 }));
  time('asmd', () => asmd({ a: pool, b: tm, aWeights: w }));
  time('margT', () => marginalDensities(tm, undefined, evenGrid(1, 5, 81), 0.15));
  time('margW', () => marginalDensities(pool, w, evenGrid(1, 5, 81), 0.15));
  time('corr', () => weightedMoments(tm));
}
for (const [k, v] of Object.entries(acc)) { v.sort((a, b) => a - b); console.log(k.padEnd(14), 'median', v[5]!.toFixed(1), 'max', v[9]!.toFixed(1)); }
env.cleanup();
