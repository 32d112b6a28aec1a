/** An endpoint's state as status screens show it. */
import type { EndpointState } from './endpoint';
import { endpointScheduler } from './endpoints';
import { llmLimiter } from './limiter';

export interface EndpointView {
  /** 1-based position in the configured list. */
  index: number;
  /** Null unless details (admins). */
  url: string | null;
  concurrency: number;
  inFlight: number;
  calls: number;
  state: EndpointState;
  /** ISO time when a rest or pause ends. */
  until: string | null;
  /** The last failure (may name a host): null unless details. */
  lastError: string | null;
}

/** The state of the endpoint at `url` (position `index`, 0-based) for status screens. */
export function endpointView(url: string, index: number, details: boolean, concurrency: number | null = null): EndpointView {
  const s = endpointScheduler();
  const e = s.find(url);
  const now = s.now();
  const st = e ? e.state(now) : { state: 'ok' as const, until: null };
  return {
    index: index + 1,
    url: details ? url : null,
    concurrency: e ? e.limit : (concurrency ?? llmLimiter().limit),
    inFlight: e?.inFlight ?? 0,
    calls: e?.calls ?? 0,
    state: st.state,
    until: st.until !== null ? new Date(st.until).toISOString() : null,
    lastError: details ? (e?.lastError ?? null) : null,
  };
}
