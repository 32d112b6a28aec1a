/**
 * The set to export: the run's stored selection, the whole pool, or a fresh seeded draw (k draws with repeats by
 * systematic resampling, or k distinct personas by pivotal sampling with their weights re-calibrated to the target).
 */
import type { Db } from '../../db/client';
import { listExportPersonas } from '../../db/queries/exports';
import { horvitzThompsonWeights, recalibrateSet } from '../align/recalibrateSet';
import { selectPivotal } from '../align/selectPivotal';
import { selectSystematic } from '../align/selectSystematic';
import { DEFAULT_SELECTION } from '../core/defaults';
import { AppError } from '../http/errors';
import { MAX_SET_SIZE_ENV, maxSetSize, setSizeLimit, sizeLimitError } from '../limits/sizes';
import { AlignInputError } from '../numeric/alignInputError';
import type { Matrix } from '../numeric/matrix';
import { createRng } from '../numeric/rng';
import type { TargetSpec } from '../targets/schema';
import { buildTarget } from '../targets/service';
import type { ExportRequest, ExportSet, SetSelection } from './schema';
import { poolLabel, type Resolved } from './source';
import { fmt, plural } from './wording';

/**
 * The one rule for a set of k distinct personas that cannot be given: 422 `too_few_distinct` naming how many personas
 * are available (a positive weight) and, when the size allows it, suggesting k draws with repeats instead. A size over
 * POPULACE_MAX_SET_SIZE is refused first (size_limit), as for every set.
 */
export function checkDistinctSize(k: number, available: number, poolSize: number, label: string): void {
  const ceiling = maxSetSize();
  if (k > ceiling) throw sizeLimitError('size', k, ceiling, MAX_SET_SIZE_ENV);
  if (k <= available) return;
  const repeats = k <= setSizeLimit({ poolSize, distinct: false, poolLabel: label }).limit;
  throw new AppError(
    'too_few_distinct',
    `Cannot give ${plural(k, 'distinct persona')}: ${label} has ${fmt.format(available)} with a positive weight. ` +
      (repeats ? `Ask for at most ${fmt.format(available)}, or turn off "unique" to draw ${fmt.format(k)} with repeats.` : `Ask for at most ${fmt.format(available)}.`),
    422,
    { field: 'size', value: k, available, limit: available, repeats },
  );
}

export interface DrawnSet {
  /** Times each persona id is in the selection. */
  counts: Map<number, number>;
  /** Draws: the sum of the counts. */
  k: number;
  /** The manifest's selection.method sentence (kept from schema 1). */
  method: string;
  selection: SetSelection;
  selectionStatement: string;
  seed: number | null;
  /** Set weights of a unique draw by persona id (sum 1), else null. */
  setWeights: Map<number, number> | null;
  recalibration: ExportSet['weights']['recalibration'];
  /** Why a unique set was not re-calibrated. */
  reason: string | null;
}

/** Trait scores of personas as a k x 5 matrix, or null when one has no scores. */
function traitMatrix(db: Db, ids: number[]): Matrix | null {
  const byId = new Map(listExportPersonas({ db, ids }).map((p) => [p.id, p]));
  const data = new Float64Array(ids.length * 5);
  for (let r = 0; r < ids.length; r++) {
    const p = byId.get(ids[r]!);
    if (!p || p.E === null || p.A === null || p.C === null || p.N === null || p.O === null) return null;
    data.set([p.E, p.A, p.C, p.N, p.O], r * 5);
  }
  return { data, rows: ids.length, cols: 5 };
}

/**
 * k distinct personas by pivotal sampling on the run's weights, with set weights: the Horvitz-Thompson weights
 * w_i / pi_i re-calibrated to the target's moments (recalibrateSet), or the Horvitz-Thompson weights normalised when
 * there is no target, one persona, or the re-calibration refuses the set (the reason is kept).
 */
