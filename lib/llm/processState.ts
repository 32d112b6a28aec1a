/**
 * State kept once per process on globalThis: Next.js can load a server module twice (its bundles), and the LLM
 * layer's overrides, providers, limiter, endpoint scheduler and in-flight calls must still be one each.
 * @example processSingleton('limiter', () => new Limiter(4)) === processSingleton('limiter', () => new Limiter(4))
 */
const holder = globalThis as typeof globalThis & { populaceLlmState?: Map<string, unknown> };
const state = (holder.populaceLlmState ??= new Map());

/** The process's one value under `key`, made by `make` on first use. */
export function processSingleton<T>(key: string, make: () => T): T {
  if (!state.has(key)) state.set(key, make());
  return state.get(key) as T;
}
