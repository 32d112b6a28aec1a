'use client';
/**
 * The top of the studio: address parameters it could not use (dismissable), jump links to its sections, and the
 * visual target builder behind a toggle.
 */
import { useState } from 'react';
import type { CustomRegion } from '@/lib/groups/schema';
import type { NormsPreset, ReferenceFilters } from '@/lib/targets/schema';
import { TargetBuilder } from '@/components/targets/TargetBuilder';
import type { UrlProblem } from './urlState';

export function StudioHeader({
  urlProblems,
  onDismissProblems,
  filters,
  preset,
  onFilters,
  onPreset,
  customRegions,
}: {
  urlProblems: UrlProblem[];
  onDismissProblems: () => void;
  filters: ReferenceFilters;
  preset: NormsPreset;
  onFilters: (f: ReferenceFilters) => void;
  onPreset: (p: NormsPreset) => void;
  customRegions: CustomRegion[];
}) {
  const [builderOpen, setBuilderOpen] = useState(false);
  return (
    <>
      {urlProblems.length ? (
        <div className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-900 lg:col-span-2" role="alert" data-testid="url-problems">
          <ul>
            {urlProblems.map((p) => (
              <li key={`${p.param}=${p.value}`} data-testid="url-problem" data-param={p.param}>
                {p.message}
              </li>
            ))}
          </ul>
          <button type="button" className="mt-1 text-xs underline" onClick={onDismissProblems}>
            Dismiss
          </button>
        </div>
      ) : null}
      <nav className="flex flex-wrap items-center gap-3 text-sm lg:col-span-2" aria-label="Studio sections" data-testid="studio-jump">
        <span className="text-slate-500">Jump to:</span>
        <a href="#studio-target" className="text-teal-800 underline">
          target and trait edits
        </a>
        <a href="#studio-live" className="text-teal-800 underline">
          live figures
        </a>
        <a href="#studio-run" className="text-teal-800 underline" data-testid="jump-run">
          full run
        </a>
      </nav>
      <section className="lg:col-span-2" aria-label="Visual target builder">
        <button
          type="button"
          className="rounded border border-slate-300 bg-white px-2 py-1 text-sm text-teal-800 hover:bg-slate-50"
          aria-expanded={builderOpen}
          onClick={() => setBuilderOpen((o) => !o)}
          data-testid="studio-builder-toggle"
        >
          {builderOpen ? 'Hide the visual target builder' : 'Build the target visually: world map, age-gender pyramid, traits vs the whole sample'}
        </button>
        {builderOpen ? (
          <div className="mt-2 rounded border border-slate-200 bg-white p-3" data-testid="studio-builder">
            <TargetBuilder filters={filters} preset={preset} onFilters={onFilters} onPreset={onPreset} customRegions={customRegions} />
          </div>
        ) : null}
      </section>
    </>
  );
}
