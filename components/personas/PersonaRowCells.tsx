'use client';
/** The cells of one persona row: id, name and excerpt with demographics, status, flags, critic score, traits, weight. */
import Link from 'next/link';
import type { PersonaListRow } from '@/lib/personas/service';
import { StatusBadge } from './StatusBadge';
import { fmt2, fmtWeight } from './format';
import { TRAITS } from '@/lib/core/traits';

export function PersonaRowCells({ r }: { r: PersonaListRow }) {
  return (
    <>
      <span role="cell" className="tabular-nums">
        <Link href={`/personas/${r.id}`} className="text-teal-800 underline">
          {r.id}
        </Link>
      </span>
      <span role="cell" className="min-w-0">
        <span className="block truncate" title={r.excerpt}>
          {r.name ? <strong className="font-medium">{r.name}{r.occupation !== 'unknown' ? `, ${r.occupation}` : ''}: </strong> : null}
          {r.excerpt}
        </span>
        <span className="block truncate text-xs text-slate-500">
          {r.sourceId}
          {r.ageBand !== 'unknown' ? ` · ${r.ageBand}` : ''}
          {r.gender !== 'unknown' ? ` · ${r.gender}` : ''}
          {r.country !== 'unknown' ? ` · ${r.country}` : ''}
          {r.duplicateOfId ? ` · duplicate of #${r.duplicateOfId}` : ''}
        </span>
      </span>
      <span role="cell">
        <StatusBadge status={r.status} />
      </span>
      <span role="cell" className="truncate text-xs text-amber-800">
        {r.flagCodes.join(', ')}
      </span>
      <span role="cell" className="text-right tabular-nums">
        {r.minCriticScore ?? '—'}
      </span>
      {TRAITS.map((t) => (
        <span key={t} role="cell" className="text-right tabular-nums">
          {fmt2(r[t])}
        </span>
      ))}
      <span role="cell" className="text-right tabular-nums">
        {fmtWeight(r.weight)}
        {r.selected ? <span title="in the run's selection"> ✓</span> : null}
      </span>
    </>
  );
}
