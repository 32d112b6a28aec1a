/** `demographics`: the LLM reads personas' age, gender, country and occupation from their narratives, as a resumable job. */
import { CliError, numberOption, parseOptions } from '../args';
import { runJobHeadless } from '../../pipeline/cli';
import { DEMOGRAPHICS_ROLE } from '../../pipeline/demographics';
import { demographicsJob } from '../../pipeline/jobs';
import { demographicsParamsSchema } from '../../pipeline/schema';
import { isRoleAvailable } from '../../llm';
import { prepareWorkspace } from '../../workspace/prepare';

export const summary = 'read persona demographics (age, gender, country, occupation) from narratives with the LLM';

export async function run(argv: string[]): Promise<number> {
  const o = parseOptions(
    argv,
    [
      { name: 'source', type: 'string', description: 'read the personas of this source' },
      { name: 'personas', type: 'string', description: 'comma-separated persona ids' },
      { name: 'concurrency', type: 'string', description: 'personas read at once (default 4)' },
      { name: 'job', type: 'string', description: 'resume this job id' },
    ],
    'demographics',
  );
  if (!isRoleAvailable(DEMOGRAPHICS_ROLE)) throw new CliError('no LLM is configured: set LLM_BASE_URL, LLM_MODEL (and LLM_API_KEY if needed)', 1);
  prepareWorkspace();
  const raw: Record<string, unknown> = {};
  if (o.source !== undefined) raw.sourceId = o.source;
  if (o.personas !== undefined) raw.personaIds = String(o.personas).split(',').map((s) => Number(s.trim()));
  if (o.concurrency !== undefined) raw.concurrency = numberOption(o, 'concurrency', 4);
  const parsed = demographicsParamsSchema.safeParse(raw);
  if (!parsed.success) throw new CliError(parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; '));
  return runJobHeadless(demographicsJob, parsed.data, o.job !== undefined ? numberOption(o, 'job', 0) : undefined);
}
