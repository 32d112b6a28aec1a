'use client';

import { memo } from 'react';
import type { LiveResult } from '@/lib/studio/liveTypes';
import { ChartCard } from './ChartCard';
import { COLORS, fixed2, TRAIT_LABELS } from './chartStyle';
import { LegendRow, PlotFrame, niceTicks, useWidth, type Axis } from './svgPlot';

const LOVE_MARGIN = { top: 8, right: 14, bottom: 32, left: 116 };
const LOVE_Y: Axis = { domain: [-0.5, 4.5], ticks: [0, 1, 2, 3, 4], format: (k) => TRAIT_LABELS[k] ?? '', label: '', reversed: true };

/** ASMD per trait before and after weighting, with the 0.1 balance threshold. */
export const LovePlot = memo(function LovePlot({ asmd }: { asmd: LiveResult['asmd'] }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const height = 192;
  const x = niceTicks(Math.max(0.15, ...asmd.before, ...asmd.after) * 1.05, 4);
  return (
    <ChartCard
      title="Balance (love plot)"
      caption="Absolute standardised mean difference per trait, pool vs target; dashed line = 0.1 threshold."
      help="asmd"
      testId="chart-love"
    >
      <div ref={ref} className="h-48">
        <PlotFrame
          width={width}
          height={height}
          margin={LOVE_MARGIN}
          x={{ domain: [0, x.end], ticks: x.ticks, format: fixed2, label: 'ASMD (target SD units)' }}
          y={LOVE_Y}
          title="Absolute standardised mean difference per trait before and after weighting"
        >
          {(sx, sy) => (
            <>
              <line x1={sx(0.1)} x2={sx(0.1)} y1={LOVE_MARGIN.top} y2={height - LOVE_MARGIN.bottom} stroke="#64748b" strokeDasharray="4 2" />
              {(
                [
                  ['Before (raw pool)', asmd.before, COLORS.before],
                  ['After (weighted pool)', asmd.after, COLORS.after],
                ] as const
              ).map(([name, values, color]) => (
                <g key={name} fill={color}>
                  {values.map((v, k) => (
                    <circle key={k} cx={sx(v)} cy={sy(k)} r={4.5}>
                      <title>{`${name}, ${TRAIT_LABELS[k]}: ${v.toFixed(3)}`}</title>
                    </circle>
                  ))}
                </g>
              ))}
            </>
          )}
        </PlotFrame>
      </div>
      <LegendRow
        items={[
          { name: 'Before (raw pool)', color: COLORS.before, kind: 'dot' },
          { name: 'After (weighted pool)', color: COLORS.after, kind: 'dot' },
          { name: '0.1 threshold', color: '#64748b', kind: 'dashed' },
        ]}
      />
    </ChartCard>
  );
});
