/**
 * Whether sign-in is required, and the names shared by the front door (lib/server/gate.ts), route() and the pages: no
 * Node imports, no database.
 *
 * By default the server listens on 127.0.0.1 and needs no sign-in. `populace serve` sets POPULACE_AUTH=required when
 * it listens on an address that is not loopback (127.x, ::1, localhost); POPULACE_AUTH=required can also be set by
 * hand. Nothing else switches sign-in on or off.
 */
import { env } from '../env';

export const userRoles = ['viewer', 'reviewer', 'admin'] as const;
export type Role = (typeof userRoles)[number];

/** viewer < reviewer < admin: a role may do everything a lower one may. */
const rank: Record<Role, number> = { viewer: 0, reviewer: 1, admin: 2 };
export function roleAtLeast(role: Role, needed: Role): boolean {
  return rank[role] >= rank[needed];
}

export const SESSION_COOKIE = 'populace_session';
export const CSRF_COOKIE = 'populace_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** Sessions last 12 hours. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** True when every page and API route needs a signed-in user (POPULACE_AUTH=required). */
export function authRequired(): boolean {
  return env('POPULACE_AUTH') === 'required';
}

/** True for loopback addresses and names: 127.0.0.0/8, ::1 (with or without brackets), localhost. */
export function isLoopbackHost(host: string): boolean {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[')) h = h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  if (h === '::1' || h === '0:0:0:0:0:0:0:1' || h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h.startsWith('::ffff:')) h = h.slice(7);
  return /^127(\.\d{1,3}){3}$/.test(h);
}

/** The host name of a Host header value, without the port. */
export function hostnameOf(hostHeader: string): string {
  const h = hostHeader.trim();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon >= 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

/** The auth mode `serve` decides for the address it listens on. */
export function authModeForListenHost(host: string): 'required' | 'off' {
  return isLoopbackHost(host) ? 'off' : 'required';
}

/** Methods that change state and therefore need the CSRF token and a same-origin Origin. */
export function isMutation(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

/**
 * False when the request carries an Origin header naming another host than the one it was sent to (cross-origin
 * mutation). A missing Origin passes (non-browser clients; the CSRF token still has to match).
 */
export function originMatchesHost(headers: Headers, fallbackHost: string): boolean {
  const origin = headers.get('origin');
  if (!origin) return true;
  if (origin === 'null') return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return false;
  }
  const host = (headers.get('x-forwarded-host')?.split(',')[0] ?? headers.get('host') ?? fallbackHost).trim().toLowerCase();
  return originHost === host;
}

/** Reads one cookie from a Cookie header (raw value, undecoded), or null. */
export function cookieValue(header: string | null | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

/**
 * The page to return to after sign-in: only a same-origin relative path survives. The value is parsed as a URL
 * against a placeholder origin after refusing control characters (a tab or newline after the slash would otherwise
 * be dropped by the browser's URL parser and turn "/\t/evil.example" into "//evil.example"), backslashes and "//";
 * anything else, and the sign-in page itself, gives "/".
 * @example safeNextPath('/personas?q=a') === '/personas?q=a'; safeNextPath('/%09/evil.example') === '/'
 */
export function safeNextPath(raw: string | string[] | undefined | null): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value || value.length > 2000) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return '/';
  if (!value.startsWith('/') || value.startsWith('//')) return '/';
  let url: URL;
  try {
    url = new URL(value, 'http://populace.invalid');
  } catch {
    return '/';
  }
  if (url.origin !== 'http://populace.invalid') return '/';
  const path = url.pathname + url.search + url.hash;
  if (!path.startsWith('/') || path.startsWith('//') || url.pathname === '/signin') return '/';
  return path;
}
