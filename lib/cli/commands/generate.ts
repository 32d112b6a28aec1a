/** `generate`: mine grounded narrative personas from an imported posts source, as a resumable job. */
import { CliError, numberOption, parseOptions } from '../args';
import { runJobHeadless } from '../../pipeline/cli';
import { generateJob } from '../../pipeline/jobs';
import { generateParamsSchema } from '../../pipeline/schema';
import { isRoleAvailable } from '../../llm';

export const summary = 'generate personas from imported posts (filter, denoise, label, persona, critic, privacy, duplicates)';

export async function run(argv: string[]): Promise<number> {
  const o = parseOptions(
    argv,
    [
      { name: 'source', type: 'string', required: true, description: 'the posts source id (see `import --posts`)' },
      { name: 'min-tokens', type: 'string', description: 'shortest post kept, in word tokens (default 30)' },
      { name: 'min-posts', type: 'string', description: 'fewest kept posts per author (default 6)' },
      { name: 'keep', type: 'string', description: 'quality labels kept, comma-separated (default high)' },
      { name: 'no-first-person', type: 'flag', description: 'do not require first-person language' },
      { name: 'no-denoise', type: 'flag', description: 'skip the LLM denoising rewrite' },
      { name: 'critic-overall', type: 'string', description: 'keep when overall > this (default 8)' },
      { name: 'critic-others', type: 'string', description: 'keep when every other score > this (default 7)' },
      { name: 'no-privacy-llm', type: 'flag', description: 'rule-based privacy check only' },
      { name: 'no-rewrite', type: 'flag', description: 'flag personas with personal information without rewriting them' },
      { name: 'duplicate-threshold', type: 'string', description: 'near-duplicate Jaccard threshold (default 0.8)' },
      { name: 'temperature', type: 'string', description: 'generator temperature (default 0.7)' },
      { name: 'concurrency', type: 'string', description: 'personas / posts processed at once (default 4)' },
      { name: 'job', type: 'string', description: 'resume this job id' },
    ],
    'generate',
  );
  if (!isRoleAvailable('generator') || !isRoleAvailable('critic')) {
    throw new CliError('no LLM is configured: set LLM_BASE_URL, LLM_MODEL (and LLM_API_KEY if needed)', 1);
  }
  const raw: Record<string, unknown> = { sourceId: o.source };
  if (o['min-tokens'] !== undefined) raw.minTokens = numberOption(o, 'min-tokens', 30);
  if (o['min-posts'] !== undefined) raw.minPostsPerAuthor = numberOption(o, 'min-posts', 6);
  if (o.keep !== undefined) raw.keepQualities = String(o.keep).split(',').map((s) => s.trim());
  if (o['no-first-person']) raw.requireFirstPerson = false;
  if (o['no-denoise']) raw.denoise = false;
  if (o['critic-overall'] !== undefined) raw.criticOverallAbove = numberOption(o, 'critic-overall', 8);
  if (o['critic-others'] !== undefined) raw.criticOthersAbove = numberOption(o, 'critic-others', 7);
  if (o['no-privacy-llm']) raw.privacyLlm = false;
  if (o['no-rewrite']) raw.privacyRewrite = false;
  if (o['duplicate-threshold'] !== undefined) raw.duplicateThreshold = numberOption(o, 'duplicate-threshold', 0.8);
  if (o.temperature !== undefined) raw.generatorTemperature = numberOption(o, 'temperature', 0.7);
  if (o.concurrency !== undefined) raw.concurrency = numberOption(o, 'concurrency', 4);
  const parsed = generateParamsSchema.safeParse(raw);
  if (!parsed.success) throw new CliError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return runJobHeadless(generateJob, parsed.data, o.job !== undefined ? numberOption(o, 'job', 0) : undefined);
}
