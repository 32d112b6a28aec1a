'use client';

import { memo } from 'react';
import type { ScatterPoints } from '@/lib/studio/liveTypes';
import { ChartCard } from './ChartCard';
import { TRAITS } from '@/lib/core/traits';
import { TRAIT_LABELS } from './chartStyle';
import { LegendRow, PlotFrame, useWidth } from './svgPlot';

const SCATTER_MARGIN = { top: 8, right: 12, bottom: 32, left: 44 };
const SCORE_TICKS = [1, 2, 3, 4, 5];

/** Points as circles (cx, cy strings), computed once per new set of points or width. */
function Dots({ points, sx, sy, fill, opacity }: { points: [number, number][]; sx: (v: number) => number; sy: (v: number) => number; fill: string; opacity: number }) {
  return (
    <g fill={fill} fillOpacity={opacity}>
      {points.map(([a, b], i) => (
        <circle key={i} cx={sx(a).toFixed(1)} cy={sy(b).toFixed(1)} r={2.5} />
      ))}
    </g>
  );
}

/** Two chosen traits: target respondents vs the aligned (weighted) pool, as in the paper's Figure 3. */
export const TraitScatter = memo(function TraitScatter({
  scatter,
  traits,
  onTraits,
}: {
  /** The points of the latest result (null before the first). */
  scatter: ScatterPoints | null;
  /** The chosen axes (the points follow once the worker has drawn them). */
  traits: [number, number];
  onTraits: (t: [number, number]) => void;
}) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const height = 256;
  const shown = scatter?.traits ?? traits;
  return (
    <ChartCard
      title="Two traits: target vs aligned set"
      caption="Each dot a person (up to 300 target respondents) or a persona drawn from the pool in proportion to its weight (300 draws, seeded)."
      testId="chart-scatter"
    >
      <div className="mb-1 flex flex-wrap gap-2 text-xs">
        {[0, 1].map((axis) => (
          <label key={axis} className="flex items-center gap-1">
            {axis === 0 ? 'x' : 'y'}
            <select
              className="rounded border border-slate-300"
              value={traits[axis]}
              onChange={(e) => {
                const next: [number, number] = [...traits];
                next[axis] = Number(e.target.value);
                onTraits(next);
              }}
              data-testid={`scatter-axis-${axis}`}
            >
              {TRAITS.map((c, i) => (
                <option key={c} value={i}>
                  {TRAIT_LABELS[i]}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      <div ref={ref} className="h-64">
        <PlotFrame
          width={width}
          height={height}
          margin={SCATTER_MARGIN}
          x={{ domain: [1, 5], ticks: SCORE_TICKS, label: `${TRAIT_LABELS[shown[0]]} score (1-5)` }}
          y={{ domain: [1, 5], ticks: SCORE_TICKS, label: `${TRAIT_LABELS[shown[1]]} score (1-5)` }}
          title="Scatter of two traits: target respondents and the aligned set"
        >
          {(sx, sy) => (
            <>
              <Dots points={scatter?.target ?? []} sx={sx} sy={sy} fill="#0f766e" opacity={0.25} />
              <Dots points={scatter?.weighted ?? []} sx={sx} sy={sy} fill="#c2410c" opacity={0.35} />
            </>
          )}
        </PlotFrame>
      </div>
      <LegendRow
        items={[
          { name: 'Target respondents', color: '#0f766e', kind: 'dot' },
          { name: 'Aligned set (weighted draws)', color: '#c2410c', kind: 'dot' },
        ]}
      />
    </ChartCard>
  );
});
