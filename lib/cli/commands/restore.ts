/** `populace restore --from FILE --yes`: replace the database with a verified backup (the server must be stopped). */
import { BackupError, codeMigrationLevel, inspectBackup } from '../../../db/backupCheck';
import { databasePath } from '../../../db/client';
import { restoreDatabase } from '../../../db/restore';
import { CliError, parseOptions, type OptionSpec } from '../args';
import { formatCounts } from './backup';

export const summary = 'replace the database with a backup file (checked first; refused while the server runs)';

const specs: OptionSpec[] = [
  { name: 'from', type: 'string', required: true, description: 'the backup file (made by `populace backup`)' },
  { name: 'yes', type: 'flag', description: 'really replace the database (without it, only check the backup)' },
  { name: 'json', type: 'flag', description: 'print the result as JSON' },
];

export async function run(argv: string[]): Promise<number> {
  const opts = parseOptions(argv, specs, 'restore');
  const from = String(opts.from);
  const target = databasePath();
  try {
    if (!opts.yes) {
      const info = inspectBackup(from);
      const code = codeMigrationLevel();
      process.stdout.write(
        `${from}: integrity_check ok, ${info.migrations.applied} of ${code.applied} migrations.\nRows:\n${formatCounts(info.counts)}\n` +
          `Nothing changed. Run again with --yes to replace ${target} with it (stop the server first).\n`,
      );
      return 2;
    }
    const r = restoreDatabase({ from, target });
    if (opts.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    else {
      process.stdout.write(
        `Restored ${r.file} from ${r.from}.\n` +
          (r.pendingMigrations > 0 ? `${r.pendingMigrations} newer migration(s) will be applied on the next start.\n` : '') +
          `Rows:\n${formatCounts(r.counts)}\n`,
      );
    }
    return 0;
  } catch (e) {
    if (e instanceof BackupError) throw new CliError(e.message, 1);
    throw e;
  }
}
