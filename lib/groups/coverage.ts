/**
 * Can the group set cover the group's target? Pure: trait scores in, a plain-English verdict out.
 *
 * Three signals, each with its threshold:
 * - ESS (Kish) of the final weights below 10% of the set size: a few personas carry the whole group;
 * - Pareto k-hat of the importance weights above 0.7: the weights are unreliable (Vehtari et al.);
 * - empty regions: target mass with no persona within `radius` reference SDs (coverage() of lib/align/coverage),
 *   named by their low / high trait pattern ("low E (≤ 2.1), high N (≥ 3.8)").
 * Alignment only moves mass between the personas it has, so empty regions are where new personas are needed.
 */
import { coverage, coverageIndex } from '../align/coverage';
import { TRAIT_NAMES, TRAITS, type Trait } from '../core/traits';
import { traitMoments } from '../targets/transform';

/** "extraversion", as the sentences name a trait. */
const lowerName = (t: Trait) => TRAIT_NAMES[t].toLowerCase();

export const LOW_ESS_SHARE = 0.1;
export const KHAT_LIMIT = 0.7;
/** A region (one low / middle / high pattern of the five traits) is named when it holds at least this share of the target. */
export const GAP_MIN_SHARE = 0.005;
/** Above this uncovered share the set is said not to cover the group. */
export const UNCOVERED_LIMIT = 0.05;
export const COVERAGE_RADIUS = 1;

export interface CoverageGapView {
  /** "low E (≤ 2.1), high N (≥ 3.8)". */
  label: string;
  /** Words for what personas to add. */
  missing: string;
  share: number;
  center: number[];
}

/** Uncovered target mass on one side of one trait (z below -0.5 or above 0.5 reference SDs). */
export interface CoverageDirectionView {
  trait: Trait;
  side: 'low' | 'high';
  /** Share of the whole target that is on this side and uncovered. */
  share: number;
  /** Share of this side's target mass that is uncovered. */
  uncoveredWithin: number;
  /** The cut on the 1-5 scale (≤ for low, ≥ for high). */
  cut: number;
}

export interface GroupCoverage {
  /** True when no threshold is crossed. */
  ok: boolean;
  setSize: number;
  ess: number | null;
  khat: number | null;
  uncoveredShare: number;
  radius: number;
  gaps: CoverageGapView[];
  /** Trait sides that hold the most uncovered mass, largest first (the personas to add). */
  directions: CoverageDirectionView[];
  /** One sentence per problem; empty when ok. */
  problems: string[];
  /** A one-paragraph summary for the UI and the export manifest. */
  statement: string;
}

function describePattern(pattern: Int8Array, ranges: Float64Array): { label: string; missing: string } {
  const label: string[] = [];
  const words: string[] = [];
  pattern.forEach((p, k) => {
    if (p < 0) {
      label.push(`low ${TRAITS[k]} (≤ ${ranges[2 * k + 1]!.toFixed(1)})`);
      words.push(`low ${lowerName(TRAITS[k]!)}`);
    } else if (p > 0) {
      label.push(`high ${TRAITS[k]} (≥ ${ranges[2 * k]!.toFixed(1)})`);
      words.push(`high ${lowerName(TRAITS[k]!)}`);
    }
  });
  return label.length
    ? { label: label.join(', '), missing: `personas with ${words.join(', ')}` }
    : { label: 'near the average on every trait', missing: 'personas near the average on every trait' };
}

/**
 * The coverage verdict of a group set against its target.
 * @param set trait scores of the set's personas, row-major n x 5
 * @param target the target sample, row-major m x 5
 * @param reference the raw respondents of the target (its mean and SD standardise the grid), row-major r x 5
 * @example groupCoverage({ set: x, setN: n, target: x, targetN: n, reference: x, referenceN: n, ess: n, khat: 0.2 }).ok === true
 */
