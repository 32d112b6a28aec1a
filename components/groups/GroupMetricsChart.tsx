'use client';
/** Bars of each set's divergence from the group target, by metric (the latest alignment). */
import { Bar, BarChart, CartesianGrid, Label, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { METRIC_NAMES, METRICS } from '@/lib/core/metrics';
import type { Metrics } from './groupMetrics';

export function GroupMetricsChart({ metrics }: { metrics: Metrics }) {
  // FD is on another scale (squared points): it stays in the table
  const rows = METRICS.filter((m) => m !== 'fd').map((m) => ({
    metric: METRIC_NAMES[m],
    raw: metrics.raw?.[m],
    randomSelect: metrics.randomSelect?.[m],
    resample: metrics.resample?.[m],
  }));
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-3" data-testid="chart-group-metrics">
      <figcaption>
        <span className="block text-sm font-semibold">Divergence from the group target, by set</span>
        <span className="block text-xs text-slate-500">
          Each bar measures one set against the group’s human target (lower is better). AMW, SW in trait-scale points (1-5),
          MMD unitless, MAEcorr in correlation units. FD is in the table (squared points, another scale).
        </span>
      </figcaption>
      <div className="mt-2 h-56">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 18, left: 8 }}>
            <CartesianGrid strokeDasharray="2 4" stroke="#e2e8f0" />
            <XAxis dataKey="metric" fontSize={11}>
              <Label value="metric" position="insideBottom" offset={-10} fontSize={10} />
            </XAxis>
            <YAxis fontSize={10} tickFormatter={(v: number) => v.toFixed(2)}>
              <Label value="divergence (metric units)" angle={-90} position="insideLeft" offset={0} fontSize={10} style={{ textAnchor: 'middle' }} />
            </YAxis>
            <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} />
            <Legend verticalAlign="top" height={20} wrapperStyle={{ fontSize: 11 }} />
            <Bar dataKey="raw" name="Raw (whole group set)" fill="#64748b" isAnimationActive={false} />
            <Bar dataKey="randomSelect" name="RandomSelect (random k)" fill="#a8a29e" isAnimationActive={false} />
            <Bar dataKey="resample" name="Resample (aligned set)" fill="#0f766e" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
