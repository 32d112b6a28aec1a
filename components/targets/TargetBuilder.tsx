'use client';

/**
 * The visual target builder: which reference respondents a group stands for, chosen on a world map (click, drag,
 * keyboard), an age-gender pyramid (brush, range inputs, gender toggles), one-click regions and a searchable
 * country list; the respondent count, per-country counts and small-sample warnings update on every change from one
 * compact copy of the reference fetched once (lib/groups/builder.ts), and the selection's traits are compared with
 * the whole sample and with published country norms.
 */
import type { CustomRegion } from '@/lib/groups/schema';
import { AGE_BANDS, AGE_MAX, AGE_MIN, bandsToAges, toggleIn, type Gender } from '@/lib/groups/builder';
import type { NormsPreset, ReferenceFilters } from '@/lib/targets/schema';
import { AgePyramid } from './AgePyramid';
import { bandRange, GENDER_OPTIONS, pyramidBands } from './builderHelpers';
import { CountryPicker } from './CountryPicker';
import { NormsPresetSelect } from './NormsPresetSelect';
import { QuickSelections } from './QuickSelections';
import { RespondentPreview } from './RespondentPreview';
import { TraitShift } from './TraitShift';
import { useTargetBuilder } from './useTargetBuilder';

export { bandRange, pyramidBands } from './builderHelpers';
export { useBuilderReference } from './useBuilderReference';

export function TargetBuilder({
  filters,
  preset,
  onFilters,
  onPreset,
  customRegions,
}: {
  filters: ReferenceFilters;
  preset: NormsPreset;
  onFilters: (f: ReferenceFilters) => void;
  onPreset: (p: NormsPreset) => void;
  customRegions: CustomRegion[];
}) {
  const state = useTargetBuilder({ filters, onFilters, customRegions });
  const { error, summary, whole, normsRows } = state;

  if (error) return <p className="text-sm text-red-700" role="alert">Could not load the reference respondents: {error}</p>;

  return (
    <fieldset className="space-y-3" data-testid="target-builder">
      <legend className="text-sm font-medium">Human reference: who this group stands for</legend>
      <QuickSelections filters={filters} state={state} />

      <div className="grid gap-3 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <CountryPicker filters={filters} state={state} />

        <div className="min-w-0 space-y-2">
          <RespondentPreview preset={preset} onPreset={onPreset} state={state} />
          {summary && (
            <AgePyramid
              bands={pyramidBands(summary)}
              title={`Age and gender of the respondents ${filters.countries.length ? 'in the chosen countries' : 'in all countries'}`}
              testId="builder-pyramid"
              brush={{
                range: bandRange(filters),
                onRange: (a, b) => onFilters({ ...filters, ...bandsToAges(a, b) }),
              }}
              ages={{ min: AGE_MIN, max: AGE_MAX, ageMin: filters.ageMin, ageMax: filters.ageMax, onAges: (ageMin, ageMax) => onFilters({ ...filters, ageMin, ageMax }) }}
              genders={{
                options: GENDER_OPTIONS,
                selected: filters.genders,
                onToggle: (g) => onFilters({ ...filters, genders: toggleIn(filters.genders, g as Gender) }),
              }}
              note={summary.unknownAge ? `${summary.unknownAge} respondents of these countries give no age (left out once an age bound is set).` : undefined}
            />
          )}
          <NormsPresetSelect preset={preset} onPreset={onPreset} state={state} />
        </div>
      </div>
      {summary && whole && <TraitShift selection={summary} all={whole} norms={normsRows} />}
      <p className="sr-only">Age bands: {AGE_BANDS.map((b) => b.label).join(', ')}.</p>
    </fieldset>
  );
}
