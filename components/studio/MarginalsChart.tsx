'use client';

import { memo, useMemo } from 'react';
import type { LiveResult } from '@/lib/studio/liveTypes';
import { ChartCard } from './ChartCard';
import { TRAITS } from '@/lib/core/traits';
import { COLORS, fixed1, pathOf, TRAIT_LABELS } from './chartStyle';
import { LegendRow, PlotFrame, niceTicks, useWidth, type Axis } from './svgPlot';

/** Width of one trait's segment on the shared x axis of the marginals chart (scores 1-5 plus a gap). */
const SEGMENT = 5;
/** Shared x position of a score of trait k (segment k spans [5k, 5k + 4]). */
const segmentX = (k: number, score: number) => k * SEGMENT + (score - 1);
const MARGINAL_TICKS = [0, 1, 2, 3, 4].flatMap((k) => [1, 2, 3, 4, 5].map((sc) => segmentX(k, sc)));
const MARGINAL_MARGIN = { top: 8, right: 8, bottom: 50, left: 48 };

type Marginals = LiveResult['marginals'];

/**
 * Per-trait marginal densities of the pool, the target and the weighted pool: the five traits side by side on one
 * chart (one segment per trait, each with its own 1-5 score axis; a shared density axis).
 */
export const MarginalsChart = memo(function MarginalsChart({ marginals }: { marginals: Marginals }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const height = 232;
  const { grid, pool, target, weighted } = marginals;
  const yMax = useMemo(() => {
    let m = 0;
    for (const set of [pool, target, weighted]) for (const row of set) for (const v of row) if (v > m) m = v;
    return niceTicks(m * 1.05, 4);
  }, [pool, target, weighted]);
  const x: Axis = { domain: [0, segmentX(4, 5)], ticks: MARGINAL_TICKS, label: 'score (1-5 scale) per trait' };
  const y: Axis = { domain: [0, yMax.end], ticks: yMax.ticks, format: fixed1, label: 'density (per score point)' };
  // Full trait names when a segment has room for them, else the codes.
  const innerW = width - MARGINAL_MARGIN.left - MARGINAL_MARGIN.right;
  const names = (innerW / 24) * 4 >= 96 ? TRAIT_LABELS : TRAITS;
  const series: [string, number[][], string, number, string | undefined][] = [
    ['pool', pool, COLORS.pool, 1.5, undefined],
    ['target', target, COLORS.target, 2, undefined],
    ['weighted', weighted, COLORS.weighted, 1.5, '4 2'],
  ];
  return (
    <ChartCard
      title="Trait marginals: pool, target and weighted pool"
      caption="Gaussian kernel density (per score point) of each trait score on the 1-5 scale, one segment per trait. Weighted pool = pool under the live weights."
      testId="chart-marginals"
    >
      <div ref={ref} className="h-[232px]">
        <PlotFrame
          width={width}
          height={height}
          margin={MARGINAL_MARGIN}
          x={x}
          y={y}
          verticalGrid={false}
          title="Trait marginal densities of the pool, the target and the weighted pool"
          xTick={(v, px, base) => {
            const k = Math.floor(v / SEGMENT);
            const score = v - k * SEGMENT + 1;
            return (
              <>
                <text x={px} y={base + 14} textAnchor="middle">
                  {score}
                </text>
                {score === 3 ? (
                  <text x={px} y={base + 28} textAnchor="middle" fontSize={11} fill="#334155">
                    {names[k]}
                  </text>
                ) : null}
              </>
            );
          }}
        >
          {(sx, sy) => (
            <g fill="none">
              {[0, 1, 2, 3].map((k) => (
                <line key={k} x1={sx(segmentX(k, 5.5))} x2={sx(segmentX(k, 5.5))} y1={MARGINAL_MARGIN.top} y2={height - MARGINAL_MARGIN.bottom} stroke="#cbd5e1" />
              ))}
              {series.map(([name, set, color, w, dash]) =>
                set.map((row, k) => (
                  <path
                    key={`${name}${k}`}
                    d={pathOf(
                      grid.map((g) => sx(segmentX(k, g))),
                      row.map((v) => sy(v)),
                    )}
                    stroke={color}
                    strokeWidth={w}
                    strokeDasharray={dash}
                  />
                )),
              )}
            </g>
          )}
        </PlotFrame>
      </div>
      <LegendRow
        items={[
          { name: 'Pool', color: COLORS.pool },
          { name: 'Target', color: COLORS.target },
          { name: 'Weighted pool', color: COLORS.weighted, kind: 'dashed' },
        ]}
      />
    </ChartCard>
  );
});
