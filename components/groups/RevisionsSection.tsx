'use client';
/** The group page's revisions: each revised persona with its parent, the word diff and the trait drift. */
import Link from 'next/link';
import { HelpTip } from '@/components/HelpTip';
import { StatusBadge } from '@/components/personas/StatusBadge';
import type { RevisionView } from '@/lib/groups/service';
import { TRAITS } from '@/lib/core/traits';
import { fmt } from './groupMetrics';

function DiffText({ parts }: { parts: RevisionView['diff'] }) {
  return (
    <p className="whitespace-pre-wrap text-sm leading-relaxed" data-testid="revision-diff">
      {parts.map((p, i) =>
        p.kind === 'added' ? (
          <ins key={i} className="bg-emerald-100 text-emerald-900 no-underline">
            {p.text}
          </ins>
        ) : p.kind === 'removed' ? (
          <del key={i} className="bg-rose-100 text-rose-900">
            {p.text}
          </del>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </p>
  );
}

export function RevisionsSection({ revisions }: { revisions: RevisionView[] }) {
  return (
    <section className="space-y-2" aria-labelledby="revisions-title">
      <h2 id="revisions-title" className="text-lg font-semibold">
        Revisions for this group
      </h2>
      {revisions.length === 0 ? (
        <p className="text-sm text-slate-600">No revisions yet. Select retrieved personas above and revise them to fit the group.</p>
      ) : (
        <ul className="space-y-3" data-testid="revisions">
          {revisions.map((r) => (
            <li key={r.id} className="rounded border border-slate-200 bg-white p-2" data-testid={`revision-${r.id}`}>
              <div className="flex flex-wrap items-center gap-2 text-xs">
                <Link href={`/personas/${r.id}`} className="font-medium text-teal-800 underline">
                  Persona {r.id}
                </Link>
                <span className="text-slate-500">revision of</span>
                <Link href={`/personas/${r.parentId}`} className="text-teal-800 underline">
                  {r.parentId}
                </Link>
                <StatusBadge status={r.status} />
                {r.changes && <span className="text-slate-600">“{r.changes}”</span>}
              </div>
              <DiffText parts={r.diff} />
              <div className="mt-1 text-xs">
                Trait drift
                <HelpTip term="drift" />:{' '}
                {r.drift ? (
                  <span className={r.drifted ? 'font-semibold text-red-700' : 'text-slate-700'} data-testid="revision-drift">
                    {TRAITS.map((t) => `${t} ${fmt(r.drift?.[t], 2)}`).join(' · ')} {r.drifted ? '(over 0.5: flagged)' : '(within 0.5)'}
                    <span className="block text-slate-500">compared with the {r.comparedWith}</span>
                  </span>
                ) : (
                  <span className="text-slate-500">{r.measured ? r.comparedWith ?? 'not compared' : 'not measured yet'}</span>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
