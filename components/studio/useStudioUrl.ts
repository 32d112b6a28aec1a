'use client';
/** The studio's state in the address: replaced, not pushed (the back button leaves the studio), written once the edits pause. */
import { useEffect, useMemo, useRef } from 'react';
import type { TargetOptions } from './TargetPicker';
import { studioUrlQuery, type StudioUrlState } from './urlState';

/** How long the address waits after the last change before it is rewritten (never during a burst of slider moves). */
const URL_WRITE_DELAY_MS = 400;

export function useStudioUrl(state: StudioUrlState, options: TargetOptions) {
  const { filters, preset, edits, method, bandwidth, estimator, selection, scatterTraits } = state;
  const query = useMemo(
    () => studioUrlQuery({ filters, preset, edits, method, bandwidth, estimator, selection, scatterTraits }, options),
    [filters, preset, edits, method, bandwidth, estimator, selection, scatterTraits, options],
  );
  const firstQuery = useRef(query);
  useEffect(() => {
    // The address as it came (bad parameters included) stays until something is changed.
    if (query === firstQuery.current) return;
    const t = setTimeout(() => {
      if (window.location.search.replace(/^\?/, '') !== query) window.history.replaceState(null, '', `${window.location.pathname}${query ? `?${query}` : ''}`);
    }, URL_WRITE_DELAY_MS);
    return () => clearTimeout(t);
  }, [query]);
}
