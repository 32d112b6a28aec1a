import Link from 'next/link';
import { StatusBadge } from './StatusBadge';
import { Empty, Section } from './PersonaSection';
import type { PersonaDetail } from '@/lib/personas/service';

function Diff({ parts }: { parts: NonNullable<PersonaDetail['revisions']['chain'][number]['diff']> }) {
  return (
    <p className="whitespace-pre-wrap rounded border border-slate-200 bg-white p-3 text-sm leading-relaxed" data-testid="revision-diff">
      {parts.map((p, i) =>
        p.kind === 'same' ? (
          <span key={i}>{p.text}</span>
        ) : p.kind === 'added' ? (
          <ins key={i} className="bg-emerald-100 text-emerald-900 no-underline" title="added in this revision">
            {p.text}
          </ins>
        ) : (
          <del key={i} className="bg-rose-100 text-rose-900" title="in the parent, removed in this revision">
            {p.text}
          </del>
        ),
      )}
    </p>
  );
}

/** A persona's revision chain and the personas derived from it, each as a word diff against its parent. */
export function PersonaRevisions({ detail: d }: { detail: PersonaDetail }) {
  const p = d.persona;
  return (
    <Section title="Revisions" id="revisions" note="A revision is a persona whose parent is another persona (e.g. rewritten after a privacy flag). Each is shown as a word diff against its parent: green added, red removed.">
      {d.revisions.chain.length <= 1 && d.revisions.derived.length === 0 ? (
        <Empty testId="revisions-empty">No revisions: this persona has no parent and nothing was derived from it.</Empty>
      ) : (
        <ol className="space-y-3" data-testid="revision-list">
          {[...d.revisions.chain, ...d.revisions.derived].map((r) => (
            <li key={r.id} className="space-y-1" data-testid="revision" data-id={r.id}>
              <p className="text-sm">
                <Link className="text-teal-800 underline" href={`/personas/${r.id}`}>
                  #{r.id}
                </Link>{' '}
                {r.id === p.id && <strong>(this persona) </strong>}
                <StatusBadge status={r.status} /> {r.parentId ? `revision of #${r.parentId}: +${r.added} / −${r.removed} words` : 'original'}
              </p>
              {r.diff && <Diff parts={r.diff} />}
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}
