/** `populace metrics`: the five headline distances between two trait files, as JSON on stdout. */
import { CliError, numberOption, parseOptions, type OptionSpec } from '../args';
import { readTraitCsv, readWeightsCsv, TraitCsvError } from '../../io/traitCsv';
import { paperMetrics } from '../../stats/metrics';
import { AlignInputError } from '../../numeric/alignInputError';

export const summary = 'Distances (AMW, FD, SW, MMD, MAEcorr) between two id,E,A,C,N,O files';

const specs: OptionSpec[] = [
  { name: 'a', type: 'string', required: true, description: 'first set, CSV id,E,A,C,N,O (1-5)' },
  { name: 'b', type: 'string', required: true, description: 'second set, CSV id,E,A,C,N,O (1-5)' },
  { name: 'a-weights', type: 'string', description: 'CSV id,weight for the first set (default uniform)' },
  { name: 'b-weights', type: 'string', description: 'CSV id,weight for the second set (default uniform)' },
  { name: 'seed', type: 'string', description: 'seed of the SW directions and MMD median subsample (default 0)' },
  { name: 'projections', type: 'string', description: 'number of SW directions (default 100)' },
];

export async function run(argv: string[]): Promise<number> {
  const opts = parseOptions(argv, specs, 'metrics');
  try {
    const a = readTraitCsv(String(opts.a));
    const b = readTraitCsv(String(opts.b));
    const aWeights = opts['a-weights'] ? readWeightsCsv(String(opts['a-weights']), a.ids) : undefined;
    const bWeights = opts['b-weights'] ? readWeightsCsv(String(opts['b-weights']), b.ids) : undefined;
    const seed = numberOption(opts, 'seed', 0);
    const projections = numberOption(opts, 'projections', 100);
    if (!Number.isInteger(projections) || projections < 1) throw new CliError('option --projections must be a whole number of at least 1');
    const m = paperMetrics({ a: a.traits, b: b.traits, aWeights, bWeights, seed, projections });
    process.stdout.write(JSON.stringify(m, null, 2) + '\n');
    return 0;
  } catch (e) {
    if (e instanceof TraitCsvError || e instanceof AlignInputError) throw new CliError(e.message);
    throw e;
  }
}
