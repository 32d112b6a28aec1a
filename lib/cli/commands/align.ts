/**
 * `populace align`: global alignment of a persona pool to a human reference (weights from an estimator chosen by
 * held-out divergence, or a named one; optional OT; selection) and the Raw / RandomSelect / Resample comparison.
 * Writes DIR/weights.csv, DIR/selection.csv (one row per draw; repeats allowed by default) and DIR/report.json
 * (with the estimator's candidate table and, with --frontier, the diversity-fidelity frontier).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, numberOption, parseOptions, type OptionSpec } from '../args';
import { readTraitCsv, readWeightsCsv, TraitCsvError, writeCsv } from '../../io/traitCsv';
import { alignPool, ESTIMATOR_CHOICES, type AlignConfig } from '../../align/alignPool';
import { diversityFrontier } from '../../align/diversityFrontier';
import { selectionMethods, type SelectionMethod } from '../../align/selectionMethods';
import { AlignInputError } from '../../numeric/alignInputError';
import { DEFAULT_ESTIMATOR, DEFAULT_KDE_BANDWIDTH, DEFAULT_SELECTION, DEFAULT_SET_SIZE } from '../../core/defaults';
import { TRAITS } from '../../core/traits';

export const summary = 'Align a persona pool to a human reference and write weights, selection and a report';

const specs: OptionSpec[] = [
  { name: 'pool', type: 'string', required: true, description: 'persona pool, CSV id,E,A,C,N,O (1-5)' },
  { name: 'reference', type: 'string', required: true, description: 'human reference, CSV id,E,A,C,N,O (1-5)' },
  { name: 'out', type: 'string', required: true, description: 'output directory (created)' },
  { name: 'seed', type: 'string', description: 'seed of every random choice (default 0)' },
  { name: 'size', type: 'string', description: `number of personas to select (default min(${DEFAULT_SET_SIZE}, pool size))` },
  { name: 'reference-weights', type: 'string', description: 'CSV id,weight for the reference rows (the target; default uniform)' },
  { name: 'estimator', type: 'string', description: `weights: ${ESTIMATOR_CHOICES.join(', ')} (default ${DEFAULT_ESTIMATOR}${DEFAULT_ESTIMATOR === 'auto' ? ': chosen on held-out reference rows' : ''})` },
  { name: 'refine', type: 'string', description: 'OT refinement after a named estimator: none (default), ot' },
  { name: 'bins', type: 'string', description: 'quantile bins per trait for calibration (0 = moments only, default) and raking (default 5)' },
  { name: 'frontier', type: 'flag', description: 'also measure distinct sets of several sizes (the diversity-fidelity frontier) into report.json' },
  { name: 'variant', type: 'string', description: 'OT variant: semiRelaxed (default), balanced, unbalanced' },
  { name: 'tau', type: 'string', description: 'KL strength of relaxed marginals (default = epsilon)' },
  { name: 'epsilon', type: 'string', description: 'absolute entropic epsilon (default 0.08 x median cost)' },
  { name: 'epsilon-factor', type: 'string', description: 'epsilon as a multiple of the median cost (default 0.08)' },
  { name: 'max-iterations', type: 'string', description: 'Sinkhorn iterations (default 250)' },
  { name: 'tolerance', type: 'string', description: 'Sinkhorn marginal-error tolerance (default 1e-6)' },
  { name: 'bandwidth', type: 'string', description: `KDE bandwidth in trait points, or scott / silverman (default ${String(DEFAULT_KDE_BANDWIDTH)})` },
  { name: 'truncation', type: 'string', description: 'importance-weight tail: psis (default), cap, none' },
  { name: 'candidate-fraction', type: 'string', description: 'share of personas kept by importance weight before OT (default 0.7)' },
  { name: 'selection', type: 'string', description: `${DEFAULT_SELECTION} (default${DEFAULT_SELECTION === 'systematic' ? ': draws with repeats keep the weights' : ''}), ${Object.keys(selectionMethods).filter((m) => m !== DEFAULT_SELECTION).join(', ')}` },
  { name: 'max-support', type: 'string', description: 'reference support points for the OT solve (default 300)' },
];

const oneOf = <T extends string>(opts: Record<string, unknown>, name: string, allowed: readonly T[]): T | undefined => {
  const v = opts[name];
  if (v === undefined) return undefined;
  if (!allowed.includes(v as T)) throw new CliError(`option --${name} must be one of ${allowed.join(', ')}, got "${String(v)}"`);
  return v as T;
};

export async function run(argv: string[]): Promise<number> {
  const opts = parseOptions(argv, specs, 'align');
  try {
    const pool = readTraitCsv(String(opts.pool));
    const reference = readTraitCsv(String(opts.reference));
    const targetWeights = opts['reference-weights'] ? readWeightsCsv(String(opts['reference-weights']), reference.ids) : undefined;
    const config: Partial<AlignConfig> = {};
    config.seed = numberOption(opts, 'seed', 0);
    if (opts.size !== undefined) {
      const size = numberOption(opts, 'size', 0);
      if (!Number.isInteger(size) || size < 1) throw new CliError(`option --size must be a whole number of at least 1, got "${String(opts.size)}"`);
      config.size = size;
    }
    config.variant = oneOf(opts, 'variant', ['balanced', 'semiRelaxed', 'unbalanced'] as const);
    config.truncation = oneOf(opts, 'truncation', ['psis', 'cap', 'none'] as const);
    config.selection = oneOf(opts, 'selection', Object.keys(selectionMethods) as SelectionMethod[]);
    config.estimator = oneOf(opts, 'estimator', ESTIMATOR_CHOICES);
    config.refine = oneOf(opts, 'refine', ['none', 'ot'] as const);
    if (opts.bins !== undefined) config.bins = numberOption(opts, 'bins', 0);
    if (opts.tau !== undefined) config.tau = numberOption(opts, 'tau', 0);
    if (opts.epsilon !== undefined) config.epsilon = numberOption(opts, 'epsilon', 0);
    if (opts['epsilon-factor'] !== undefined) config.epsilonFactor = numberOption(opts, 'epsilon-factor', 0.08);
    if (opts['max-iterations'] !== undefined) config.maxIterations = numberOption(opts, 'max-iterations', 250);
    if (opts.tolerance !== undefined) config.tolerance = numberOption(opts, 'tolerance', 1e-6);
    if (opts['candidate-fraction'] !== undefined) config.candidateFraction = numberOption(opts, 'candidate-fraction', 0.7);
    if (opts['max-support'] !== undefined) config.maxSupport = numberOption(opts, 'max-support', 300);
    if (opts.bandwidth !== undefined) {
      const b = String(opts.bandwidth);
      // the option is given here, so numberOption's fallback is never used
      config.bandwidth = b === 'scott' || b === 'silverman' ? b : numberOption(opts, 'bandwidth', Number.NaN);
    }
    const started = Date.now();
    const r = alignPool({ pool: pool.traits, reference: reference.traits, targetWeights, config });
    const seconds = (Date.now() - started) / 1000;
    const out = String(opts.out);
    mkdirSync(out, { recursive: true });
    writeCsv(join(out, 'weights.csv'), ['id', 'weight'], pool.ids.map((id, i) => [id, r.weights[i]!]));
    writeCsv(join(out, 'selection.csv'), ['id'], Array.from(r.selection, (i) => [pool.ids[i]!]));
    const report = {
      metrics: r.metrics,
      diagnostics: r.diagnostics,
      estimator: {
        choice: r.estimator.choice,
        used: r.estimator.used.label,
        candidates: r.estimator.candidates?.map((c) => ({ label: c.label, score: c.score, heldOut: c.heldOut, ess: c.ess, distinct: c.distinct, converged: c.converged, error: c.error })) ?? null,
        heldOut: r.estimator.heldOut,
        constraints: r.estimator.constraints,
      },
      selection: { method: r.config.selection, draws: r.selection.length, distinct: new Set(r.selection).size },
      frontier: opts.frontier ? frontierReport(pool.traits, r.weights, reference.traits, targetWeights, r.config.seed) : null,
      ot: r.ot ? { ...r.ot, marginalError: Array.from(r.ot.marginalError) } : null,
      balance: Object.fromEntries(
        Object.entries(r.balance).map(([k, v]) => [k, { asmd: Array.from(v.asmd), ks: Array.from(v.ks), energy: v.energy, traits: [...TRAITS] }]),
      ),
      config: r.config,
      inputs: { pool: String(opts.pool), poolRows: pool.ids.length, reference: String(opts.reference), referenceRows: reference.ids.length, referenceWeights: opts['reference-weights'] ?? null },
      seconds,
    };
    writeFileSync(join(out, 'report.json'), JSON.stringify(report, null, 2) + '\n');
    process.stdout.write(
      `aligned ${pool.ids.length} personas to ${reference.ids.length} reference rows in ${seconds.toFixed(2)} s; selected ${r.selection.length}\n` +
        `estimator ${r.estimator.used.label}${r.estimator.choice === 'auto' ? ' (chosen on held-out rows)' : ''}; ${r.selection.length} draws, ${new Set(r.selection).size} distinct personas\n` +
        `AMW raw ${r.metrics.raw.amw.toFixed(4)} random ${r.metrics.randomSelect.amw.toFixed(4)} resample ${r.metrics.resample.amw.toFixed(4)}; ESS ${r.diagnostics.ess.toFixed(1)}; k-hat ${r.diagnostics.khat.toFixed(2)}; converged ${r.diagnostics.converged}\n` +
        r.diagnostics.warnings.map((w) => `warning: ${w}\n`).join('') +
        `wrote ${join(out, 'weights.csv')}, ${join(out, 'selection.csv')}, ${join(out, 'report.json')}\n`,
    );
    return 0;
  } catch (e) {
    if (e instanceof TraitCsvError || e instanceof AlignInputError) throw new CliError(e.message);
    throw e;
  }
}

/** The diversity-fidelity frontier for report.json: metrics of distinct sets of several sizes and of systematic draws. */
function frontierReport(pool: Parameters<typeof diversityFrontier>[0]['pool'], weights: Float64Array, reference: Parameters<typeof diversityFrontier>[0]['reference'], targetWeights: ArrayLike<number> | undefined, seed: number) {
  const f = diversityFrontier({ pool, weights, reference, targetWeights, seed });
  return {
    method: f.method,
    sizes: Array.from(f.sizes),
    distinct: Object.fromEntries(Object.entries(f.distinct).map(([k, v]) => [k, Array.from(v as Float64Array)])),
    normalisedDivergence: Array.from(f.normalisedDivergence),
    systematic: Object.fromEntries(Object.entries(f.systematic).map(([k, v]) => [k, Array.from(v as Float64Array)])),
    systematicDistinct: Array.from(f.systematicDistinct),
    recommendedSize: f.recommendedSize,
  };
}
