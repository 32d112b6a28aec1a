import { useSeededDatabase } from '../support/db.ts';
import { getStudioData } from '../../lib/studio/data.ts';
import { createPoolDensityCache, liveReweight } from '../../lib/align/index.ts';
const env = useSeededDatabase();
const d = getStudioData({});
const pool = { data: Float64Array.from(d.pool.data), rows: d.pool.n, cols: 5 };
const tm = { data: Float64Array.from(d.target.reference), rows: d.target.n, cols: 5 };
for (const bw of ['scott', 0.2] as const) {
  const ref = liveReweight({ cache: createPoolDensityCache({ pool, options: { bandwidth: bw, liveMaxNodes: 1 << 21 } }), target: tm });
  for (const nodes of [1 << 14, 1 << 15, 1 << 16, 1 << 17, 1 << 19]) {
    const cache = createPoolDensityCache({ pool, options: { bandwidth: bw, liveMaxNodes: nodes } });
    const ts: number[] = [];
    let r: any;
    for (let i = 0; i < 7; i++) { const t = performance.now(); r = liveReweight({ cache, target: tm }); ts.push(performance.now() - t); }
    ts.sort((a, b) => a - b);
    let l1 = 0; for (let i = 0; i < pool.rows; i++) l1 += Math.abs(r.weights[i] - ref.weights[i]);
    console.log(String(bw).padEnd(6), 'nodes', nodes, 'grid', Array.from(cache.grid.shape ?? []).join('x'), 'median ms', ts[3].toFixed(1), 'ess', r.ess.toFixed(1), 'ref ess', ref.ess.toFixed(1), 'L1 vs 2^21', l1.toFixed(4));
  }
}
env.cleanup();
