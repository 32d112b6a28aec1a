'use client';

import { memo } from 'react';
import { TRAITS } from '@/lib/core/traits';
import type { LiveResult } from '@/lib/studio/liveTypes';
import { ChartCard } from './ChartCard';

/** Target correlation minus set correlation, as a colour grid. */
export const CorrelationDiffMap = memo(function CorrelationDiffMap({ correlationDiff }: { correlationDiff: LiveResult['correlationDiff'] }) {
  const color = (v: number) => {
    const a = Math.min(1, Math.abs(v) / 0.3);
    return v >= 0 ? `rgba(15,118,110,${a})` : `rgba(194,65,12,${a})`;
  };
  const grid = (m: number[][], title: string, testId: string) => (
    <div data-testid={testId}>
      <div className="mb-1 text-center text-xs font-medium">{title}</div>
      <table className="mx-auto border-collapse text-[11px]">
        <thead>
          <tr>
            <th />
            {TRAITS.map((c) => (
              <th key={c} className="w-10 font-normal text-slate-600">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {m.map((row, i) => (
            <tr key={TRAITS[i]}>
              <th className="pr-1 font-normal text-slate-600">{TRAITS[i]}</th>
              {row.map((v, j) => (
                <td
                  key={j}
                  className="h-8 w-10 border border-white text-center tabular-nums"
                  style={{ background: i === j ? '#f1f5f9' : color(v), color: Math.abs(v) > 0.18 && i !== j ? 'white' : '#0f172a' }}
                  title={`${TRAITS[i]}-${TRAITS[j]}: ${v.toFixed(3)}`}
                >
                  {i === j ? '' : (Math.abs(v) < 0.005 ? 0 : v).toFixed(2)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  return (
    <ChartCard
      title="Trait correlations: target minus set"
      caption="Pearson r of the target minus r of the pool, per trait pair. Colour: teal = set correlation too low, orange = too high; full colour at |difference| ≥ 0.3."
      help="maecorr"
      testId="chart-correlations"
    >
      <div className="grid grid-cols-2 gap-2">
        {grid(correlationDiff.before, 'Raw pool', 'corr-before')}
        {grid(correlationDiff.after, 'Weighted pool', 'corr-after')}
      </div>
      <div className="mt-1 flex items-center justify-center gap-2 text-[11px]" aria-label="Colour legend">
        <span>−0.3</span>
        <span className="h-2 w-24" style={{ background: 'linear-gradient(to right, rgba(194,65,12,1), white, rgba(15,118,110,1))' }} />
        <span>+0.3 (r difference)</span>
      </div>
    </ChartCard>
  );
});
