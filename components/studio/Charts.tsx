'use client';

import { CartesianGrid, Label, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { memo, useMemo } from 'react';
import type { LiveResult, ScatterPoints } from '@/lib/studio/live-types';
import { ChartCard } from './ChartCard';
import { LegendRow, PlotFrame, niceTicks, useWidth, type Axis } from './svgPlot';

export const TRAIT_LABELS = ['Extraversion (E)', 'Agreeableness (A)', 'Conscientiousness (C)', 'Neuroticism (N)', 'Openness (O)'];
const TRAIT_CODES = ['E', 'A', 'C', 'N', 'O'];
const COLORS = { pool: '#94a3b8', target: '#0f766e', weighted: '#c2410c', before: '#94a3b8', after: '#c2410c' };

// The live charts (marginals, weights, balance, scatter) are plain SVG (./svgPlot): one React render per edit, no
// animation, no measuring pass. Each is memoised and receives only the parts of the result it draws, so a chart whose
// figures did not change is not rendered again.

/** Width of one trait's segment on the shared x axis of the marginals chart (scores 1-5 plus a gap). */
const SEGMENT = 5;
/** Shared x position of a score of trait k (segment k spans [5k, 5k + 4]). */
const segmentX = (k: number, score: number) => k * SEGMENT + (score - 1);
const MARGINAL_TICKS = [0, 1, 2, 3, 4].flatMap((k) => [1, 2, 3, 4, 5].map((sc) => segmentX(k, sc)));
const MARGINAL_MARGIN = { top: 8, right: 8, bottom: 50, left: 48 };
const fixed1 = (v: number) => v.toFixed(1);
const fixed2 = (v: number) => v.toFixed(2);

/** An SVG path through (x, y) points. */
function pathOf(xs: ArrayLike<number>, ys: ArrayLike<number>): string {
  let d = '';
  for (let i = 0; i < xs.length; i++) d += `${i ? 'L' : 'M'}${xs[i]!.toFixed(1)} ${ys[i]!.toFixed(1)}`;
  return d;
}

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
  const names = (innerW / 24) * 4 >= 96 ? TRAIT_LABELS : TRAIT_CODES;
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

/** Target correlation minus set correlation, as a colour grid. */
export const CorrelationDiffMap = memo(function CorrelationDiffMap({ correlationDiff }: { correlationDiff: LiveResult['correlationDiff'] }) {
  const codes = ['E', 'A', 'C', 'N', 'O'];
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
            {codes.map((c) => (
              <th key={c} className="w-10 font-normal text-slate-600">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {m.map((row, i) => (
            <tr key={codes[i]}>
              <th className="pr-1 font-normal text-slate-600">{codes[i]}</th>
              {row.map((v, j) => (
                <td
                  key={j}
                  className="h-8 w-10 border border-white text-center tabular-nums"
                  style={{ background: i === j ? '#f1f5f9' : color(v), color: Math.abs(v) > 0.18 && i !== j ? 'white' : '#0f172a' }}
                  title={`${codes[i]}-${codes[j]}: ${v.toFixed(3)}`}
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
              {TRAIT_CODES.map((c, i) => (
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

/** The Sinkhorn marginal-error trace of the last full run. */
export const SinkhornTrace = memo(function SinkhornTrace({
  trace,
  tolerance,
  converged,
  estimator = null,
}: {
  trace: number[];
  tolerance?: number;
  converged?: boolean;
  /** The last run's estimator label, when there is a last run. */
  estimator?: string | null;
}) {
  const rows = trace.map((err, i) => ({ iteration: i + 1, err: Math.max(err, 1e-16) }));
  return (
    <ChartCard
      title="Sinkhorn convergence (last full run)"
      caption={`Marginal error per iteration (log scale)${converged === undefined || trace.length === 0 ? '' : converged ? ': converged' : ': did not converge'}.`}
      help="sinkhorn"
      testId="chart-trace"
    >
      {rows.length === 0 ? (
        <p className="text-xs text-slate-500">
          {estimator
            ? `The last run weighted the pool by ${estimator} without optimal transport, so there is no Sinkhorn trace; the paper’s method (KDE + OT) has one.`
            : 'Run a full alignment to see its convergence trace.'}
        </p>
      ) : (
        <div className="h-44">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={rows} margin={{ top: 8, right: 8, bottom: 18, left: 0 }}>
              <CartesianGrid strokeDasharray="2 4" stroke="#e2e8f0" />
              <XAxis dataKey="iteration" type="number" fontSize={10} domain={[1, 'dataMax']}>
                <Label value="iteration" position="insideBottom" offset={-10} fontSize={10} />
              </XAxis>
              <YAxis dataKey="err" scale="log" domain={['auto', 'auto']} fontSize={10} tickFormatter={(v: number) => v.toExponential(0)}>
                <Label value="marginal error" angle={-90} position="insideLeft" offset={12} fontSize={10} />
              </YAxis>
              <Tooltip formatter={(v) => Number(v).toExponential(2)} />
              <Legend verticalAlign="top" height={18} wrapperStyle={{ fontSize: 11 }} />
              <Line dataKey="err" name="L1 marginal error" stroke="#0f766e" dot={false} isAnimationActive={false} />
              {tolerance ? <ReferenceLine y={tolerance} stroke="#c2410c" strokeDasharray="4 2" label={{ value: 'tolerance', fontSize: 10 }} /> : null}
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </ChartCard>
  );
});
