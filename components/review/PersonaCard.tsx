'use client';

import Link from 'next/link';
import { TRAIT_NAMES, TRAITS } from '@/lib/core/traits';
import { StatusBadge } from '../personas/StatusBadge';
import { fmt2 } from '../personas/format';
import type { QueueItem, SessionDecision } from './useReviewQueue';


/** The persona under review: narrative, flags (with the twin of a duplicate), demographics, critic scores, traits. */
export function PersonaCard({ persona, decision }: { persona: QueueItem; decision: SessionDecision | null }) {
  return (
    <article className="space-y-3 rounded-lg border border-slate-300 bg-white p-4 shadow-sm" data-testid="review-card" data-id={persona.id} data-status={persona.status}>
      <header className="flex flex-wrap items-center gap-2">
        <h2 className="text-lg font-semibold">
          <Link href={`/personas/${persona.id}`} className="hover:underline" target="_blank">
            #{persona.id} {persona.name ?? (persona.occupation !== 'unknown' ? persona.occupation : 'Unnamed persona')}
          </Link>
        </h2>
        <StatusBadge status={persona.status} testId="review-status" />
        <span className="text-xs text-slate-500">{persona.sourceId}</span>
        {decision && (
          <span className="rounded bg-slate-900 px-1.5 py-0.5 text-xs text-white" data-testid="review-decided">
            you {decision.decision}ed this
          </span>
        )}
      </header>
      {persona.flags.length > 0 && (
        <ul className="space-y-1 text-sm" data-testid="review-flags">
          {persona.flags.map((f, i) => (
            <li key={i} className="rounded border border-amber-300 bg-amber-50 px-2 py-1">
              <strong>{f.code}</strong>: {f.reason}
              {f.relatedPersonaId && (
                <>
                  {' '}
                  ·{' '}
                  <Link className="underline" href={`/personas/${f.relatedPersonaId}`} target="_blank">
                    twin #{f.relatedPersonaId}
                  </Link>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <p className="max-h-72 overflow-auto whitespace-pre-wrap leading-relaxed" data-testid="review-narrative">
        {persona.narrative}
      </p>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-1 border-t border-slate-100 pt-2 text-sm md:grid-cols-4">
        <Fact label="Age / band" value={`${persona.age ?? 'unknown'} / ${persona.ageBand}`} />
        <Fact label="Gender" value={persona.gender} />
        <Fact label="Country" value={persona.country} />
        <Fact label="Occupation" value={persona.occupation} />
      </dl>
      <div className="grid gap-3 border-t border-slate-100 pt-2 text-sm md:grid-cols-2">
        <div>
          <p className="text-xs text-slate-500">Critic scores (1-10, higher is better)</p>
          {persona.qualityScores ? (
            <ul>
              {Object.entries(persona.qualityScores).map(([k, v]) => (
                <li key={k}>
                  <span className="tabular-nums font-medium">{v.score}</span> {k}: <span className="text-slate-600">{v.reason}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-slate-600">not scored</p>
          )}
        </div>
        <div>
          <p className="text-xs text-slate-500">Traits (common 1-5 scale{persona.instrumentId ? `, ${persona.instrumentId}` : ''})</p>
          {persona.E === null ? (
            <p className="text-slate-600">not measured</p>
          ) : (
            <p className="tabular-nums">
              {TRAITS.map((t) => (
                <span key={t} className="mr-3" title={TRAIT_NAMES[t]}>
                  {t} {fmt2(persona[t])}
                </span>
              ))}
            </p>
          )}
        </div>
      </div>
    </article>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="truncate">{value}</dd>
    </div>
  );
}
