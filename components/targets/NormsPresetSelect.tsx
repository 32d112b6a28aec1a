'use client';
/** The norms preset: none, a McCrae & Terracciano country profile, or a Johnson IPIP-NEO-120 sex and age group. */
import { presetFromValue, presetToValue, type NormsPreset } from '@/lib/targets/schema';
import { ALPHA2_TO_MCCRAE, JOHNSON_GROUPS } from './builderHelpers';
import type { TargetBuilderState } from './useTargetBuilder';

export function NormsPresetSelect({ preset, onPreset, state }: { preset: NormsPreset; onPreset: (p: NormsPreset) => void; state: TargetBuilderState }) {
  const { wire, nameOf } = state;
  const presetValue = presetToValue(preset);
  return (
    <label className="block text-xs">
      <span className="text-slate-600">Norms preset (shifts the target’s trait means to published norms)</span>
      <select
        className="mt-0.5 w-full rounded border border-slate-300 px-1 py-1"
        value={presetValue}
        data-testid="preset-select"
        onChange={(e) => onPreset(presetFromValue(e.target.value))}
      >
        <option value="none">None: the respondents as they are</option>
        <optgroup label="McCrae & Terracciano (2005) country profiles">
          {Object.keys(wire?.norms ?? {})
            .filter((c) => ALPHA2_TO_MCCRAE[c])
            .sort((a, b) => nameOf(a).localeCompare(nameOf(b)))
            .map((c) => (
              <option key={c} value={`mccrae:${ALPHA2_TO_MCCRAE[c]}`}>
                {nameOf(c)}
              </option>
            ))}
        </optgroup>
        <optgroup label="Johnson IPIP-NEO-120 norms by sex and age">
          {JOHNSON_GROUPS.map((g) => (
            <option key={g} value={`johnson:${g}`}>
              {g}
            </option>
          ))}
        </optgroup>
      </select>
    </label>
  );
}
