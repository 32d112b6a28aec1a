'use client';
/** The table of retrieved personas: a checkbox to select each for revision, rank, persona, why it matched, score, status. */
import Link from 'next/link';
import { HelpTip } from '@/components/HelpTip';
import { StatusBadge } from '@/components/personas/StatusBadge';
import type { RetrievalResult } from '@/lib/groups/retrieve';

export function RetrievalHits({ hits, selected, setSelected }: { hits: RetrievalResult['hits']; selected: number[]; setSelected: (ids: number[]) => void }) {
  return (
    <div className="max-h-[28rem] overflow-y-auto rounded border border-slate-200">
      <table className="w-full text-xs" data-testid="retrieval-hits">
        <thead className="sticky top-0 bg-slate-100 text-left text-slate-700">
          <tr>
            <th className="px-2 py-1">
              <span className="sr-only">Select</span>
            </th>
            <th className="px-2 py-1 text-right">#</th>
            <th className="px-2 py-1">Persona</th>
            <th className="px-2 py-1">Why it matched</th>
            <th className="px-2 py-1 text-right">
              Score
              <HelpTip term="score" />
            </th>
            <th className="px-2 py-1">Status</th>
          </tr>
        </thead>
        <tbody>
          {hits.map((h) => (
            <tr key={h.id} className="border-t border-slate-100 align-top" data-testid={`hit-${h.id}`}>
              <td className="px-2 py-1">
                <input
                  type="checkbox"
                  aria-label={`Select persona ${h.id}`}
                  checked={selected.includes(h.id)}
                  disabled={h.status === 'rejected'}
                  onChange={(e) => setSelected(e.target.checked ? [...selected, h.id].slice(0, 200) : selected.filter((x) => x !== h.id))}
                />
              </td>
              <td className="px-2 py-1 text-right tabular-nums">{h.rank}</td>
              <td className="max-w-md px-2 py-1">
                <Link href={`/personas/${h.id}`} className="font-medium text-teal-800 underline">
                  {h.name ?? `Persona ${h.id}`}
                </Link>{' '}
                <span className="text-slate-500">
                  {h.sourceId} · {h.occupation !== 'unknown' ? h.occupation : 'occupation unknown'} · {h.ageBand}
                </span>
                <span className="block text-slate-700">{h.excerpt}</span>
              </td>
              <td className="max-w-xs px-2 py-1 text-slate-700" data-testid="hit-why">
                {h.whyText}
              </td>
              <td className="px-2 py-1 text-right tabular-nums">{h.why.method === 'filters' ? '—' : h.score.toFixed(3)}</td>
              <td className="px-2 py-1">
                <StatusBadge status={h.status} />
                {!h.measured && <span className="block text-[10px] text-amber-800">no trait scores</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
