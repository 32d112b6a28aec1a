'use client';

import { CartesianGrid, Label, Legend, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { METRICS } from '@/lib/core/metrics';
import type { StoredFrontier } from '@/lib/studio/runs';

interface Point {
  x: number;
  y: number;
  /** The set size behind the point (k distinct personas, or k draws with repeats). */
  k: number;
  amw: number;
  what: string;
}

const COLORS = { distinct: '#0f766e', systematic: '#c2410c', run: '#1e293b' };
const MARGIN = { top: 8, right: 16, bottom: 30, left: 8 };
const LOG_TICKS = [10, 20, 30, 50, 100, 200, 300, 500, 1000, 2000, 3000, 5000, 10_000, 20_000];
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

function FrontierTooltip({ active, payload }: { active?: boolean; payload?: readonly { payload?: Point }[] }) {
  const p = active ? payload?.[0]?.payload : undefined;
  if (!p) return null;
  return (
    <div className="rounded border border-slate-300 bg-white px-2 py-1 text-[11px] shadow">
      <p className="font-medium">{p.what}</p>
      <p>
        {fmt(p.x)} distinct personas · ratio to Raw {p.y.toFixed(3)} · AMW {p.amw.toFixed(3)}
      </p>
    </div>
  );
}

/**
 * The diversity-fidelity frontier of a run: mean ratio to Raw (y) against distinct personas (x, log scale) for
 * distinct sets by pivotal sampling and for systematic draws (placed at their distinct count), with the run's own set.
 */
export function FrontierChart({ frontier, testId = 'frontier-chart' }: { frontier: StoredFrontier; testId?: string }) {
  const distinct: Point[] = frontier.sizes.map((k, s) => ({
    x: k,
    y: frontier.ratioToRaw[s]!,
    k,
    amw: frontier.distinct.amw[s]!,
    what: 'Distinct set (pivotal sampling)',
  }));
  const systematic: Point[] = frontier.sizes.map((k, s) => ({
    x: Math.max(1, frontier.systematicDistinct[s]!),
    y: frontier.systematicRatioToRaw[s]!,
    k,
    amw: frontier.systematic.amw[s]!,
    what: `${fmt(k)} systematic draws`,
  }));
  const run: Point[] = [
    {
      x: Math.max(1, frontier.run.distinct),
      y: frontier.run.ratioToRaw,
      k: frontier.run.size,
      amw: frontier.run.amw,
      what: `This run's set: ${fmt(frontier.run.size)} ${frontier.run.repeats ? 'draws' : 'distinct personas'}`,
    },
  ];
  const xs = [...distinct, ...systematic, ...run].map((p) => p.x);
  const lo = Math.max(1, Math.min(...xs) * 0.8);
  const hi = Math.max(...xs) * 1.25;
  const ticks = LOG_TICKS.filter((t) => t >= lo && t <= hi);
  const weightedRatio = METRICS.reduce((t, m) => t + (frontier.raw[m] > 0 ? frontier.weighted[m] / frontier.raw[m] : 1), 0) / METRICS.length;
  const ys = [...distinct, ...systematic, ...run].map((p) => p.y);
  // Ticks every 0.2 up to the first step above the highest point (at least 1.2, so Raw's line has room above it).
  const yMax = Math.max(1.2, Math.ceil((Math.max(...ys) + 0.05) * 5) / 5);
  const yTicks = Array.from({ length: Math.round(yMax / 0.2) + 1 }, (_, i) => Number((i * 0.2).toFixed(1)));
  return (
    <figure className="rounded border border-slate-200 p-2" data-testid={testId}>
      <figcaption className="text-sm font-semibold">Diversity-fidelity frontier of the run’s weights</figcaption>
      <p className="text-xs text-slate-500">
        Each point is a set measured against the whole target. Lower is closer: 1 = as far as the unweighted pool (Raw).
        Systematic draws repeat personas, so they sit at their count of distinct personas.
      </p>
      <div className="mt-1 h-72">
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 640, height: 288 }}>
          <ScatterChart margin={MARGIN}>
            <CartesianGrid strokeDasharray="2 4" stroke="#e2e8f0" />
            <XAxis
              dataKey="x"
              type="number"
              scale="log"
              domain={[lo, hi]}
              ticks={ticks}
              tickFormatter={fmt}
              fontSize={10}
              allowDataOverflow
            >
              <Label value="distinct personas in the set (count, log scale)" position="insideBottom" offset={-16} fontSize={11} />
            </XAxis>
            <YAxis dataKey="y" type="number" domain={[0, yMax]} ticks={yTicks} tickFormatter={(v: number) => v.toFixed(1)} fontSize={10} width={48}>
              <Label value="mean ratio to Raw (unitless)" angle={-90} position="insideLeft" offset={4} dy={70} fontSize={11} />
            </YAxis>
            <Tooltip content={<FrontierTooltip />} />
            <Legend verticalAlign="top" height={24} wrapperStyle={{ fontSize: 11 }} />
            <ReferenceLine y={1} stroke="#94a3b8" strokeDasharray="4 3" label={{ value: 'Raw (whole pool) = 1', fontSize: 10, position: 'insideBottomLeft', fill: '#64748b' }} />
            <ReferenceLine
              y={weightedRatio}
              stroke="#64748b"
              strokeDasharray="1 3"
              label={{ value: `whole pool under the weights = ${weightedRatio.toFixed(2)}`, fontSize: 10, position: 'insideBottomRight', fill: '#64748b' }}
            />
            <ReferenceLine
              x={frontier.recommendedSize}
              stroke={COLORS.distinct}
              strokeDasharray="2 3"
              label={{ value: `recommended k = ${fmt(frontier.recommendedSize)}`, fontSize: 10, position: 'insideTopLeft', fill: COLORS.distinct }}
            />
            <Scatter name="Distinct sets (pivotal sampling)" data={distinct} fill={COLORS.distinct} line={{ stroke: COLORS.distinct, strokeWidth: 2 }} isAnimationActive={false} />
            <Scatter
              name="Systematic draws (at their distinct count)"
              data={systematic}
              fill={COLORS.systematic}
              line={{ stroke: COLORS.systematic, strokeWidth: 1.5, strokeDasharray: '5 3' }}
              shape="square"
              legendType="square"
              isAnimationActive={false}
            />
            <Scatter name="This run’s set" data={run} fill={COLORS.run} shape="star" legendType="star" isAnimationActive={false} />
          </ScatterChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
