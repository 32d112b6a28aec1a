import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError } from '@/components/api';

const answer = (status: number, body: unknown) => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('api()', () => {
  it('sends JSON with the CSRF token on a mutation and returns the parsed answer', async () => {
    vi.stubGlobal('document', { cookie: 'theme=light; populace_csrf=tok123' });
    const fetchMock = vi.fn(async () => answer(200, { id: 7 }));
    vi.stubGlobal('fetch', fetchMock);
    expect(await api<{ id: number }>('/api/groups', { json: { name: 'x' } })).toEqual({ id: 7 });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/groups');
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{"name":"x"}');
    const headers = init.headers as Headers;
    expect(headers.get('content-type')).toBe('application/json');
    expect(headers.get('x-csrf-token')).toBe('tok123');
  });

  it('sends no CSRF token and no body on a GET', async () => {
    vi.stubGlobal('document', { cookie: 'populace_csrf=tok123' });
    const fetchMock = vi.fn(async () => answer(200, { ok: true }));
    vi.stubGlobal('fetch', fetchMock);
    await api('/api/jobs/1', { cache: 'no-store' });
    const init = (fetchMock.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect(init.method).toBe('GET');
    expect(init.body).toBeUndefined();
    expect(init.cache).toBe('no-store');
    expect((init.headers as Headers).has('x-csrf-token')).toBe(false);
  });

  it('turns the error shape into an ApiError with message, code, details, request id and status', async () => {
    vi.stubGlobal('fetch', async () => answer(422, { error: { code: 'too_large', message: 'size: too many.', details: { limit: 3 }, requestId: 'abc' } }));
    const e = (await api('/api/exports', { json: {} }).catch((x) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ message: 'size: too many.', code: 'too_large', details: { limit: 3 }, requestId: 'abc', status: 422 });
  });

  it('falls back to "HTTP <status>" or the given sentence when the answer carries no message', async () => {
    vi.stubGlobal('fetch', async () => answer(502, 'Bad gateway'));
    await expect(api('/api/x')).rejects.toThrow('HTTP 502');
    await expect(api('/api/x', { fallback: 'Could not settle.' })).rejects.toThrow('Could not settle.');
    await expect(api('/api/x', { fallback: (s) => `The server answered ${s}.` })).rejects.toThrow('The server answered 502.');
  });
});
