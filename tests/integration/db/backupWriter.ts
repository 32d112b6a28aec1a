/**
 * A second process that keeps writing while a backup runs (used by backup.test.ts):
 *   node --import tsx backupWriter.ts DB_FILE DURATION_MS
 * Each round is two transactions: a pair of `backup-test` jobs with the same seq (both rows or neither: a
 * consistent snapshot never holds one without the other) and one review decision. Prints "writing" after the first
 * round, and at the end a JSON line {"rounds": n}.
 */
import { openDatabase, type Db } from '../../../db/client';
import { insertJob } from '../../../db/queries/jobs';
import { saveReviewDecision } from '../../../db/queries/review';

const [file, duration] = process.argv.slice(2);
const db = openDatabase(file!);
const ids = (db.$client.prepare('SELECT id FROM personas ORDER BY id LIMIT 500').all() as { id: number }[]).map((r) => r.id);
const end = Date.now() + Number(duration);
let rounds = 0;
while (Date.now() < end) {
  db.transaction((tx) => {
    insertJob({ db: tx as unknown as Db, kind: 'backup-test', params: { seq: rounds, half: 'a' } });
    insertJob({ db: tx as unknown as Db, kind: 'backup-test', params: { seq: rounds, half: 'b' } });
  }, { behavior: 'immediate' });
  const r = saveReviewDecision({ db, personaId: ids[rounds % ids.length]!, reviewer: 'writer', decision: rounds % 2 ? 'reject' : 'accept', reasonCode: rounds % 2 ? 'other' : null });
  if (!r.ok) throw new Error(r.reason);
  rounds++;
  if (rounds === 1) process.stdout.write('writing\n');
}
db.$client.close();
process.stdout.write(JSON.stringify({ rounds }) + '\n');