function drawUnique(request: ExportRequest, r: Resolved, k: number, spec: TargetSpec | null, db: Db): DrawnSet {
  // An export of every persona carries the run's weights: the set's weights are not needed.
  const weigh = request.set === 'selection';
  const res = selectPivotal({ weights: r.weights, size: k, rng: createRng(request.seed) });
  const ids = Array.from(res.indices, (i) => r.personaIds[i]!);
  const counts = new Map(ids.map((id) => [id, 1]));
  const ht = horvitzThompsonWeights(r.weights, res.inclusionProbabilities!, res.indices);
  let weights: Float64Array | null = null;
  let recalibration: DrawnSet['recalibration'] = null;
  let reason: string | null = null;
  if (!weigh) reason = null;
  else if (!spec) reason = 'a pool export has no target to re-calibrate to (every persona weighs the same).';
  else if (k < 2) reason = 'a set of one persona has weight 1; there is nothing to re-calibrate.';
  else {
    const set = traitMatrix(db, ids);
    if (!set) reason = 'a persona of the set has no trait scores any more, so the set cannot be compared with the target.';
    else {
      const target = buildTarget(spec, db);
      try {
        const rc = recalibrateSet({
          pool: set,
          indices: Uint32Array.from({ length: k }, (_, i) => i),
          baseWeights: ht,
          reference: { data: target.data, rows: target.n, cols: 5 },
        });
        weights = rc.weights;
        recalibration = {
          method: 'entropy balancing (calibration) from the Horvitz-Thompson weights',
          moments: rc.moments,
          converged: rc.converged,
          ess: rc.diagnostics.ess,
          constraints: rc.constraints.map((c, i) => ({ name: c.name, target: c.target, achieved: c.achieved, before: rc.baseConstraints[i]?.achieved ?? c.achieved, gap: c.gap, holds: c.holds })),
          warnings: rc.warnings,
        };
      } catch (e) {
        if (!(e instanceof AlignInputError)) throw e;
        reason = `the re-calibration refused the set: ${e.message}`;
      }
    }
  }
  if (!weights) {
    let total = 0;
    for (const b of ht) total += b;
    weights = Float64Array.from(ht, (b) => b / total);
  }
  const setWeights = new Map(ids.map((id, i) => [id, weights![i]!]));
  return {
    counts,
    k,
    method: !weigh
      ? 'pivotal sampling (Deville-Tille)'
      : recalibration
        ? 'pivotal sampling (Deville-Tille), weights re-calibrated to the target'
        : 'pivotal sampling (Deville-Tille), Horvitz-Thompson weights',
    selection: 'pivotal',
    selectionStatement: `${plural(k, 'distinct persona')} drawn from ${poolLabel(r)} by pivotal sampling (seed ${request.seed}): persona i is in the set with probability min(1, c w_i), so personas with large weights are always in it and the rest in proportion to their weight.`,
    seed: request.seed,
    setWeights,
    recalibration,
    reason,
  };
}

/** The set to export (stored selection, a fresh seeded draw, or the whole pool): counts per persona and how it was made. */
export function drawSet(request: ExportRequest, r: Resolved, spec: TargetSpec | null, db: Db): DrawnSet {
  const counts = new Map<number, number>();
  const fresh = request.size !== undefined || request.unique;
  const none = { setWeights: null, recalibration: null, reason: null };
  if (!fresh && r.selection) {
    for (const id of r.selection) counts.set(id, (counts.get(id) ?? 0) + 1);
    const k = r.selection.length;
    const used = r.run!.config.request.config.selection ?? DEFAULT_SELECTION;
    return {
      ...none,
      counts,
      k,
      method: `stored selection of run ${r.run!.id}`,
      selection: 'stored',
      selectionStatement: `The stored selection of run ${r.run!.id}: ${plural(k, 'draw')} (${used}, seed ${r.run!.seed}) of ${plural(counts.size, 'distinct persona')}.`,
      seed: r.run!.seed,
    };
  }
  if (!fresh) {
    for (const id of r.personaIds) counts.set(id, 1);
    return {
      ...none,
      counts,
      k: r.personaIds.length,
      method: 'whole pool',
      selection: 'whole-pool',
      selectionStatement: `Every persona of the pool once (${plural(r.personaIds.length, 'persona')}).`,
      seed: null,
    };
  }
  const k = request.size ?? (r.selection?.length || r.personaIds.length);
  // AlignInputError from the draw is answered 422 by route() (lib/errors.ts).
  if (request.unique) return drawUnique(request, r, k, spec, db);
  // The pool's trait scores order the draw along the trait-space curve, balance and refine it, as a run's own draw.
  const points = traitMatrix(db, r.personaIds) ?? undefined;
  const res = selectSystematic({ weights: r.weights, size: k, rng: createRng(request.seed), points });
  for (const i of res.indices) {
    const id = r.personaIds[i]!;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return {
    ...none,
    counts,
    k,
    method: 'systematic resampling (with replacement)',
    selection: 'systematic',
    selectionStatement: `${plural(k, 'draw')} with repeats from ${poolLabel(r)} by systematic resampling (seed ${request.seed}): ${plural(counts.size, 'distinct persona')}, each drawn about k w_i times.`,
    seed: request.seed,
  };
}
