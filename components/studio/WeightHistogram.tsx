'use client';

import { memo } from 'react';
import type { LiveResult } from '@/lib/studio/liveTypes';
import { ChartCard } from './ChartCard';
import { fixed1 } from './chartStyle';
import { LegendRow, PlotFrame, niceTicks, useWidth } from './svgPlot';

const HISTOGRAM_MARGIN = { top: 18, right: 10, bottom: 32, left: 48 };

/** Distribution of the live weights on a log scale, with the ESS stated. */
export const WeightHistogram = memo(function WeightHistogram({
  bins,
  ess,
  poolN,
}: {
  bins: LiveResult['weightHistogram'];
  ess: number;
  poolN: number;
}) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const height = 192;
  const lo = Math.min(-0.5, Math.floor(((bins[0]?.lo ?? 0) - 0.25) * 2) / 2);
  const hi = Math.max(0.5, Math.ceil(((bins.at(-1)?.hi ?? 0) + 0.25) * 2) / 2);
  // Tick labels at least 40 px apart.
  const innerW = width - HISTOGRAM_MARGIN.left - HISTOGRAM_MARGIN.right;
  const step = [0.25, 0.5, 1, 2, 5].find((st) => (innerW * st) / (hi - lo) >= 40) ?? 5;
  const xTicks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) xTicks.push(Number(v.toFixed(2)));
  const maxCount = bins.reduce((m, b) => Math.max(m, b.count), 0);
  const yScale = niceTicks(Math.max(1, maxCount), 4);
  const yTicks = yScale.ticks.filter((t) => Number.isInteger(t));
  return (
    <ChartCard
      title="Live weights"
      caption={`log10(n · w_i), so 0 is the uniform weight 1/n. ESS = ${ess.toFixed(0)} of ${poolN.toLocaleString('en-US')} personas (${((100 * ess) / Math.max(1, poolN)).toFixed(1)}%).`}
      help="weights"
      testId="chart-weights"
    >
      <div ref={ref} className="h-48">
        <PlotFrame
          width={width}
          height={height}
          margin={HISTOGRAM_MARGIN}
          x={{ domain: [lo, hi], ticks: xTicks, format: fixed1, label: 'log10(n · weight) (0 = uniform 1/n)' }}
          y={{ domain: [0, yScale.end], ticks: yTicks, label: 'personas (count)' }}
          title="Histogram of the live weights"
        >
          {(sx, sy) => (
            <>
              <g fill="#0f766e">
                {bins.map((b) =>
                  b.count > 0 ? (
                    <rect key={b.lo} x={sx(b.lo) + 0.5} width={Math.max(1, sx(b.hi) - sx(b.lo) - 1)} y={sy(b.count)} height={sy(0) - sy(b.count)}>
                      <title>{`${b.lo.toFixed(2)} to ${b.hi.toFixed(2)}: ${b.count} personas`}</title>
                    </rect>
                  ) : null,
                )}
              </g>
              <line x1={sx(0)} x2={sx(0)} y1={HISTOGRAM_MARGIN.top} y2={height - HISTOGRAM_MARGIN.bottom} stroke="#c2410c" strokeDasharray="4 2" />
              <text x={sx(0)} y={HISTOGRAM_MARGIN.top - 5} textAnchor="middle" fontSize={10} fill="#c2410c">
                uniform 1/n
              </text>
            </>
          )}
        </PlotFrame>
      </div>
      <LegendRow
        items={[
          { name: 'Personas per weight bin', color: '#0f766e', kind: 'square' },
          { name: 'Uniform weight 1/n', color: '#c2410c', kind: 'dashed' },
        ]}
      />
    </ChartCard>
  );
});
