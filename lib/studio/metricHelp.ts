/** Definitions and formulas of every metric and diagnostic the studio shows (one click away in the UI). */
import { metricTitle } from '../core/metrics';

export const METRIC_HELP = {
  amw: {
    name: metricTitle('amw'),
    definition: 'Mean over the five traits of the 1-D Wasserstein-1 distance between the set and the target marginals.',
    formula: 'AMW = (1/5) Σ_k ∫ |F_set,k(t) − F_target,k(t)| dt',
    reading: 'In trait-scale points (1-5). 0 = identical marginals; lower is better.',
  },
  fd: {
    name: metricTitle('fd'),
    definition: 'Distance between Gaussian fits of the two five-trait distributions.',
    formula: 'FD = |μ_a − μ_b|² + Tr(Σ_a + Σ_b − 2 (Σ_a^½ Σ_b Σ_a^½)^½)',
    reading: 'In squared scale points. Sensitive to means and covariances; lower is better.',
  },
  sw: {
    name: metricTitle('sw'),
    definition: 'Mean 1-D Wasserstein-1 distance over random unit projections of the five traits (seeded).',
    formula: 'SW = (1/L) Σ_l W1(θ_lᵀX_a, θ_lᵀX_b), θ_l uniform on the unit sphere',
    reading: 'In scale points; catches joint differences that marginals miss. Lower is better.',
  },
  mmd: {
    name: metricTitle('mmd'),
    definition: 'Kernel distance between distributions with an RBF kernel, bandwidth by the median heuristic.',
    formula: 'MMD² = E k(a,a′) + E k(b,b′) − 2 E k(a,b),  k(x,y) = exp(−|x−y|² / 2σ²)',
    reading: 'Unitless, 0 for identical distributions; lower is better.',
  },
  maecorr: {
    name: metricTitle('maecorr'),
    definition: 'Mean absolute difference between the two Pearson correlation matrices (upper triangle, 10 pairs).',
    formula: 'MAEcorr = (1/10) Σ_{j<k} |r_a,jk − r_b,jk|',
    reading: 'Correlation units (0-2); lower means the trait structure matches.',
  },
  ess: {
    name: 'ESS (Kish effective sample size)',
    definition: 'How many equally weighted personas the weighted pool is worth.',
    formula: 'ESS = (Σ w_i)² / Σ w_i²',
    reading: 'Equals n for uniform weights; a small ESS means a few personas carry the set.',
  },
  designEffect: {
    name: 'Design effect',
    definition: 'Variance inflation caused by unequal weights (Kish 1965).',
    formula: 'deff = n / ESS = n Σ w_i² / (Σ w_i)²',
    reading: '1 for uniform weights; above about 3 the weighting is expensive.',
  },
  maxWeightShare: {
    name: 'Largest weight share',
    definition: 'The share of the total weight held by the single heaviest persona.',
    formula: 'max_i w_i / Σ w_i',
    reading: 'Close to 1/n is healthy; a large share means one persona dominates.',
  },
  khat: {
    name: 'k-hat (Pareto shape)',
    definition: 'Shape of a generalized Pareto fit to the largest weights (Pareto-smoothed importance sampling diagnostics).',
    formula: 'fit GPD(k, σ) to the top M = min(n/5, 3√n) ratios; k̂ = estimated shape',
    reading: 'k̂ < 0.5 good, 0.5-0.7 usable, > 0.7 the weights are unreliable (Vehtari et al.).',
  },
  asmd: {
    name: 'ASMD (absolute standardised mean difference)',
    definition: 'Per trait, the difference of means divided by the target SD.',
    formula: 'ASMD_k = |mean_set,k − mean_target,k| / sd_target,k',
    reading: 'Below 0.1 (the dashed line) is the usual balance threshold.',
  },
  weights: {
    name: 'Live weights',
    definition:
      'Calibration (default): the weights closest to uniform (in KL divergence) under which the pool has the target’s trait means, variances and covariances; solved on a fixed seeded subsample of a large pool, extended to every persona and refined by one Newton step on the whole pool. KDE (option): how much more common a persona’s trait profile is in the target than in the pool.',
    formula: 'calibration: w_i ∝ exp(λ · f(x_i)), f = (x_k, x_k², x_k x_l), λ s.t. Σ w_i f(x_i) = E_target f;  KDE: w_i ∝ p_target(x_i) / q_pool(x_i)',
    reading: 'Plotted as log10(n·w_i): 0 is the uniform weight 1/n.',
  },
  coverage: {
    name: 'Coverage gap',
    definition: 'Target respondents with no persona within the distance threshold (standardised trait space).',
    formula: 'uncovered = share of target points j with min_i |z_j − z_i| > r',
    reading: 'Weighting and resampling cannot create personas where there are none: these regions need new personas.',
  },
  sinkhorn: {
    name: 'Sinkhorn marginal error',
    definition: 'How far the transport plan is from its marginal constraints at each iteration.',
    formula: 'err_t = Σ_j |Σ_i P_ij − b_j| (the enforced marginal)',
    reading: 'Falls below the tolerance when the run converged.',
  },
} as const;
