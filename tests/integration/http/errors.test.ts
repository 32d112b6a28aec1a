/**
 * The one error path (lib/errors.ts through route()): an unexpected error is a 500 with a generic message and a
 * request id that the server log shows next to the stack; the core's AlignInputError is a 422 with its own code,
 * also when a service lets it through.
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { targetSpecSchema } from '@/db/json';
import { AppError } from '@/lib/errors';
import { route } from '@/lib/http/route';
import { AlignInputError } from '@/lib/numeric/alignInputError';
import { useAlignedGroup } from '../export/helpers';

// The seeded demo with a group aligned (a finished run to export from).
const aligned = useAlignedGroup();
afterAll(() => aligned.env.cleanup());
afterEach(() => vi.restoreAllMocks());

const call = async (body: () => unknown, path = '/api/boom') => {
  const res = await route(body)(new Request(`http://localhost${path}`), undefined);
  return { status: res.status, headers: res.headers, body: (await res.json()) as { error: { code: string; message: string; details?: unknown; requestId?: string } } };
};

describe('route() answers errors through one mapping', () => {
  it('answers an unexpected error 500 without its message, with a request id that the log shows with the route and the stack', async () => {
    const logged: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
    const res = await call(() => {
      throw new Error('SQLITE_CORRUPT: secret table layout at /var/data/populace.db');
    });
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('internal');
    expect(JSON.stringify(res.body)).not.toMatch(/SQLITE_CORRUPT|secret|populace\.db/);
    const id = res.body.error.requestId!;
    expect(id).toMatch(/^[0-9a-f]{8,}$/);
    expect(res.body.error.message).toContain(`request id ${id}`);
    expect(res.headers.get('x-request-id')).toBe(id);
    const line = logged.find((l) => l.includes(id));
    expect(line, logged.join('\n')).toBeDefined();
    expect(line).toContain('GET /api/boom');
    expect(line).toContain('SQLITE_CORRUPT: secret table layout');
    expect(line).toMatch(/\n\s+at /); // the stack
  });

  it('gives every 500 its own request id', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const boom = () => {
      throw new TypeError('x is undefined');
    };
    const a = await call(boom);
    const b = await call(boom);
    expect(a.body.error.requestId).not.toBe(b.body.error.requestId);
  });

  it('answers AlignInputError 422 with its code and message', async () => {
    const res = await call(() => {
      throw new AlignInputError('EMPTY', 'The pool is empty: add at least two measured personas before aligning.');
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'EMPTY', message: 'The pool is empty: add at least two measured personas before aligning.' });
  });

  it('keeps AppError (status, code, message, details, Retry-After) and zod errors (400 with the fields) as they were', async () => {
    const app = await call(() => {
      throw new AppError('rate_limited', 'Too many attempts; wait a minute.', 429, { retryAfter: 60 });
    });
    expect(app.status).toBe(429);
    expect(app.headers.get('retry-after')).toBe('60');
    expect(app.body.error).toEqual({ code: 'rate_limited', message: 'Too many attempts; wait a minute.', details: { retryAfter: 60 } });
    const zod = await call(() => z.object({ size: z.number() }).parse({ size: 'x' }));
    expect(zod.status).toBe(400);
    expect(zod.body.error.code).toBe('invalid_input');
    expect(zod.body.error.message).toMatch(/^size: /);
  });
});

describe('AlignInputError from a service', () => {
  it('is a 422 with the core code when an export draws from a run whose weights are all zero', async () => {
    // a finished run whose weights are all zero: the core refuses to draw from it
    const { runId, env } = aligned;
    const n = env.db.$client.prepare('SELECT json_array_length(weights) AS n FROM alignment_runs WHERE id = ?').get(runId) as { n: number };
    env.db.$client.prepare('UPDATE alignment_runs SET weights = ? WHERE id = ?').run(JSON.stringify(Array(n.n).fill(0)), runId);
    const { POST } = await import('@/app/api/exports/route');
    const res = await POST(
      new Request('http://localhost/api/exports', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source: { kind: 'run', runId }, size: 5 }) }),
      undefined,
    );
    expect(res.status).toBe(422);
    expect((await res.json()).error).toMatchObject({ code: 'BAD_WEIGHTS', message: 'Every weight is zero, so no persona can be selected.' });
  });
});
