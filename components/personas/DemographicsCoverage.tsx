'use client';
import type { Facets } from './PersonaBrowser';

/** "age 64% known (given 13%, stated 12%, inferred 39%)" for each field. */
export function DemographicsCoverage({ coverage }: { coverage: Facets['demographics'] }) {
  return (
    <div className="text-xs text-slate-600" data-testid="demographics-coverage">
      <p className="font-semibold uppercase tracking-wide">Demographics known</p>
      {(['age', 'gender', 'country', 'occupation'] as const).map((f) => {
        const c = coverage[f];
        const total = Object.values(c).reduce((a, n) => a + n, 0) || 1;
        const known = (c.given ?? 0) + (c.stated ?? 0) + (c.inferred ?? 0);
        const pct = (n: number) => `${Math.round((100 * n) / total)}%`;
        return (
          <p key={f} title="given: the source's own field; stated: the narrative says it; inferred: pronouns, a decade, a demonym or a place">
            {f}: {pct(known)} known ({['given', 'stated', 'inferred'].map((o) => `${o} ${pct(c[o] ?? 0)}`).join(', ')})
          </p>
        );
      })}
    </div>
  );
}
