'use client';
/** How many respondents the selection holds, per selected country, its warnings, and published norms for thin countries. */
import { SMALL_SAMPLE } from '@/lib/groups/builder';
import type { NormsPreset } from '@/lib/targets/schema';
import { HelpTip } from '@/components/HelpTip';
import { ALPHA2_TO_MCCRAE } from './builderHelpers';
import type { TargetBuilderState } from './useTargetBuilder';

export function RespondentPreview({ preset, onPreset, state }: { preset: NormsPreset; onPreset: (p: NormsPreset) => void; state: TargetBuilderState }) {
  const { ref, summary, ms, nameOf, warnings, thinWithNorms } = state;
  return (
    <div className="rounded border border-slate-200 bg-slate-50 p-2 text-sm" data-testid="respondent-preview" aria-live="polite">
      {summary ? (
        <>
          <div>
            <span className="text-lg font-semibold tabular-nums" data-testid="respondent-count" data-value={summary.n} data-compute-ms={ms.toFixed(2)}>
              {summary.n.toLocaleString('en-US')}
            </span>{' '}
            respondents
            <HelpTip term="respondents" />
            <span className="text-xs text-slate-500"> of {ref!.n.toLocaleString('en-US')}</span>
          </div>
          {summary.selectedCountries.length > 0 && (
            <ul className="mt-1 flex max-h-24 flex-wrap gap-x-3 overflow-y-auto text-xs text-slate-600" aria-label="Respondents per selected country" data-testid="selected-countries">
              {summary.selectedCountries.map((c) => (
                <li key={c.code} className={c.n < SMALL_SAMPLE ? 'text-amber-800' : undefined} data-code={c.code}>
                  {nameOf(c.code)}: <span className="tabular-nums">{c.n}</span>
                  {c.n < SMALL_SAMPLE ? ' ⚠' : ''}
                </li>
              ))}
            </ul>
          )}
          {warnings.map((w) => (
            <p key={w} className="mt-1 text-xs text-amber-800" data-testid="respondent-warning">
              ⚠ {w}
            </p>
          ))}
          {preset.kind === 'none' && thinWithNorms.length > 0 && (
            <div className="mt-1 flex flex-wrap gap-1 text-xs">
              <span className="text-slate-600">Use published norms instead:</span>
              {thinWithNorms.map((c) => (
                <button
                  key={c.code}
                  type="button"
                  className="rounded border border-teal-600 px-1.5 py-0.5 text-teal-800 hover:bg-teal-50"
                  onClick={() => onPreset({ kind: 'mccrae', country: ALPHA2_TO_MCCRAE[c.code]! })}
                  data-testid={`norms-fallback-${c.code}`}
                >
                  McCrae & Terracciano: {nameOf(c.code)}
                </button>
              ))}
            </div>
          )}
        </>
      ) : (
        <span className="text-slate-500">Counting respondents…</span>
      )}
    </div>
  );
}
