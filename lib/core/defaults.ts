/**
 * The alignment defaults the command line, the studio, groups and exports share: the weight estimator, the selection,
 * the KDE bandwidths and the set size k. Read them here; the engine's own defaults (DEFAULT_ALIGN_CONFIG in
 * lib/align/alignConfig.ts) are the source of the numeric ones. Pure (part of the core), so the studio's Web Worker
 * and client components import it too.
 */
import { DEFAULT_ALIGN_CONFIG, type EstimatorChoice } from '../align/alignConfig';
import type { SelectionMethod } from '../align/selectionMethods';
import type { BandwidthSpec } from '../stats/bandwidth';
import type { KdeBandwidth, LiveMethod } from '../studio/liveTypes';

/** How a full run weights the pool unless told: `auto`, chosen by held-out divergence. */
export const DEFAULT_ESTIMATOR: EstimatorChoice = DEFAULT_ALIGN_CONFIG.estimator;

/**
 * How the set is drawn unless told: systematic resampling (draws with repeats keep the weights; the set carries
 * counts). A set of distinct personas close to the pool size cannot move far from the raw pool: on the demo pool,
 * k = 884 unique personas left AMW at 0.61 while 1,000 systematic draws reached 0.26. A run's diversity-fidelity
 * frontier shows the trade-off for its own weights.
 */
export const DEFAULT_SELECTION: SelectionMethod = DEFAULT_ALIGN_CONFIG.selection;

/** The KDE bandwidth of `populace align` and of the engine: the paper's 0.2 trait points. */
export const DEFAULT_KDE_BANDWIDTH: BandwidthSpec = DEFAULT_ALIGN_CONFIG.bandwidth;

/**
 * The studio's KDE bandwidth (its live KDE option and the KDE of its full runs) and the groups', 0.5 trait points.
 * Evidence (tests/unit/studio/live.test.ts): for a pool of 1,500 respondents drawn from the reference itself, weights
 * should be near uniform; bandwidth 0.20 (the paper's value) gave ESS 1.3 of 1,500, 0.35 gave 142, Scott's rule 38,
 * and 0.5 gave 1,419 (k-hat 0.60): in five dimensions the density ratio needs a wider kernel than the paper's to be
 * stable at this pool size.
 */
export const STUDIO_KDE_BANDWIDTH: KdeBandwidth = 0.5;

/** The studio's live weights unless told: calibration (the target's means, variances and covariances). */
export const DEFAULT_LIVE_METHOD: LiveMethod = 'calibration';

/** The set size k unless told: 1,000, or the whole pool when it is smaller (as the engine, lib/align/alignPool.ts). */
export const DEFAULT_SET_SIZE = 1000;
export const defaultSetSize = (poolSize: number): number => Math.min(DEFAULT_SET_SIZE, poolSize);
