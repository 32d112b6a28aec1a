import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFreshDatabase } from '../../support/db';

let env: ReturnType<typeof useFreshDatabase>;
beforeAll(() => {
  env = useFreshDatabase();
  process.env.POPULACE_AUTH = 'required';
});
afterAll(() => {
  delete process.env.POPULACE_AUTH;
  env.cleanup();
});

describe('GET /api/live', () => {
  it('answers without a session even when sign-in is required, and reveals nothing', async () => {
    const { GET } = await import('@/app/api/live/route');
    const res = await GET(new Request('http://localhost/api/live'), undefined);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    const health = await (await import('@/app/api/health/route')).GET(new Request('http://localhost/api/health'), undefined);
    expect(health.status).toBe(401);
  });
});
