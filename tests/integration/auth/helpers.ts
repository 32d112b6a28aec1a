/** Request helpers for the auth tests: a signed-in client carries the session cookie and (optionally) the CSRF token. */
export interface Client {
  token: string;
  csrf: string;
}

export interface Opts {
  method?: string;
  body?: unknown;
  as?: Client;
  /** The x-csrf-token header; defaults to the client's token for mutations, null sends none. */
  csrf?: string | null;
  origin?: string;
  ip?: string;
  url?: string;
}

export function req(path: string, o: Opts = {}): Request {
  const method = o.method ?? 'GET';
  const headers: Record<string, string> = { host: 'localhost' };
  if (o.as) headers.cookie = `theme=light; populace_session=${o.as.token}; populace_csrf=${o.as.csrf}`;
  const csrf = o.csrf === undefined ? (method !== 'GET' ? o.as?.csrf : undefined) : o.csrf;
  if (csrf) headers['x-csrf-token'] = csrf;
  if (o.origin) headers.origin = o.origin;
  if (o.ip) headers['x-forwarded-for'] = o.ip;
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  return new Request(`${o.url ?? 'http://localhost'}${path}`, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
}

export async function json<T = any>(res: Response | Promise<Response>): Promise<{ status: number; body: T; headers: Headers }> {
  const r = await res;
  return { status: r.status, body: (await r.json()) as T, headers: r.headers };
}

/** The session and CSRF tokens from a sign-in answer's Set-Cookie headers. */
export function clientFrom(res: Response): Client {
  const cookies = res.headers.getSetCookie();
  const get = (name: string) => cookies.find((c) => c.startsWith(`${name}=`))!.split(';')[0]!.slice(name.length + 1);
  return { token: get('populace_session'), csrf: get('populace_csrf') };
}
