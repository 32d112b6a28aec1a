/**
 * Sign-in limits that slow guessing without letting a stranger lock anyone out.
 *
 * Policy (all windows 15 minutes, in memory, per server process, forgotten on restart):
 * - per username and client address: 5 failures, then that address gets 429 for that username until the oldest
 *   failure leaves the window. Other addresses, the account's owner among them, are not affected;
 * - per client address: 20 failures over any usernames, then 429 (password spraying);
 * - per account, over all addresses: no lock-out. From the 10th failure on, every attempt on the account waits
 *   min(0.25 s x 2^(failures - 10), 4 s) before its password is checked, and attempts on one account are checked one
 *   at a time, so a distributed guesser gets at most one guess per few seconds while the owner still gets in.
 * Counting is atomic: an attempt is counted as a failure when it starts (synchronously, before the password hash is
 * compared) and the count is taken back when it succeeds, so concurrent wrong passwords cannot slip past a limit.
 * A success clears the username-and-address window.
 *
 * Client address: the last X-Forwarded-For entry. The dashboard's server (lib/server/http.ts) sets that header to
 * the socket's address and drops what the client sent, unless POPULACE_TRUST_PROXY says a reverse proxy in front
 * appends the client's address to it.
 */

export const PAIR_MAX_FAILURES = 5;
export const ADDRESS_MAX_FAILURES = 20;
export const ACCOUNT_SLOWDOWN_AFTER = 10;
export const MAX_DELAY_MS = 4000;
export const WINDOW_MS = 15 * 60 * 1000;

const failures = new Map<string, number[]>();
const accountQueues = new Map<string, Promise<unknown>>();

function recent(key: string, now: number): number[] {
  const list = (failures.get(key) ?? []).filter((t) => t > now - WINDOW_MS);
  if (list.length) failures.set(key, list);
  else failures.delete(key);
  return list;
}

function waitFor(key: string, max: number, now: number): number {
  const list = recent(key, now);
  if (list.length < max) return 0;
  const oldest = list[list.length - max]!;
  return Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000));
}

function removeOne(key: string, stamp: number): void {
  const list = failures.get(key);
  if (!list) return;
  const i = list.lastIndexOf(stamp);
  if (i >= 0) list.splice(i, 1);
  if (!list.length) failures.delete(key);
}

export const accountKey = (username: string) => `user:${username.trim().toLowerCase()}`;
export const addressKey = (ip: string) => `ip:${ip}`;
export const pairKey = (username: string, ip: string) => `pair:${username.trim().toLowerCase()}|${ip}`;

/** The back-off before an account's next check, from its recent failures (0 below the threshold). */
export function accountDelayMs(failureCount: number): number {
  if (failureCount < ACCOUNT_SLOWDOWN_AFTER) return 0;
  return Math.min(MAX_DELAY_MS, 250 * 2 ** (failureCount - ACCOUNT_SLOWDOWN_AFTER));
}

export interface Attempt {
  /** Seconds to wait when the attempt is refused (429), else 0. */
  retryAfter: number;
  /** Milliseconds the check must wait first (account back-off). */
  delayMs: number;
  /** Call when the password was right: takes back the counted failure and clears the pair's window. */
  succeeded(): void;
}

/**
 * Starts a sign-in attempt: refuses it (retryAfter > 0) when the pair or the address is over its limit, else counts
 * it as a failure at once (atomic) and says how long the account's back-off is.
 */
export function beginAttempt(username: string, ip: string, now = Date.now()): Attempt {
  const keys = { pair: pairKey(username, ip), address: addressKey(ip), account: accountKey(username) };
  const retryAfter = Math.max(waitFor(keys.pair, PAIR_MAX_FAILURES, now), waitFor(keys.address, ADDRESS_MAX_FAILURES, now));
  if (retryAfter > 0) return { retryAfter, delayMs: 0, succeeded: () => undefined };
  const delayMs = accountDelayMs(recent(keys.account, now).length);
  for (const key of Object.values(keys)) failures.set(key, [...recent(key, now), now]);
  return {
    retryAfter: 0,
    delayMs,
    succeeded() {
      for (const key of Object.values(keys)) removeOne(key, now);
      failures.delete(keys.pair);
    },
  };
}

/** Runs `check` after the previous check of the same account has finished (one at a time per account). */
export function serialisePerAccount<T>(username: string, check: () => Promise<T>): Promise<T> {
  const key = accountKey(username);
  const previous = accountQueues.get(key) ?? Promise.resolve();
  const run = previous.then(check, check);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  accountQueues.set(key, settled);
  void settled.then(() => {
    if (accountQueues.get(key) === settled) accountQueues.delete(key);
  });
  return run;
}

/** Forgets every window (tests). */
export function resetRateLimit(): void {
  failures.clear();
  accountQueues.clear();
}

/** The client IP of a request as far as the server can tell (see the note above). */
export function clientIp(headers: Headers): string {
  return headers.get('x-forwarded-for')?.split(',').at(-1)?.trim() || 'unknown';
}
