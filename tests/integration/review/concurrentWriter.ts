/**
 * A second process deciding at the same moment (used by concurrency.test.ts):
 *   node --import tsx concurrentWriter.ts DB_FILE REVIEWER DECISION START_AT_MS ID,ID,...
 * Waits until START_AT_MS, then records DECISION for each id, one transaction each, as fast as it can, and prints
 * the ids of the rows it wrote as JSON.
 */
import { openDatabase } from '../../../db/client';
import { saveReviewDecision, type Verdict } from '../../../db/queries/review';

const [file, reviewer, decision, startAt, idList] = process.argv.slice(2);
const db = openDatabase(file!);
const ids = idList!.split(',').map(Number);
while (Date.now() < Number(startAt)) {
  // spin: both processes start writing in the same millisecond
}
const written: number[] = [];
for (const personaId of ids) {
  const r = saveReviewDecision({ db, personaId, reviewer: reviewer!, decision: decision as Verdict, reasonCode: decision === 'reject' ? 'other' : null });
  if (!r.ok) throw new Error(r.reason);
  written.push(r.decision.id);
}
db.$client.close();
process.stdout.write(JSON.stringify(written));
