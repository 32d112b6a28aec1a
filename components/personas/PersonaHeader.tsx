import Link from 'next/link';
import { StatusBadge } from './StatusBadge';
import { fmtTime } from './format';
import type { PersonaDetail } from '@/lib/personas/service';

/** The persona page's header: back link, title, status, link to the review history, source and provenance. */
export function PersonaHeader({ detail: d }: { detail: PersonaDetail }) {
  const p = d.persona;
  return (
    <header className="space-y-2">
      <p className="text-sm">
        <Link href="/personas" className="text-teal-800 underline">
          ← Personas
        </Link>
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold" data-testid="persona-title">
          #{p.id} {p.name ?? (p.occupation !== 'unknown' ? p.occupation : 'Unnamed persona')}
        </h1>
        <StatusBadge status={p.status} testId="persona-status" />
        <a href="#history-title" className="text-sm text-teal-800 underline">
          Review history ({d.history.length})
        </a>
      </div>
      <p className="text-sm text-slate-600">
        Source: {p.sourceName} ({p.sourceLicence}) · external id {p.externalId}
        {p.model ? ` · model ${p.model}` : ''}
        {p.promptVersion ? ` · prompt ${p.promptVersion}` : ''} · created {fmtTime(p.createdAt)}
        {p.updatedAt ? ` · updated ${fmtTime(p.updatedAt)}` : ''}
      </p>
    </header>
  );
}
