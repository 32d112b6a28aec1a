/**
 * Two reviewers deciding at the same moment never lose a decision: two OS processes, each with its own SQLite
 * connection to the same file, write decisions on the same personas starting in the same millisecond.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { useSeededDatabase, type TestDatabase } from '../../support/db';

let env: TestDatabase;
beforeAll(() => {
  env = useSeededDatabase();
});
afterAll(() => env.cleanup());

function writer(reviewer: string, decision: string, startAt: number, ids: number[]): Promise<number[]> {
  const script = path.join(__dirname, 'concurrentWriter.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, env.file, reviewer, decision, String(startAt), ids.join(',')], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`writer ${reviewer} exited ${code}: ${err}`))));
  });
}

describe('concurrent reviewers', () => {
  it('keeps every decision of two processes writing the same personas at once, and the status follows the latest', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => 100 + i);
    const startAt = Date.now() + 2500; // both processes are up (tsx start-up) before this moment
    const [a, b] = await Promise.all([writer('Ada', 'accept', startAt, ids), writer('Ben', 'reject', startAt, ids)]);
    expect(a).toHaveLength(ids.length);
    expect(b).toHaveLength(ids.length);

    const stored = env.db.all<{ id: number; persona_id: number; reviewer: string; decision: string; status_before: string; status_after: string }>(
      sql`SELECT id, persona_id, reviewer, decision, status_before, status_after FROM review_decisions ORDER BY id`,
    );
    // Nothing lost: every row each process was told it wrote is there, and nothing else.
    expect(stored.map((r) => r.id).sort((x, y) => x - y)).toEqual([...a, ...b].sort((x, y) => x - y));
    expect(stored).toHaveLength(2 * ids.length);

    // The writes really interleaved (otherwise this test proves nothing about simultaneity).
    const order = stored.map((r) => r.reviewer);
    const switches = order.filter((r, i) => i > 0 && r !== order[i - 1]).length;
    expect(switches).toBeGreaterThan(0);

    for (const id of ids) {
      const log = stored.filter((r) => r.persona_id === id);
      expect(log.map((r) => r.reviewer).sort()).toEqual(['Ada', 'Ben']);
      // Serialised: each decision saw the status the previous one left (no lost update).
      expect(log[0]!.status_before).toBe('measured');
      expect(log[1]!.status_before).toBe(log[0]!.status_after);
      const latest = log.at(-1)!;
      const status = env.db.get<{ status: string }>(sql`SELECT status FROM personas WHERE id = ${id}`)!.status;
      expect(status).toBe(latest.decision === 'accept' ? 'accepted' : 'rejected');
    }
  });
});
