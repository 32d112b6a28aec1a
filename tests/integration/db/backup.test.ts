/**
 * `populace backup` and `populace restore` as a person runs them (child processes, real SQLite files):
 * a backup taken while another process keeps writing opens, passes integrity_check and holds one consistent
 * snapshot; restore brings the database back to the backup's counts; restore refuses while the database is open
 * elsewhere, and refuses a corrupt, truncated, foreign or non-SQLite file, leaving the database byte-for-byte as it was.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, openDatabase } from '@/db/client';
import { useSeededDatabase, type TestDatabase } from '../../support/db';

let env: TestDatabase;
beforeAll(() => {
  env = useSeededDatabase();
  closeDb(); // the test process must not hold the database: restore would (rightly) refuse
});
afterAll(() => env.cleanup());

function run(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      env: { ...process.env, POPULACE_DB: env.file, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}
const cli = (...args: string[]) => run(['lib/cli/main.ts', ...args]);

interface Snapshot {
  pairs: number;
  halves: number;
  seqs: number[];
  decisions: number;
  personas: number;
  integrity: string;
}

function snapshot(file: string): Snapshot {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("SELECT json_extract(params, '$.seq') AS seq, count(*) AS n FROM jobs WHERE kind = 'backup-test' GROUP BY seq ORDER BY seq").all() as { seq: number; n: number }[];
    return {
      pairs: rows.filter((r) => r.n === 2).length,
      halves: rows.filter((r) => r.n !== 2).length,
      seqs: rows.map((r) => r.seq),
      decisions: (db.prepare("SELECT count(*) AS n FROM review_decisions WHERE reviewer = 'writer'").get() as { n: number }).n,
      personas: (db.prepare('SELECT count(*) AS n FROM personas').get() as { n: number }).n,
      integrity: (db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check,
    };
  } finally {
    db.close();
  }
}

/** Checkpoints the WAL into the main file (no other process open) and hashes it. */
function fileHash(file: string): string {
  const db = openDatabase(file);
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  db.$client.close();
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

describe('backup while another process writes, then restore', () => {
  const backupFile = () => path.join(env.dir, 'backup.db');

  it('the backup is a verified, consistent snapshot taken mid-write', async () => {
    const writer = spawn(process.execPath, ['--import', 'tsx', 'tests/integration/db/backupWriter.ts', env.file, '3500'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let wout = '';
    writer.stdout.on('data', (d) => (wout += d));
    writer.stderr.on('data', (d) => (wout += d));
    const writerExit = new Promise<number | null>((r) => writer.on('exit', r));
    const deadline = Date.now() + 20_000;
    while (!wout.includes('writing')) {
      if (Date.now() > deadline || writer.exitCode !== null) throw new Error(`the writer did not start:\n${wout}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const b = await cli('backup', '--out', backupFile());
    const afterBackup = snapshot(env.file); // the live database just after the backup finished
    expect(await writerExit, wout).toBe(0);
    const rounds = (JSON.parse(wout.trim().split('\n').pop()!) as { rounds: number }).rounds;

    expect(b.code, b.out).toBe(0);
    expect(b.out).toMatch(/integrity_check: ok/);
    expect(b.out).toMatch(/personas\s+2,328/);
    expect(b.out).toMatch(/jobs\s+[\d,]+/);

    const snap = snapshot(backupFile());
    expect(snap.integrity).toBe('ok');
    expect(snap.personas).toBe(2328);
    // consistent: every job pair is whole, seqs run 0..k-1 without a gap
    expect(snap.halves).toBe(0);
    expect(snap.pairs).toBeGreaterThan(0);
    expect(snap.seqs).toEqual(Array.from({ length: snap.pairs }, (_, i) => i));
    // taken mid-write: the writer had started before it and went on after it
    expect(snap.pairs).toBeLessThan(rounds);
    expect(snap.pairs).toBeLessThanOrEqual(afterBackup.pairs);
    expect(snap.decisions).toBeGreaterThanOrEqual(snap.pairs - 1);
    expect(snap.decisions).toBeLessThanOrEqual(snap.pairs);
    // a single self-contained file: not in WAL mode, so it can be copied or mailed as is
    const bdb = new Database(backupFile(), { readonly: true });
    expect(bdb.pragma('journal_mode', { simple: true })).toBe('delete');
    bdb.close();

    // an existing backup file is not overwritten by accident
    const again = await cli('backup', '--out', backupFile());
    expect(again.code).not.toBe(0);
    expect(again.out).toMatch(/already exists/);
  });

  it('restore refuses while another process has the database open, and changes nothing', async () => {
    const before = fileHash(env.file);
    const holder = openDatabase(env.file); // like an idle server: open, not in a transaction
    holder.$client.prepare('SELECT count(*) FROM personas').get();
    const r = await cli('restore', '--from', backupFile(), '--yes');
    holder.$client.close();
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/open in another process .*Stop it first/);
    expect(fileHash(env.file)).toBe(before);
  });

  it('without --yes restore only checks the backup', async () => {
    const before = fileHash(env.file);
    const r = await cli('restore', '--from', backupFile());
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/integrity_check ok/);
    expect(r.out).toMatch(/Nothing changed/);
    expect(fileHash(env.file)).toBe(before);
  });

  it('restore refuses corrupt, truncated, foreign and non-SQLite files and leaves the database untouched', async () => {
    const before = fileHash(env.file);
    const liveSnap = snapshot(env.file);
    const bad = (name: string) => path.join(env.dir, name);
    writeFileSync(bad('text.db'), 'id,E,A,C,N,O\n1,2,3,4,5,1\n');
    writeFileSync(bad('empty.db'), '');
    const full = readFileSync(backupFile());
    writeFileSync(bad('truncated.db'), full.subarray(0, Math.floor(full.length / 3)));
    const corrupt = Buffer.from(full);
    const pageSize = corrupt.readUInt16BE(16) || 65536;
    for (let p = 2; p * pageSize < corrupt.length; p += 3) corrupt.fill(0xa5, p * pageSize + 8, p * pageSize + 200);
    writeFileSync(bad('corrupt.db'), corrupt);
    const foreign = new Database(bad('foreign.db'));
    foreign.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    foreign.close();

    const cases: [string, RegExp][] = [
      ['text.db', /is not a SQLite database/],
      ['empty.db', /is not a SQLite database/],
      ['truncated.db', /fails the integrity check|cannot be (read|opened)|malformed|not a SQLite/],
      ['corrupt.db', /fails the integrity check|cannot be (read|opened)|malformed/],
      ['foreign.db', /not a Populace one/],
      ['missing.db', /does not exist/],
    ];
    for (const [name, message] of cases) {
      const r = await cli('restore', '--from', bad(name), '--yes');
      expect(r.code, `${name}: ${r.out}`).toBe(1);
      expect(r.out, name).toMatch(message);
    }
    expect(fileHash(env.file)).toBe(before);
    expect(snapshot(env.file)).toEqual(liveSnap);
  });

  it('restore brings the database back to the backup, atomically, with no stale WAL', async () => {
    const backupSnap = snapshot(backupFile());
    const live = snapshot(env.file);
    expect(live.pairs).toBeGreaterThan(backupSnap.pairs);
    copyFileSync(backupFile(), path.join(env.dir, 'backup-copy.db'));
    const r = await cli('restore', '--from', path.join(env.dir, 'backup-copy.db'), '--yes');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/Restored/);
    const after = snapshot(env.file);
    expect(after).toEqual(backupSnap);
    // the restored database opens normally again (WAL, migrations) and takes writes
    const db = openDatabase(env.file);
    expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect((db.$client.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check).toBe('ok');
    db.$client.close();
  });
});
