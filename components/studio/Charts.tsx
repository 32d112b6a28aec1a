'use client';

import {
  Bar,
  BarChart,
  CartesianGrid,
  Label,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { memo, useMemo } from 'react';
import type { LiveResult } from '@/lib/studio/live-types';
import { ChartCard } from './ChartCard';

export const TRAIT_LABELS = ['Extraversion (E)', 'Agreeableness (A)', 'Conscientiousness (C)', 'Neuroticism (N)', 'Openness (O)'];
const COLORS = { pool: '#94a3b8', target: '#0f766e', weighted: '#c2410c', before: '#94a3b8', after: '#c2410c' };

/** Width of one trait's segment on the shared x axis of the marginals chart (scores 1-5 plus a gap). */
const SEGMENT = 5;
const TRAIT_CODES = ['E', 'A', 'C', 'N', 'O'];

/** Shared x position of a score of trait k (segment k spans [5k, 5k + 4]). */
const segmentX = (k: number, score: number) => k * SEGMENT + (score - 1);
/** The trait and score at a shared x position. */
const fromSegmentX = (x: number) => {
  const k = Math.min(4, Math.max(0, Math.floor(x / SEGMENT)));
  return { k, score: x - k * SEGMENT + 1 };
};

function MarginalTick({ x, y, payload }: { x?: number; y?: number; payload?: { value: number } }) {
  if (x === undefined || y === undefined || !payload) return null;
  const { k, score } = fromSegmentX(payload.value);
  return (
    <g transform={`translate(${x},${y})`}>
      <text dy={10} textAnchor="middle" fontSize={10} fill="#475569">
        {Math.round(score)}
      </text>
      {Math.round(score) === 3 ? (
        <text dy={24} textAnchor="middle" fontSize={11} fill="#334155">
          {TRAIT_LABELS[k]}
        </text>
      ) : null}
    </g>
  );
}

const MARGINAL_TICKS = [0, 1, 2, 3, 4].flatMap((k) => [1, 2, 3, 4, 5].map((sc) => segmentX(k, sc)));

// Chart props that never change live at module level: recharts 3 keeps axis and chart settings in its store and
// re-runs its selectors when a prop's identity changes, so fresh objects or functions on every render cost time.
const fixed1 = (v: number) => v.toFixed(1);
const fixed2 = (v: number) => v.toFixed(2);
const fixed3 = (v: unknown) => Number(v).toFixed(3);
const MARGINAL_MARGIN = { top: 8, right: 8, bottom: 24, left: 0 };
const MARGINAL_DOMAIN: [number, number] = [0, segmentX(4, 5)];
const MARGINAL_TICK = <MarginalTick />;
const MARGINAL_X_LABEL = <Label value="score (1-5) per trait" position="insideBottom" offset={-20} fontSize={10} />;
const MARGINAL_Y_LABEL = <Label value="density" angle={-90} position="insideLeft" offset={14} fontSize={10} />;
const MARGINAL_SEPARATORS = [0, 1, 2, 3].map((k) => <ReferenceLine key={k} x={segmentX(k, 5.5)} stroke="#cbd5e1" />);
const marginalLabel = (x: unknown) => {
  const { k, score } = fromSegmentX(Number(x));
  return `${TRAIT_CODES[k]} score ${score.toFixed(2)}`;
};
const SMALL_MARGIN = { top: 18, right: 8, bottom: 18, left: 0 };
const LOVE_MARGIN = { top: 8, right: 12, bottom: 18, left: 60 };
const HISTOGRAM_DOMAIN: [string, string] = ['dataMin - 0.25', 'dataMax + 0.25'];
const HISTOGRAM_X_LABEL = <Label value="log10(n · weight)" position="insideBottom" offset={-10} fontSize={10} />;
const HISTOGRAM_Y_LABEL = <Label value="personas" angle={-90} position="insideLeft" offset={14} fontSize={10} />;
const HISTOGRAM_UNIFORM_LABEL = { value: 'uniform 1/n', fontSize: 10, position: 'top' as const };
const histogramValue = (v: unknown) => [String(v), 'personas'] as [string, string];
const histogramLabel = (_: unknown, p: readonly { payload?: unknown }[]) => (p?.[0]?.payload as { label?: string } | undefined)?.label ?? '';
const LOVE_Y_DOMAIN: [number, number] = [-0.5, 4.5];
const LOVE_Y_TICKS = [0, 1, 2, 3, 4];
const traitName = (k: number) => TRAIT_LABELS[k] ?? '';
const loveValue = (v: unknown, name: unknown) => (name === 'y' ? TRAIT_LABELS[Number(v)] : Number(v).toFixed(3));
const LOVE_X_LABEL = <Label value="ASMD (target SD units)" position="insideBottom" offset={-10} fontSize={10} />;

/**
 * Per-trait marginal densities of the pool, the target and the weighted pool: the five traits side by side on one
 * chart (one segment per trait, each with its own 1-5 score axis; a shared density axis), so that a live update
 * redraws one chart rather than five.
 */
export const MarginalsChart = memo(function MarginalsChart({ result }: { result: LiveResult }) {
  const rows: { x: number; pool: number | null; target: number | null; weighted: number | null }[] = [];
  const { grid, pool, target, weighted } = result.marginals;
  for (let k = 0; k < 5; k++) {
    for (let g = 0; g < grid.length; g++) rows.push({ x: segmentX(k, grid[g]!), pool: pool[k]![g]!, target: target[k]![g]!, weighted: weighted[k]![g]! });
    // A gap row between traits breaks the lines.
    if (k < 4) rows.push({ x: segmentX(k, 5.5), pool: null, target: null, weighted: null });
  }
  return (
    <ChartCard
      title="Trait marginals: pool, target and weighted pool"
      caption="Gaussian kernel density (per score point) of each trait score on the 1-5 scale, one segment per trait. Weighted pool = pool under the live weights."
      testId="chart-marginals"
    >
      <div className="h-56">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={MARGINAL_MARGIN}>
            <CartesianGrid strokeDasharray="2 4" stroke="#e2e8f0" vertical={false} />
            <XAxis dataKey="x" type="number" domain={MARGINAL_DOMAIN} ticks={MARGINAL_TICKS} interval={0} tick={MARGINAL_TICK} height={36}>
              {MARGINAL_X_LABEL}
            </XAxis>
            <YAxis fontSize={10} width={44} interval={0} tickFormatter={fixed1}>
              {MARGINAL_Y_LABEL}
            </YAxis>
            {MARGINAL_SEPARATORS}
            <Tooltip formatter={fixed3} labelFormatter={marginalLabel} />
            <Line dataKey="pool" name="Pool" stroke={COLORS.pool} dot={false} strokeWidth={1.5} isAnimationActive={false} connectNulls={false} />
            <Line dataKey="target" name="Target" stroke={COLORS.target} dot={false} strokeWidth={2} isAnimationActive={false} connectNulls={false} />
            <Line
              dataKey="weighted"
              name="Weighted pool"
              stroke={COLORS.weighted}
              dot={false}
              strokeWidth={1.5}
              strokeDasharray="4 2"
              isAnimationActive={false}
              connectNulls={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <Legendline items={[['Pool', COLORS.pool], ['Target', COLORS.target], ['Weighted pool', COLORS.weighted]]} />
    </ChartCard>
  );
});

function Legendline({ items }: { items: [string, string][] }) {
  return (
    <div className="mt-1 flex justify-center gap-4 text-xs" aria-label="Legend">
      {items.map(([name, color]) => (
        <span key={name} className="flex items-center gap-1">
          <span className="inline-block h-0.5 w-4" style={{ background: color }} />
          {name}
        </span>
      ))}
    </div>
  );
}

/** Distribution of the importance weights on a log scale, with the ESS stated. */
export const WeightHistogram = memo(function WeightHistogram({ result }: { result: LiveResult }) {
  const rows = result.weightHistogram.map((b) => ({ mid: (b.lo + b.hi) / 2, count: b.count, label: `${b.lo.toFixed(1)} to ${b.hi.toFixed(1)}` }));
  const ess = result.diagnostics.ess;
  return (
    <ChartCard
      title="Live weights"
      caption={`log10(n · w_i), so 0 is the uniform weight 1/n. ESS = ${ess.toFixed(0)} of ${result.poolN} personas (${((100 * ess) / Math.max(1, result.poolN)).toFixed(1)}%).`}
      help="weights"
      testId="chart-weights"
    >
      <div className="h-48">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} margin={SMALL_MARGIN}>
            <CartesianGrid strokeDasharray="2 4" stroke="#e2e8f0" />
            <XAxis dataKey="mid" type="number" domain={HISTOGRAM_DOMAIN} fontSize={10} interval={0} tickFormatter={fixed1}>
              {HISTOGRAM_X_LABEL}
            </XAxis>
            <YAxis fontSize={10} allowDecimals={false} interval={0}>
              {HISTOGRAM_Y_LABEL}
            </YAxis>
            <Tooltip formatter={histogramValue} labelFormatter={histogramLabel} />
            <Bar dataKey="count" name="Personas per weight bin" fill="#0f766e" isAnimationActive={false} />
            <ReferenceLine x={0} stroke="#c2410c" strokeDasharray="4 2" label={HISTOGRAM_UNIFORM_LABEL} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <Legendline items={[['Personas per weight bin', '#0f766e'], ['Uniform weight 1/n', '#c2410c']]} />
    </ChartCard>
  );
});

/** ASMD per trait before and after weighting, with the 0.1 balance threshold. */
export const LovePlot = memo(function LovePlot({ result }: { result: LiveResult }) {
  const before = result.asmd.before.map((x, k) => ({ x, y: k }));
  const after = result.asmd.after.map((x, k) => ({ x, y: k }));
  // The axis end in steps of 0.05, so that it (and the store's axis settings) change only when the data outgrow it.
  const max = Math.ceil((Math.max(0.15, ...result.asmd.before, ...result.asmd.after) * 1.1) / 0.05) * 0.05;
  const domain = useMemo<[number, number]>(() => [0, Number(max.toFixed(2))], [max]);
  return (
    <ChartCard
      title="Balance (love plot)"
      caption="Absolute standardised mean difference per trait, pool vs target; dashed line = 0.1 threshold."
      help="asmd"
      testId="chart-love"
    >
      <div className="h-48">
        <ResponsiveContainer width="100%" height="100%">
          <ScatterChart margin={LOVE_MARGIN}>
            <CartesianGrid strokeDasharray="2 4" stroke="#e2e8f0" />
            <XAxis type="number" dataKey="x" domain={domain} fontSize={10} interval={0} tickFormatter={fixed2}>
              {LOVE_X_LABEL}
            </XAxis>
            {/* Traits on a numeric axis (0-4, labelled by name): cheaper to update than a category axis. */}
            <YAxis type="number" dataKey="y" domain={LOVE_Y_DOMAIN} ticks={LOVE_Y_TICKS} interval={0} tickFormatter={traitName} fontSize={10} width={110} reversed />
            <Tooltip formatter={loveValue} />
            <ReferenceLine x={0.1} stroke="#64748b" strokeDasharray="4 2" />
            <Scatter name="Before (raw pool)" data={before} fill={COLORS.before} isAnimationActive={false} />
            <Scatter name="After (weighted pool)" data={after} fill={COLORS.after} isAnimationActive={false} />
          </ScatterChart>
        </ResponsiveContainer>
      </div>
      <Legendline items={[['Before (raw pool)', COLORS.before], ['After (weighted pool)', COLORS.after], ['0.1 threshold', '#64748b']]} />
    </ChartCard>
  );
});

/** Target correlation minus set correlation, as a colour grid. */
export const CorrelationDiffMap = memo(function CorrelationDiffMap({ result }: { result: LiveResult }) {
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
                  {i === j ? '' : v.toFixed(2)}
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
        {grid(result.correlationDiff.before, 'Raw pool', 'corr-before')}
        {grid(result.correlationDiff.after, 'Weighted pool', 'corr-after')}
      </div>
      <div className="mt-1 flex items-center justify-center gap-2 text-[11px]" aria-label="Colour legend">
        <span>−0.3</span>
        <span className="h-2 w-24" style={{ background: 'linear-gradient(to right, rgba(194,65,12,1), white, rgba(15,118,110,1))' }} />
        <span>+0.3 (r difference)</span>
      </div>
    </ChartCard>
  );
});

