/**
 * The weight estimators a full run may use, in words: the studio's choice list and the runs page's explanations.
 * Values are the engine's ESTIMATOR_CHOICES (lib/align/alignPool.ts); AUTO_CANDIDATE_LABELS are the labels of its
 * AUTO_CANDIDATES (lib/align/chooseEstimator.ts), kept here as text so the studio's client bundle does not load the
 * engine (tests/integration/studio/runFrontier.test.ts checks both lists against the engine).
 */
import type { EstimatorChoice } from '@/lib/align/alignPool';

export interface EstimatorOption {
  value: EstimatorChoice;
  /** Short name for the select. */
  name: string;
  /** One line: what the estimator matches. */
  explanation: string;
}

export const AUTO_CANDIDATE_LABELS = [
  'calibration (moments)',
  'calibration (moments + deciles)',
  'raking (quintiles)',
  'logistic (degree 2)',
  'kde (bandwidth 0.5)',
  'paper (kde 0.2 + OT)',
] as const;

export const ESTIMATOR_OPTIONS: readonly EstimatorOption[] = [
  {
    value: 'auto',
    name: 'Auto: chosen on held-out rows (default)',
    explanation:
      'Fits each candidate estimator on half of the target, draws its k-set, and keeps the one whose set is closest to the other half (lowest mean ratio to Raw).',
  },
  {
    value: 'calibration',
    name: 'Calibration (entropy balancing)',
    explanation: 'The weights closest to uniform that match the target’s trait means, variances and covariances exactly.',
  },
  {
    value: 'raking',
    name: 'Raking (quintiles)',
    explanation: 'Adjusts the weights trait by trait until each trait’s quintile shares match the target’s (iterative proportional fitting).',
  },
  {
    value: 'logistic',
    name: 'Logistic odds',
    explanation: 'Weights each persona by the odds that its trait profile is a human’s rather than a persona’s (degree-2 logistic regression).',
  },
  {
    value: 'kde',
    name: 'KDE importance weights',
    explanation: 'Target density over pool density, both Gaussian kernel estimates at the KDE bandwidth chosen on the left (as the live view).',
  },
  {
    value: 'paper',
    name: 'Paper: KDE + optimal transport',
    explanation: 'The paper’s pipeline: KDE weights at the chosen bandwidth, then entropic optimal transport on the top 70% of personas.',
  },
];

const RULES: Record<string, string> = { scott: 'Scott’s rule', silverman: 'Silverman’s rule' };
const fmtBandwidth = (b: number | string) => (typeof b === 'number' ? `bandwidth ${b.toFixed(2)} trait points` : `a bandwidth by ${RULES[b] ?? b}`);

/** What a full run with this choice will weight the pool by, as one sentence. */
export function estimatorPlan(choice: EstimatorChoice, bandwidth: number | string): string {
  switch (choice) {
    case 'auto':
      return `The full run will fit ${AUTO_CANDIDATE_LABELS.length} candidate estimators (${AUTO_CANDIDATE_LABELS.join(', ')}) on half of the target, keep the one whose k-set is closest to the other half, and weight the pool with it.`;
    case 'calibration':
      return 'The full run will weight the pool by calibration (entropy balancing of trait means, variances and covariances), without optimal transport.';
    case 'raking':
      return 'The full run will weight the pool by raking on each trait’s quintiles, without optimal transport.';
    case 'logistic':
      return 'The full run will weight the pool by degree-2 logistic odds, without optimal transport.';
    case 'kde':
      return `The full run will weight the pool by KDE importance weights with ${fmtBandwidth(bandwidth)}, without optimal transport.`;
    case 'paper':
      return `The full run will weight the pool by KDE importance weights with ${fmtBandwidth(bandwidth)} and refine them with entropic optimal transport (the paper’s method).`;
  }
}

/** The full run's estimator in a few words, for the live view's sentence. */
const RUN_SHORT: Record<EstimatorChoice, string> = {
  auto: 'auto (chooses by held-out divergence among calibration, raking, logistic, KDE and the paper’s method)',
  calibration: 'calibration (means, variances, covariances)',
  raking: 'raking (quintile shares of each trait)',
  logistic: 'logistic odds (degree 2)',
  kde: 'KDE importance weights',
  paper: 'the paper’s KDE weights refined by optimal transport',
};

/**
 * What the live figures are weighted by and what the full run will use, as one sentence, e.g. "Live: calibration
 * (means, variances, covariances). The full run uses: auto (chooses by held-out divergence ...)."
 */
export function liveEstimatorSentence(live: 'calibration' | 'kde', choice: EstimatorChoice, bandwidth: number | string): string {
  const liveText = live === 'calibration' ? 'calibration (means, variances, covariances)' : `KDE importance weights (${fmtBandwidth(bandwidth)})`;
  const run = choice === 'kde' || choice === 'paper' ? `${RUN_SHORT[choice]} (${fmtBandwidth(bandwidth)})` : RUN_SHORT[choice];
  return `Live: ${liveText}. The full run uses: ${run}.`;
}
