/**
 * Sign-in rate limit: at most 5 failed attempts per username and per client IP in any 15 minutes.
 *
 * An in-memory sliding window (timestamps of failures per key, pruned on each look-up), so it is per process and is
 * forgotten on restart; Populace runs as one process, which makes that enough. A successful sign-in clears the
 * username's window (not the IP's). Client IP: the last X-Forwarded-For entry. The dashboard's server
 * (lib/server/http.ts) sets that header to the socket's address and drops what the client sent, unless
 * POPULACE_TRUST_PROXY says a reverse proxy in front appends the client's address to it (the last entry is then the
 * one that proxy saw; earlier entries come from the client and are ignored).
 */

export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60 * 1000;

const failures = new Map<string, number[]>();

function recent(key: string, now: number): number[] {
  const list = (failures.get(key) ?? []).filter((t) => t > now - WINDOW_MS);
  if (list.length) failures.set(key, list);
  else failures.delete(key);
  return list;
}

/** Seconds until another attempt is allowed for any of the keys, or 0 when none of them is blocked. */
export function retryAfterSeconds(keys: string[], now = Date.now()): number {
  let wait = 0;
  for (const key of keys) {
    const list = recent(key, now);
    if (list.length >= MAX_FAILURES) {
      const oldest = list[list.length - MAX_FAILURES]!;
      wait = Math.max(wait, Math.ceil((oldest + WINDOW_MS - now) / 1000));
    }
  }
  return wait;
}

export function recordFailure(keys: string[], now = Date.now()): void {
  for (const key of keys) failures.set(key, [...recent(key, now), now]);
}

export function clearFailures(key: string): void {
  failures.delete(key);
}

/** Forgets every window (tests). */
export function resetRateLimit(): void {
  failures.clear();
}

export const usernameKey = (username: string) => `user:${username.trim().toLowerCase()}`;
export const ipKey = (ip: string) => `ip:${ip}`;

/** The client IP of a request as far as the server can tell (see the note above). */
export function clientIp(headers: Headers): string {
  return headers.get('x-forwarded-for')?.split(',').at(-1)?.trim() || 'unknown';
}
