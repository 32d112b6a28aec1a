'use client';

import { memo, useState } from 'react';
import type { LiveCoverage } from '@/lib/studio/liveTypes';
import { HelpTip } from '@/components/HelpTip';

/** Where the target has mass that no persona is near, stated plainly, with a brief for new personas. */
export const CoveragePanel = memo(function CoveragePanel({ coverage: c }: { coverage: LiveCoverage }) {
  const [copied, setCopied] = useState<number | null>(null);
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-3" data-testid="coverage">
      <h3 className="flex items-center text-sm font-semibold">
        Coverage: where the pool cannot reach
        <HelpTip term="coverage" />
      </h3>
      <p className="text-xs text-slate-600">
        <span data-testid="coverage-share">{(100 * c.uncoveredShare).toFixed(1)}%</span> of the target has no persona within{' '}
        {c.threshold.toFixed(2)} standardised units. Weighting and resampling only move mass between the personas that
        exist: they cannot fill these regions. Generate new personas for them.
      </p>
      {c.regions.length === 0 ? (
        <p className="mt-1 text-xs text-emerald-800">Every part of the target has personas nearby.</p>
      ) : (
        <ul className="mt-2 space-y-2">
          {c.regions.map((r, i) => {
            const brief = `Write personas of people with ${r.description}; trait profile around E ${r.center[0]!.toFixed(1)}, A ${r.center[1]!.toFixed(1)}, C ${r.center[2]!.toFixed(1)}, N ${r.center[3]!.toFixed(1)}, O ${r.center[4]!.toFixed(1)} on the 1-5 scale.`;
            return (
              <li key={i} className="rounded border border-amber-200 bg-amber-50 p-2 text-xs" data-testid="coverage-region">
                <div className="font-medium">
                  {r.description}: {(100 * r.share).toFixed(1)}% of the target
                </div>
                <div className="mt-1 text-slate-700">Brief for generation: {brief}</div>
                <button
                  type="button"
                  className="mt-1 rounded border border-amber-400 px-2 py-0.5"
                  onClick={() => {
                    void navigator.clipboard?.writeText(brief);
                    setCopied(i);
                  }}
                >
                  {copied === i ? 'Copied' : 'Copy brief'}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
});
