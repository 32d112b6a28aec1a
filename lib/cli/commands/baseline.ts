/** `baseline`: the no-persona baseline (items answered without a persona at several temperatures), as a resumable job. */
import { CliError, numberOption, parseOptions } from '../args';
import { runJobHeadless } from '../../pipeline/cli';
import { baselineJob } from '../../pipeline/jobs';
import { baselineParamsSchema } from '../../pipeline/schema';
import { isRoleAvailable } from '../../llm';
import { prepareWorkspace } from '../../workspace/prepare';

export const summary = 'answer the instrument without a persona at temperatures 0, 0.7 and 1.0 (comparison set)';

export async function run(argv: string[]): Promise<number> {
  const o = parseOptions(
    argv,
    [
      { name: 'instrument', type: 'string', description: 'ipip50 (default) or ipip-neo-120' },
      { name: 'temperatures', type: 'string', description: 'comma-separated (default 0,0.7,1)' },
      { name: 'runs', type: 'string', description: 'runs per temperature (default 1)' },
      { name: 'mode', type: 'string', description: 'single (default) or batch' },
      { name: 'batch-size', type: 'string', description: 'items per call in batch mode (default 10)' },
      { name: 'job', type: 'string', description: 'resume this job id' },
    ],
    'baseline',
  );
  if (!isRoleAvailable('responder')) throw new CliError('no LLM is configured: set LLM_BASE_URL, LLM_MODEL (and LLM_API_KEY if needed)', 1);
  prepareWorkspace();
  const raw: Record<string, unknown> = {};
  if (o.instrument !== undefined) raw.instrumentId = o.instrument;
  if (o.temperatures !== undefined) raw.temperatures = String(o.temperatures).split(',').map((s) => Number(s.trim()));
  if (o.runs !== undefined) raw.runs = numberOption(o, 'runs', 1);
  if (o.mode !== undefined) raw.mode = o.mode;
  if (o['batch-size'] !== undefined) raw.batchSize = numberOption(o, 'batch-size', 10);
  const parsed = baselineParamsSchema.safeParse(raw);
  if (!parsed.success) throw new CliError(parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; '));
  return runJobHeadless(baselineJob, parsed.data, o.job !== undefined ? numberOption(o, 'job', 0) : undefined);
}
