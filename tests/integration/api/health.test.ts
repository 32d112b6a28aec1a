import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFreshDatabase } from '../../support/db';
import { prepareWorkspace } from '@/lib/workspace/prepare';

let env: ReturnType<typeof useFreshDatabase>;
beforeAll(() => {
  env = useFreshDatabase();
});
afterAll(() => env.cleanup());

describe('GET /api/health', () => {
  it('answers with the database status and counts', async () => {
    const { GET } = await import('@/app/api/health/route');
    const empty = await GET(new Request('http://localhost/api/health'), undefined);
    expect(empty.status).toBe(200);
    expect((await empty.json()).counts.personas).toBe(0);

    prepareWorkspace(env.db);
    const res = await GET(new Request('http://localhost/api/health'), undefined);
    const body = await res.json();
    expect(body.status).toBe('ok');
    expect(body.database.journalMode).toBe('wal');
    expect(body.database.foreignKeys).toBe(true);
    expect(body.counts).toEqual({
      personas: 2328,
      referenceRespondents: 19_718,
      instruments: 3,
      baselineResponses: 498,
      alignmentRuns: 0,
    });
  });
});
