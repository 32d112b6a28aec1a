/** Definitions of the numbers the group and export screens show (beside lib/studio/metricHelp.ts). */
export const GROUP_HELP = {
  respondents: {
    name: 'Respondents',
    definition: 'People of the human reference (BIG5 IPIP-50 sample) that match the group’s countries, age band and gender.',
    formula: 'n = #{respondents r : country_r ∈ countries, ageMin ≤ age_r ≤ ageMax, gender_r ∈ genders}',
    reading: 'Under 100 the target distribution is noisy: widen the filters or use published country norms.',
  },
  uncovered: {
    name: 'Uncovered share',
    definition: 'Share of the group’s target with no persona of the set within 1 reference SD (grid approximation).',
    formula: 'Σ_j w_j · 1[no persona within radius of target point j], radius = 1 SD per trait',
    reading: 'Above 5% the set cannot represent part of the group: alignment only reweights the personas it has.',
  },
  drift: {
    name: 'Trait drift',
    definition: 'How far a revision’s measured traits moved from its parent’s (same instrument when available).',
    formula: 'drift_k = |score_revision,k − score_parent,k|, k ∈ {E, A, C, N, O}; flagged when max_k drift_k > 0.5',
    reading: 'A light revision should leave traits where they were; above 0.5 scale points it is flagged.',
  },
  score: {
    name: 'Retrieval score',
    definition: 'BM25 relevance of the persona for the description (MiniSearch), or the cosine similarity of embeddings.',
    formula: 'BM25: Σ_t IDF(t) · f(t,d)(k1+1) / (f(t,d) + k1(1 − b + b|d|/avgdl)); cosine = a·b / (|a||b|)',
    reading: 'Higher is more relevant; BM25 scores compare only within one query.',
  },
  weight: {
    name: 'Weight',
    definition:
      'In a weight export: the persona’s weight in its alignment run (from the run’s estimator, e.g. calibration or KDE + OT), summing to 1 over the pool. In a set export: count / k for draws with repeats, or the re-calibrated set weight for distinct personas; either sums to 1 over the exported rows.',
    formula: 'w_i = count_i / k (draws); w_i ∝ (w_i / π_i) exp(λ · f(x_i)) (distinct: Horvitz–Thompson start, calibrated)',
    reading: 'Uniform 1/n for a pool export.',
  },
  rows: {
    name: 'Rows',
    definition: 'Distinct personas in the exported file (a persona drawn several times is one row with its count).',
    formula: 'rows = #{i : count_i > 0} (every persona of the pool for a weight export)',
    reading: 'Equals k for a unique draw; smaller than k when personas repeat.',
  },
  count: {
    name: 'Selected count',
    definition: 'How many times the persona is in the selected set (draws with replacement repeat personas).',
    formula: 'count_i = #{draws equal to i}; Σ_i count_i = k',
    reading: '0 = not selected (only in weight exports).',
  },
} as const;
