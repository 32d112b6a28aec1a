/** What the alignment studio loads: the pool, the target's respondents, the preset transform inputs, baselines. */
import { getDb, type Db } from '../../db/client';
import { listPoolPersonas } from '../../db/queries/pool';
import { buildTarget } from '../targets/service';
import { listBaselineSets } from './baselines';

export function getStudioData(spec: unknown, db: Db = getDb()) {
  const target = buildTarget(spec, db);
  const pool = listPoolPersonas({ db });
  const poolData = new Array<number>(pool.length * 5);
  pool.forEach((p, i) => {
    poolData[i * 5] = p.E;
    poolData[i * 5 + 1] = p.A;
    poolData[i * 5 + 2] = p.C;
    poolData[i * 5 + 3] = p.N;
    poolData[i * 5 + 4] = p.O;
  });
  const sources: Record<string, number> = {};
  for (const p of pool) sources[p.sourceId] = (sources[p.sourceId] ?? 0) + 1;
  return {
    pool: { ids: pool.map((p) => p.id), data: poolData, n: pool.length, sources },
    target: {
      spec: target.spec,
      n: target.n,
      description: target.description,
      warnings: target.warnings,
      presetTargets: target.presetTargets,
      /** The respondents' raw scores; the worker applies the preset and slider edits itself. */
      reference: Array.from(target.reference),
    },
    baselines: listBaselineSets(db),
  };
}
export type StudioData = ReturnType<typeof getStudioData>;