/** Two chosen traits: target respondents vs the aligned (weighted) pool, as in the paper's Figure 3. */
export const TraitScatter = memo(function TraitScatter({
  target,
  weighted,
  traits,
  onTraits,
}: {
  target: [number, number][];
  weighted: [number, number][];
  traits: [number, number];
  onTraits: (t: [number, number]) => void;
}) {
  const codes = ['E', 'A', 'C', 'N', 'O'];
  return (
    <ChartCard
      title="Two traits: target vs aligned set"
      caption="Each dot a person (up to 300 target respondents) or a persona drawn from the pool in proportion to its weight (300 draws, seeded)."
      testId="chart-scatter"
    >
      <div className="mb-1 flex gap-2 text-xs">
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
              {codes.map((c, i) => (
                <option key={c} value={i}>
                  {TRAIT_LABELS[i]}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      <div className="h-64">
        <ResponsiveContainer width="100%" height="100%">
          <ScatterChart margin={{ top: 8, right: 12, bottom: 18, left: 0 }}>
            <CartesianGrid strokeDasharray="2 4" stroke="#e2e8f0" />
            <XAxis type="number" dataKey="x" domain={[1, 5]} ticks={[1, 2, 3, 4, 5]} fontSize={10}>
              <Label value={`${TRAIT_LABELS[traits[0]]} score`} position="insideBottom" offset={-10} fontSize={10} />
            </XAxis>
            <YAxis type="number" dataKey="y" domain={[1, 5]} ticks={[1, 2, 3, 4, 5]} fontSize={10}>
              <Label value={`${TRAIT_LABELS[traits[1]]} score`} angle={-90} position="insideLeft" offset={14} fontSize={10} />
            </YAxis>
            <Legend verticalAlign="top" height={18} wrapperStyle={{ fontSize: 11 }} />
            <Scatter name="Target respondents" data={target.map(([x, y]) => ({ x, y }))} fill="#0f766e" fillOpacity={0.25} isAnimationActive={false} shape="circle" />
            <Scatter name="Aligned set (weighted draws)" data={weighted.map(([x, y]) => ({ x, y }))} fill="#c2410c" fillOpacity={0.35} isAnimationActive={false} shape="circle" />
          </ScatterChart>
        </ResponsiveContainer>
      </div>
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
