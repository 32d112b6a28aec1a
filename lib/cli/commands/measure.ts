/** `measure`: personas answer questionnaire items in character; trait scores and consistency flags, as a resumable job. */
import { CliError, numberOption, parseOptions } from '../args';
import { runJobHeadless } from '../../pipeline/cli';
import { measureJob } from '../../pipeline/jobs';
import { measureParamsSchema } from '../../pipeline/schema';
import { isRoleAvailable } from '../../llm';
import { prepareWorkspace } from '../../workspace/prepare';

export const summary = 'measure personas on IPIP-50 or IPIP-NEO-120 (answers in character, scores, consistency)';

export async function run(argv: string[]): Promise<number> {
  const o = parseOptions(
    argv,
    [
      { name: 'source', type: 'string', description: 'measure the personas of this source' },
      { name: 'personas', type: 'string', description: 'comma-separated persona ids' },
      { name: 'instrument', type: 'string', description: 'ipip50 (default) or ipip-neo-120' },
      { name: 'mode', type: 'string', description: 'single (one item per call, default) or batch' },
      { name: 'batch-size', type: 'string', description: 'items per call in batch mode (default 10)' },
      { name: 'temperature', type: 'string', description: 'responder temperature (default 0.7)' },
      { name: 'repetitions', type: 'string', description: 'answers per item (default 1)' },
      { name: 'all', type: 'flag', description: 'also re-measure personas that already have scores' },
      { name: 'concurrency', type: 'string', description: 'personas measured at once (default 4)' },
      { name: 'job', type: 'string', description: 'resume this job id' },
    ],
    'measure',
  );
  if (!isRoleAvailable('responder')) throw new CliError('no LLM is configured: set LLM_BASE_URL, LLM_MODEL (and LLM_API_KEY if needed)', 1);
  prepareWorkspace();
  const raw: Record<string, unknown> = {};
  if (o.source !== undefined) raw.sourceId = o.source;
  if (o.personas !== undefined) raw.personaIds = String(o.personas).split(',').map((s) => Number(s.trim()));
  if (o.instrument !== undefined) raw.instrumentId = o.instrument;
  if (o.mode !== undefined) raw.mode = o.mode;
  if (o['batch-size'] !== undefined) raw.batchSize = numberOption(o, 'batch-size', 10);
  if (o.temperature !== undefined) raw.temperature = numberOption(o, 'temperature', 0.7);
  if (o.repetitions !== undefined) raw.repetitions = numberOption(o, 'repetitions', 1);
  if (o.all) raw.onlyUnmeasured = false;
  if (o.concurrency !== undefined) raw.concurrency = numberOption(o, 'concurrency', 4);
  const parsed = measureParamsSchema.safeParse(raw);
  if (!parsed.success) throw new CliError(parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; '));
  return runJobHeadless(measureJob, parsed.data, o.job !== undefined ? numberOption(o, 'job', 0) : undefined);
}
