/**
 * `import`: posts (CSV or JSONL) or ready-made personas (JSONL), streamed, with a report of bad rows; after a personas
 * import the LLM reads their demographics when one is configured.
 */
import { createReadStream, existsSync } from 'node:fs';
import { CliError, parseOptions } from '../args';
import { importPersonas, importPosts } from '../../pipeline/imports';
import { runJobHeadless } from '../../pipeline/cli';
import { DEMOGRAPHICS_ROLE } from '../../pipeline/demographics';
import { demographicsJob } from '../../pipeline/jobs';
import { demographicsParamsSchema } from '../../pipeline/schema';
import { isRoleAvailable } from '../../llm';

export const summary = 'import social media posts (CSV/JSONL) or ready-made personas (JSONL)';

export async function run(argv: string[]): Promise<number> {
  const o = parseOptions(
    argv,
    [
      { name: 'posts', type: 'string', description: 'a posts file (.csv or .jsonl): author id, text, optional time, id' },
      { name: 'personas', type: 'string', description: 'a personas file (.jsonl): narrative, demographics, answers + instrument' },
      { name: 'source', type: 'string', description: 'source id (default derived from the file name)' },
      { name: 'name', type: 'string', description: 'source name' },
      { name: 'licence', type: 'string', description: 'licence of the data' },
      { name: 'rules-only', type: 'flag', description: 'personas: read demographics by rules only (no LLM reading even when one is configured)' },
    ],
    'import',
  );
  const file = (o.posts ?? o.personas) as string | undefined;
  if (!file || (o.posts && o.personas)) throw new CliError('give exactly one of --posts FILE or --personas FILE');
  if (!existsSync(file)) throw new CliError(`${file}: no such file`, 1);
  const opts = {
    input: createReadStream(file),
    fileName: file,
    sourceId: o.source as string | undefined,
    sourceName: o.name as string | undefined,
    licence: o.licence as string | undefined,
  };
  const report = o.posts ? await importPosts(opts) : await importPersonas(opts);
  for (const b of report.bad) process.stderr.write(`${file}:${b.line}${b.field ? ` [${b.field}]` : ''}: ${b.reason}\n`);
  if (report.badCount > report.bad.length) process.stderr.write(`... and ${report.badCount - report.bad.length} more bad rows\n`);
  process.stdout.write(
    `${file}: ${report.imported} imported, ${report.skipped} already present, ${report.badCount} bad rows (source ${report.sourceId})\n`,
  );
  // the personas' demographics are read by the LLM too, when one is configured (a resumable job)
  if (o.personas && !o['rules-only'] && isRoleAvailable(DEMOGRAPHICS_ROLE)) {
    process.stderr.write(`Reading the demographics of ${report.sourceId} with the LLM (--rules-only skips this).\n`);
    return runJobHeadless(demographicsJob, demographicsParamsSchema.parse({ sourceId: report.sourceId }));
  }
  return 0;
}
