import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { personas } from '@/db/schema';
import { useSeededDatabase } from '../../support/db';

describe('seeded test databases', () => {
  it('are independent copies of the demo workspace', () => {
    const a = useSeededDatabase();
    a.db.update(personas).set({ status: 'rejected' }).run();
    expect(a.db.select({ n: count() }).from(personas).where(eq(personas.status, 'rejected')).get()!.n).toBe(2328);
    a.cleanup();
    const b = useSeededDatabase();
    expect(b.db.select({ n: count() }).from(personas).get()!.n).toBe(2328);
    expect(b.db.select({ n: count() }).from(personas).where(eq(personas.status, 'rejected')).get()!.n).toBe(0);
    expect(b.db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    b.cleanup();
  });
});
