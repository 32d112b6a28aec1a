import Link from 'next/link';
import { StatusBadge } from './StatusBadge';
import { Empty, Section } from './PersonaSection';
import type { PersonaDetail } from '@/lib/personas/service';

/** A persona's privacy and duplicate flags, the personas it duplicates and those that duplicate it. */
export function PersonaFlags({ detail: d }: { detail: PersonaDetail }) {
  const p = d.persona;
  const privacyFlags = p.flags.filter((f) => f.code !== 'duplicate');
  const duplicateFlags = p.flags.filter((f) => f.code === 'duplicate');
  return (
    <Section title="Privacy and duplicate flags" id="flags" note="Flags raised by quality checks; they are kept after review.">
      {p.flags.length === 0 ? (
        <Empty testId="flags-empty">No flags.</Empty>
      ) : (
        <ul className="space-y-2 text-sm" data-testid="flag-list">
          {privacyFlags.map((f, i) => (
            <li key={`p${i}`} className="rounded border border-amber-300 bg-amber-50 p-2">
              <strong>{f.code}</strong>: {f.reason}
            </li>
          ))}
          {duplicateFlags.map((f, i) => (
            <li key={`d${i}`} className="rounded border border-amber-300 bg-amber-50 p-2" data-testid="duplicate-flag">
              <strong>duplicate</strong>: {f.reason}
              {f.relatedPersonaId && (
                <>
                  {' '}
                  · twin{' '}
                  <Link href={`/personas/${f.relatedPersonaId}`} className="text-teal-800 underline">
                    #{f.relatedPersonaId}
                  </Link>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {d.twins.length > 0 && (
        <div className="text-sm">
          <p className="font-medium">Duplicate of</p>
          {d.twins.map((t) => (
            <p key={t.id} className="text-slate-700">
              <Link className="text-teal-800 underline" href={`/personas/${t.id}`}>
                #{t.id}
              </Link>{' '}
              <StatusBadge status={t.status} /> {t.excerpt}
            </p>
          ))}
        </div>
      )}
      {d.duplicates.length > 0 && (
        <p className="text-sm" data-testid="duplicates-of-this">
          {d.duplicates.length} persona{d.duplicates.length === 1 ? '' : 's'} duplicate this one:{' '}
          {d.duplicates.map((x, i) => (
            <span key={x}>
              {i > 0 && ', '}
              <Link className="text-teal-800 underline" href={`/personas/${x}`}>
                #{x}
              </Link>
            </span>
          ))}
        </p>
      )}
    </Section>
  );
}
