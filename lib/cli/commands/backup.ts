/** `populace backup --out FILE`: an online, verified copy of the database (safe while the server runs). */
import { existsSync } from 'node:fs';
import { backupDatabase } from '../../../db/backup';
import { BackupError, type TableCounts } from '../../../db/backupCheck';
import { databasePath } from '../../../db/client';
import { CliError, parseOptions, type OptionSpec } from '../args';

export const summary = 'copy the database to a file (online, verified with integrity_check); safe while the server runs';

const specs: OptionSpec[] = [
  { name: 'out', type: 'string', required: true, description: 'the backup file to write (its folder must exist)' },
  { name: 'force', type: 'flag', description: 'overwrite the backup file when it exists' },
  { name: 'json', type: 'flag', description: 'print the result as JSON' },
];

/** "personas 2,328 · posts 13 · ..." for the tables with rows, largest first. */
export function formatCounts(counts: TableCounts): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([t, n]) => `  ${t.padEnd(28)} ${n.toLocaleString('en-US')}`)
    .join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const opts = parseOptions(argv, specs, 'backup');
  const out = String(opts.out);
  if (existsSync(out) && !opts.force) throw new CliError(`${out} already exists; choose another name or add --force to overwrite it.`);
  try {
    const r = await backupDatabase({ source: databasePath(), out });
    if (opts.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    else {
      process.stdout.write(
        `Backed up ${databasePath()} to ${r.file} (${(r.bytes / 1024).toFixed(0)} KiB, ${r.pages} pages, ${r.ms.toFixed(0)} ms).\n` +
          `integrity_check: ok · migrations: ${r.migrations.applied}\nRows:\n${formatCounts(r.counts)}\n`,
      );
    }
    return 0;
  } catch (e) {
    if (e instanceof BackupError) throw new CliError(e.message, 1);
    throw e;
  }
}
