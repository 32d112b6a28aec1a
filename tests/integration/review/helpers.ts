/** Request helpers for calling the review route handlers directly (the reviewer travels in the Cookie header). */
import { REVIEWER_COOKIE } from '@/lib/review/reviewerName';

export function request(path: string, { method = 'GET', body, reviewer }: { method?: string; body?: unknown; reviewer?: string } = {}): Request {
  const headers: Record<string, string> = {};
  if (reviewer !== undefined) headers.cookie = `theme=light; ${REVIEWER_COOKIE}=${encodeURIComponent(reviewer)}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return new Request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

export async function json<T = any>(res: Response | Promise<Response>): Promise<{ status: number; body: T }> {
  const r = await res;
  return { status: r.status, body: (await r.json()) as T };
}
