'use client';

import { CartesianGrid, Label, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { memo } from 'react';
import { ChartCard } from './ChartCard';

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