export function groupCoverage(input: {
  set: Float64Array;
  setN: number;
  target: Float64Array;
  targetN: number;
  reference: Float64Array;
  referenceN: number;
  ess: number | null;
  khat: number | null;
}): GroupCoverage {
  const finite = (x: number | null) => (x !== null && Number.isFinite(x) ? x : null);
  const ess = finite(input.ess);
  const khat = finite(input.khat);
  const moments = traitMoments(input.reference, input.referenceN);
  const index = coverageIndex({ pool: { data: input.set, rows: input.setN, cols: 5 }, mean: moments.mean, sd: moments.sd, radius: COVERAGE_RADIUS });
  const cov = coverage({ index, target: { data: input.target, rows: input.targetN, cols: 5 }, maxGaps: 3 });
  // per trait side: how much of the target there has no persona nearby
  const directions: CoverageDirectionView[] = [];
  for (let k = 0; k < 5; k++) {
    for (const side of ['low', 'high'] as const) {
      const cut = side === 'low' ? moments.mean[k]! - 0.5 * moments.sd[k]! : moments.mean[k]! + 0.5 * moments.sd[k]!;
      const rows: number[] = [];
      for (let j = 0; j < input.targetN; j++) {
        const v = input.target[j * 5 + k]!;
        if (side === 'low' ? v < cut : v > cut) rows.push(j);
      }
      if (rows.length === 0) continue;
      const sub = new Float64Array(rows.length * 5);
      rows.forEach((j, r) => sub.set(input.target.subarray(j * 5, j * 5 + 5), r * 5));
      const within = coverage({ index, target: { data: sub, rows: rows.length, cols: 5 }, maxGaps: 0 }).uncoveredShare;
      directions.push({ trait: TRAITS[k]!, side, share: (within * rows.length) / input.targetN, uncoveredWithin: within, cut });
    }
  }
  // the sides where the pool is most absent (largest uncovered fraction), when they matter (>= 2% of the target)
  directions.sort((a, b) => b.uncoveredWithin - a.uncoveredWithin || b.share - a.share);
  const topDirections = directions.filter((d) => d.share >= GAP_MIN_SHARE * 4 && d.uncoveredWithin > cov.uncoveredShare).slice(0, 3);
  const gaps = cov.gaps
    .filter((g) => g.share >= GAP_MIN_SHARE)
    .map((g) => ({ ...describePattern(g.pattern, g.ranges), share: g.share, center: Array.from(g.center) }));
  const problems: string[] = [];
  if (ess !== null && ess < LOW_ESS_SHARE * input.setN) {
    problems.push(
      `Low effective sample size: ESS ${ess.toFixed(1)} is under 10% of the ${input.setN} personas in the set, so a few personas carry the group.`,
    );
  }
  if (khat !== null && khat > KHAT_LIMIT) {
    problems.push(`Unreliable importance weights: k-hat ${khat.toFixed(2)} is above ${KHAT_LIMIT}.`);
  }
  if (cov.uncoveredShare > UNCOVERED_LIMIT) {
    const named = topDirections.length
      ? ` Missing: ${topDirections
          .map((d) => `personas with ${d.side} ${lowerName(d.trait)} (${d.trait} ${d.side === 'low' ? '≤' : '≥'} ${d.cut.toFixed(1)}: ${(100 * d.uncoveredWithin).toFixed(0)}% of that part of the target has no persona nearby)`)
          .join('; ')}.`
      : gaps.length
        ? ` Missing: ${gaps.map((g) => `${g.missing} (${(100 * g.share).toFixed(1)}% of the target, ${g.label})`).join('; ')}.`
        : '';
    problems.push(
      `${(100 * cov.uncoveredShare).toFixed(0)}% of the group's target has no persona nearby (about ${COVERAGE_RADIUS} reference SD, on a grid).${named} Alignment cannot fill these regions: generate or import such personas.`,
    );
  }
  const statement = problems.length
    ? `The pool cannot fully cover this group. ${problems.join(' ')}`
    : `The set covers the group: ESS ${ess?.toFixed(1) ?? '—'} of ${input.setN}, k-hat ${khat?.toFixed(2) ?? 'not estimated'}, ${(100 * cov.uncoveredShare).toFixed(1)}% of the target without a persona nearby (about ${COVERAGE_RADIUS} reference SD).`;
  return {
    ok: problems.length === 0,
    setSize: input.setN,
    ess,
    khat,
    uncoveredShare: cov.uncoveredShare,
    radius: cov.radius,
    gaps,
    directions: topDirections,
    problems,
    statement,
  };
}
