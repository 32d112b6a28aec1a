import { AlignInputError } from '../numeric/alignInputError';

/** A bandwidth: a fixed number (isotropic), one number per dimension, or a rule name from `bandwidthRules`. */
export type BandwidthSpec = number | readonly number[] | BandwidthRuleName;
export type BandwidthRuleName = 'scott' | 'silverman';

/** Shared input of every bandwidth rule. */
export interface BandwidthRuleInput {
  /** Effective sample size (Kish, (sum w)^2 / sum w^2; n for uniform weights). */
  effectiveSize: number;
  /** Dimension d. */
  dimension: number;
}

/**
 * Bandwidth rules keyed by name. Each returns a factor f in standard-deviation units: the kernel standard
 * deviation along a standardised axis is f (scipy.stats.gaussian_kde's `factor`).
 * - scott (Scott 1992): f = n^(-1/(d+4))
 * - silverman (Silverman 1986): f = (n (d + 2) / 4)^(-1/(d+4))
 * O(1). Example: bandwidthRules.scott({ effectiveSize: 1000, dimension: 5 }) ~= 0.4642
 */
export const bandwidthRules: Record<BandwidthRuleName, (input: BandwidthRuleInput) => number> = {
  scott: ({ effectiveSize: n, dimension: d }) => Math.pow(n, -1 / (d + 4)),
  silverman: ({ effectiveSize: n, dimension: d }) => Math.pow((n * (d + 2)) / 4, -1 / (d + 4)),
};

/**
 * Turns a BandwidthSpec into per-dimension kernel standard deviations on the standardised scale.
 *
 * A number or array is taken as given (units of the chosen scale; trait points when standardise = 'none').
 * A rule gives factor f; on the raw scale ('none') the per-dimension bandwidth is f * sd_k (a diagonal
 * version of scipy's rule), on 'diagonal' / 'whiten' it is f (the data already have unit spread).
 * Throws AlignInputError BAD_PARAMETER for non-positive values and CONSTANT_TRAIT for a zero-spread
 * column under a rule. O(d).
 * @example resolveBandwidth(0.2, 5, 100, new Float64Array(5).fill(1), 'none') -> [0.2, 0.2, 0.2, 0.2, 0.2]
 */
export function resolveBandwidth(
  spec: BandwidthSpec,
  dimension: number,
  effectiveSize: number,
  sd: Float64Array,
  mode: 'none' | 'diagonal' | 'whiten',
): Float64Array {
  const out = new Float64Array(dimension);
  if (typeof spec === 'number') {
    if (!(spec > 0) || !Number.isFinite(spec)) throw new AlignInputError('BAD_PARAMETER', `The bandwidth must be a positive number, got ${spec}.`);
    out.fill(spec);
    return out;
  }
  if (typeof spec === 'string') {
    const rule = bandwidthRules[spec];
    if (!rule) throw new AlignInputError('BAD_PARAMETER', `Unknown bandwidth rule "${String(spec)}"; use a number, 'scott' or 'silverman'.`);
    const f = rule({ effectiveSize, dimension });
    for (let k = 0; k < dimension; k++) {
      if (mode === 'none') {
        if (!(sd[k]! > 1e-9)) {
          throw new AlignInputError('CONSTANT_TRAIT', `Column ${k + 1} has no spread, so the ${spec} rule gives a zero bandwidth; use a fixed bandwidth instead.`, { col: k });
        }
        out[k] = f * sd[k]!;
      } else out[k] = f;
    }
    return out;
  }
  if (spec.length !== dimension) throw new AlignInputError('BAD_PARAMETER', `Give one bandwidth per dimension (${dimension}), got ${spec.length}.`);
  for (let k = 0; k < dimension; k++) {
    const v = spec[k]!;
    if (!(v > 0) || !Number.isFinite(v)) throw new AlignInputError('BAD_PARAMETER', `Bandwidth ${k + 1} must be a positive number, got ${v}.`);
    out[k] = v;
  }
  return out;
}
