/** `prepare`: apply migrations and seed the demo workspace (idempotent). */
import { parseOptions } from '../args';
import { prepareWorkspace } from '../../workspace/prepare';
import { databasePath } from '../../../db/client';

export const summary = 'apply database migrations and seed the demo workspace on first use';

export async function run(argv: string[]): Promise<number> {
  parseOptions(argv, [], 'prepare');
  const r = prepareWorkspace();
  process.stdout.write(`${databasePath()}: ${r.seeded ? `seeded the demo workspace in ${r.ms} ms` : 'already seeded'}\n`);
  return 0;
}
