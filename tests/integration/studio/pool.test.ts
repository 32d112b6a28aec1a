import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPoolPersonas } from '@/db/queries/pool';
import { personas, traitScores } from '@/db/schema';
import { useSeededDatabase } from '../../support/db';

let env: ReturnType<typeof useSeededDatabase>;
beforeAll(() => {
  env = useSeededDatabase();
});
afterAll(() => env.cleanup());

describe('the alignment pool', () => {
  it('holds measured, non-rejected personas and leaves out group revisions', () => {
    const before = listPoolPersonas({ db: env.db });
    expect(before).toHaveLength(640 + 623);
    const parent = before[0]!;
    const rev = env.db
      .insert(personas)
      .values({
        sourceId: 'personallm',
        externalId: 'rev-test#rev-g1-1',
        narrative: 'A revised narrative.',
        parentId: parent.id,
        status: 'measured',
        metadata: { groupRevision: { groupId: 1, parentId: parent.id } },
      })
      .returning()
      .get();
    env.db.insert(traitScores).values({ personaId: rev.id, instrumentId: 'ipip50', E: 3, A: 3, C: 3, N: 3, O: 3 }).run();
    expect(listPoolPersonas({ db: env.db }).map((p) => p.id)).not.toContain(rev.id);
    env.db.update(personas).set({ status: 'rejected' }).where(eq(personas.id, parent.id)).run();
    expect(listPoolPersonas({ db: env.db })).toHaveLength(before.length - 1);
  });
});
