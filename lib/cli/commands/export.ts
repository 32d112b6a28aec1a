/**
 * `populace export`: writes a persona set (a run's selection, a group's latest set, or the pool; k distinct personas
 * with re-calibrated weights or k draws with repeats, or every persona with its weight) as JSONL, CSV or Parquet, with its manifest beside it
 * (FILE.manifest.json); re-renders the same bytes from a manifest; diffs two exports.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { CliError, helpText, numberOption, parseOptions, type OptionSpec } from '../args';
import { diffManifests } from '../../export/diff';
import { sha256Hex } from '../../export/formats';
import { parseManifestText } from '../../export/manifest';
import { EXPORT_FORMATS, type ExportFormat, type ExportManifest } from '../../export/schema';
import { createExport, getExport, reExportFromManifestText, renderFromManifest } from '../../export/service';
import { prepareWorkspace } from '../../workspace/prepare';

export const summary = 'export a persona set (run, group or pool) as JSONL, CSV or Parquet with its manifest; diff two exports';

const specs: OptionSpec[] = [
  { name: 'run', type: 'string', description: 'export this alignment run' },
  { name: 'group', type: 'string', description: "export this group's latest aligned set" },
  { name: 'pool', type: 'flag', description: 'export the whole pool (uniform weights)' },
  { name: 'weights', type: 'flag', description: 'every persona of the run with its weight (instead of the selected set)' },
  { name: 'size', type: 'string', description: 'draw K personas afresh, with repeats unless --unique (default: the run\'s stored selection)' },
  { name: 'unique', type: 'flag', description: 'draw K distinct personas (pivotal sampling; weights re-calibrated to the target)' },
  { name: 'seed', type: 'string', description: 'seed of a fresh draw (default 0)' },
  { name: 'format', type: 'string', description: 'jsonl (default), csv or parquet' },
  { name: 'out', type: 'string', description: 'output file; the manifest goes to FILE.manifest.json' },
  { name: 'from-manifest', type: 'string', description: 're-render the file of a manifest (same bytes)' },
  { name: 'diff', type: 'flag', description: 'diff two exports: --diff A B (export ids or manifest files)' },
];

function format(o: Record<string, unknown>): ExportFormat | undefined {
  const f = o.format;
  if (f === undefined) return undefined;
  if (!EXPORT_FORMATS.includes(f as ExportFormat)) throw new CliError(`option --format must be one of ${EXPORT_FORMATS.join(', ')}, got "${String(f)}"`);
  return f as ExportFormat;
}

function loadManifest(ref: string): ExportManifest {
  if (/^\d+$/.test(ref)) return getExport(Number(ref)).manifest;
  let text: string;
  try {
    text = readFileSync(ref, 'utf8');
  } catch (e) {
    throw new CliError(`${ref}: cannot read (${(e as Error).message})`, 1);
  }
  return parseManifestText(text, ref);
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--diff') {
    const [a, b, ...rest] = argv.slice(1);
    if (!a || !b || rest.length) throw new CliError(`--diff takes two exports (ids or manifest files)\n\n${helpText('export', specs)}`);
    prepareWorkspace();
    const d = diffManifests(loadManifest(a), loadManifest(b));
    process.stdout.write(JSON.stringify({ a, b, ...d }, null, 2) + '\n');
    return 0;
  }
  const o = parseOptions(argv, specs, 'export');
  if (o.diff) throw new CliError('use --diff as the first option: export --diff A B');
  const fmt = format(o);
  if (o['from-manifest'] !== undefined) {
    if (o.run !== undefined || o.group !== undefined || o.pool) throw new CliError('--from-manifest takes no --run, --group or --pool');
    if (!o.out) throw new CliError('missing required option --out');
    prepareWorkspace();
    const file = String(o['from-manifest']);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new CliError(`${file}: cannot read (${(e as Error).message})`, 1);
    }
    const r = reExportFromManifestText(text, file, fmt);
    writeFileSync(String(o.out), r.bytes);
    process.stdout.write(`${o.out}: ${r.manifest.rows.length} rows, ${r.format}, sha256 ${sha256Hex(r.bytes)} (matches the manifest)\n`);
    return 0;
  }
  const chosen = [o.run !== undefined, o.group !== undefined, Boolean(o.pool)].filter(Boolean).length;
  if (chosen !== 1) throw new CliError(`choose exactly one of --run, --group, --pool\n\n${helpText('export', specs)}`);
  if (!o.out) throw new CliError('missing required option --out');
  const source =
    o.run !== undefined
      ? { kind: 'run' as const, runId: numberOption(o, 'run', 0) }
      : o.group !== undefined
        ? { kind: 'group' as const, groupId: numberOption(o, 'group', 0) }
        : { kind: 'pool' as const };
  const request: Record<string, unknown> = { source, set: o.weights ? 'weights' : 'selection', unique: Boolean(o.unique), format: fmt ?? 'jsonl' };
  if (o.size !== undefined) request.size = numberOption(o, 'size', 0);
  if (o.seed !== undefined) request.seed = numberOption(o, 'seed', 0);
  prepareWorkspace();
  const created = createExport(request);
  const bytes = renderFromManifest(created.manifest, created.manifest.request.format);
  const out = String(o.out);
  writeFileSync(out, bytes);
  writeFileSync(`${out}.manifest.json`, JSON.stringify(created.manifest, null, 2) + '\n');
  const set = created.manifest.set;
  process.stdout.write(
    `${out}: export ${created.id}, ${created.manifest.rows.length} rows, ${set?.distinct ?? created.manifest.selection.distinct} distinct personas, ${created.manifest.selection.k} draws, ${created.manifest.request.format}, sha256 ${sha256Hex(bytes)}\n` +
      (set ? `weights: ${set.weights.statement}\n` : '') +
      `${out}.manifest.json: manifest\n`,
  );
  return 0;
}

export async function run(argv: string[]): Promise<number> {
  return main(argv);
}
