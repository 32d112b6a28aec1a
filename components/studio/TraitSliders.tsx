'use client';

import { memo } from 'react';
import { TRAIT_NAMES, traitLabel, TRAITS } from '@/lib/core/traits';
import type { TraitEdits } from '@/lib/targets/schema';

export const NEUTRAL_EDITS: TraitEdits = {
  E: { shift: 0, spread: 1 },
  A: { shift: 0, spread: 1 },
  C: { shift: 0, spread: 1 },
  N: { shift: 0, spread: 1 },
  O: { shift: 0, spread: 1 },
};

function clamp(v: number, lo: number, hi: number) {
  return Math.min(hi, Math.max(lo, v));
}

/** Per trait: a mean-shift slider (scale points) and a spread slider (SD multiplier), each with a number input. */
function TraitSlidersView({ edits, onChange }: { edits: TraitEdits; onChange: (next: TraitEdits) => void }) {
  const set = (t: keyof TraitEdits, field: 'shift' | 'spread', raw: number) => {
    if (!Number.isFinite(raw)) return;
    const value = field === 'shift' ? clamp(raw, -1, 1) : clamp(raw, 0.5, 1.5);
    onChange({ ...edits, [t]: { ...edits[t], [field]: Math.round(value * 100) / 100 } });
  };
  const changed = TRAITS.some((t) => edits[t].shift !== 0 || edits[t].spread !== 1);
  return (
    <fieldset className="space-y-3" aria-describedby="slider-help">
      <legend className="flex w-full items-center justify-between font-medium">
        <span>Trait edits</span>
        <button
          type="button"
          className="rounded border border-slate-300 px-2 py-0.5 text-xs disabled:opacity-40"
          onClick={() => onChange(NEUTRAL_EDITS)}
          disabled={!changed}
          data-testid="reset-all"
        >
          Reset all
        </button>
      </legend>
      <p id="slider-help" className="text-xs text-slate-500">
        Shift moves the trait mean (points on the 1-5 scale); spread multiplies its standard deviation. Both apply to
        every respondent of the reference, so the shape and trait correlations are kept (scores are clamped to 1-5).
      </p>
      {TRAITS.map((t) => (
        <div key={t} className="rounded border border-slate-200 bg-white p-2" data-testid={`trait-${t}`}>
          <div className="flex items-center justify-between text-sm">
            <span className="font-medium">
              {traitLabel(t)}
            </span>
            <button
              type="button"
              className="text-xs text-teal-700 underline disabled:text-slate-300 disabled:no-underline"
              onClick={() => onChange({ ...edits, [t]: { shift: 0, spread: 1 } })}
              disabled={edits[t].shift === 0 && edits[t].spread === 1}
              aria-label={`Reset ${TRAIT_NAMES[t]}`}
            >
              reset
            </button>
          </div>
          <div className="mt-1 grid grid-cols-[4.5rem_1fr_4.5rem] items-center gap-2 text-xs">
            <label htmlFor={`shift-${t}`}>Mean shift</label>
            <input
              id={`shift-${t}`}
              type="range"
              min={-1}
              max={1}
              step={0.05}
              value={edits[t].shift}
              onChange={(e) => set(t, 'shift', Number(e.target.value))}
              aria-valuetext={`${edits[t].shift >= 0 ? '+' : ''}${edits[t].shift.toFixed(2)} points`}
              data-testid={`slider-shift-${t}`}
            />
            <input
              type="number"
              aria-label={`${TRAIT_NAMES[t]} mean shift (points)`}
              className="w-full rounded border border-slate-300 px-1 py-0.5 text-right tabular-nums"
              min={-1}
              max={1}
              step={0.05}
              value={edits[t].shift}
              onChange={(e) => set(t, 'shift', Number(e.target.value))}
              data-testid={`input-shift-${t}`}
            />
            <label htmlFor={`spread-${t}`}>Spread ×</label>
            <input
              id={`spread-${t}`}
              type="range"
              min={0.5}
              max={1.5}
              step={0.05}
              value={edits[t].spread}
              onChange={(e) => set(t, 'spread', Number(e.target.value))}
              aria-valuetext={`${edits[t].spread.toFixed(2)} times the standard deviation`}
              data-testid={`slider-spread-${t}`}
            />
            <input
              type="number"
              aria-label={`${TRAIT_NAMES[t]} spread (SD multiplier)`}
              className="w-full rounded border border-slate-300 px-1 py-0.5 text-right tabular-nums"
              min={0.5}
              max={1.5}
              step={0.05}
              value={edits[t].spread}
              onChange={(e) => set(t, 'spread', Number(e.target.value))}
              data-testid={`input-spread-${t}`}
            />
          </div>
        </div>
      ))}
    </fieldset>
  );
}

/** Memoised: re-renders only when its props change, not on every live update of the studio. */
export const TraitSliders = memo(TraitSlidersView);
