'use client';

/**
 * How the selection's personality differs from the whole reference: five small multiples (recharts) overlaying the
 * selection's trait distribution on all respondents', the mean difference in trait points, and the published
 * McCrae & Terracciano country norms of the selected countries where they exist.
 */
import { memo } from 'react';
import { CartesianGrid, Label, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatShift, HIST_BINS, histBinStart, TRAIT_NAMES, TRAITS, type Trait } from '@/lib/groups/builder';

export interface TraitShiftProps {
  selection: { n: number; hist: Record<Trait, Float64Array>; mean: Record<Trait, number> };
  all: { n: number; hist: Record<Trait, Float64Array>; mean: Record<Trait, number> };
  /** T-scores of the selected countries with published norms. */
  norms: { code: string; name: string; t: Record<Trait, number> }[];
}

function TraitPlot({ trait, selection, all }: { trait: Trait; selection: TraitShiftProps['selection']; all: TraitShiftProps['all'] }) {
  const data = Array.from({ length: HIST_BINS }, (_, j) => ({
    x: Number((histBinStart(j) + 2 / HIST_BINS).toFixed(3)),
    all: 100 * all.hist[trait][j]!,
    selection: selection.n > 0 ? 100 * selection.hist[trait][j]! : null,
  }));
  const d = selection.mean[trait] - all.mean[trait];
  return (
    <figure className="rounded border border-slate-200 bg-white p-2" data-testid={`trait-shift-${trait}`}>
      <figcaption className="text-xs">
        <span className="font-semibold">
          {TRAIT_NAMES[trait]} ({trait})
        </span>{' '}
        <span className={Math.abs(d) >= 0.1 ? 'font-semibold text-orange-800' : 'text-slate-600'} data-testid={`trait-diff-${trait}`}>
          {selection.n > 0 ? `${formatShift(d)} vs all respondents` : 'no respondents selected'}
        </span>
        <span className="block text-[10px] text-slate-500">
          mean {Number.isFinite(selection.mean[trait]) ? selection.mean[trait].toFixed(2) : '—'} (selection) vs {all.mean[trait].toFixed(2)} (all), in trait points
        </span>
      </figcaption>
      <div className="h-36">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 4, right: 6, bottom: 16, left: 0 }}>
            <CartesianGrid strokeDasharray="2 4" stroke="#e2e8f0" />
            <XAxis dataKey="x" type="number" domain={[1, 5]} ticks={[1, 2, 3, 4, 5]} fontSize={10}>
              <Label value="trait score (1-5)" position="insideBottom" offset={-8} fontSize={10} />
            </XAxis>
            <YAxis fontSize={10} width={34} tickFormatter={(v: number) => `${v.toFixed(0)}%`}>
              <Label value="share" angle={-90} position="insideLeft" offset={8} fontSize={10} style={{ textAnchor: 'middle' }} />
            </YAxis>
            <Tooltip formatter={(v) => (typeof v === 'number' ? `${v.toFixed(1)}%` : String(v))} labelFormatter={(x) => `score about ${x}`} />
            <Legend verticalAlign="top" height={16} wrapperStyle={{ fontSize: 10 }} />
            <Line dataKey="all" name="all respondents" stroke="#64748b" strokeWidth={1.5} dot={false} isAnimationActive={false} />
            <Line dataKey="selection" name="selection" stroke="#c2410c" strokeWidth={2} dot={false} isAnimationActive={false} connectNulls={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

function TraitShiftView({ selection, all, norms }: TraitShiftProps) {
  return (
    <section className="space-y-2" aria-labelledby="trait-shift-title" data-testid="trait-shift">
      <h3 id="trait-shift-title" className="text-sm font-semibold">
        How this group’s personality differs from all {all.n.toLocaleString('en-US')} respondents
      </h3>
      <p className="text-xs text-slate-600">
        Distributions of the five traits (share of respondents per 0.2-point bin of the 1-5 scale): the selection in orange over the whole
        reference in grey. Differences are selection minus all, in trait points.
      </p>
      <div className="grid gap-2 sm:grid-cols-2 lg:grid-cols-5">
        {TRAITS.map((t) => (
          <TraitPlot key={t} trait={t} selection={selection} all={all} />
        ))}
      </div>
      {norms.length > 0 && (
        <div className="overflow-x-auto">
          <table className="text-xs" data-testid="country-norms">
            <caption className="text-left text-slate-600">
              Published country norms (McCrae & Terracciano 2005), T-scores: 50 = mean of the cultures studied, 10 = one individual SD.
            </caption>
            <thead className="bg-slate-100 text-slate-700">
              <tr>
                <th className="px-2 py-0.5 text-left">Country</th>
                {TRAITS.map((t) => (
                  <th key={t} className="px-2 py-0.5 text-right">
                    {t}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {norms.map((c) => (
                <tr key={c.code} className="border-t border-slate-100">
                  <td className="px-2 py-0.5">{c.name}</td>
                  {TRAITS.map((t) => (
                    <td key={t} className={`px-2 py-0.5 text-right tabular-nums ${Math.abs((c.t[t] ?? 50) - 50) >= 5 ? 'font-semibold' : ''}`}>
                      {c.t[t] !== undefined ? c.t[t].toFixed(1) : '—'}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export const TraitShift = memo(TraitShiftView);
