import { describe, expect, it } from 'vitest';
import { normsPresetSchema, presetFromValue, presetToValue, type NormsPreset } from '@/lib/targets/schema';

describe('norms preset as a select value', () => {
  it('round-trips every kind of preset, and reads anything else as none', () => {
    const presets: NormsPreset[] = [
      { kind: 'none' },
      { kind: 'johnson', sex: 'Female', ageGroup: '21-40' },
      { kind: 'johnson', sex: 'Male', ageGroup: '>60' },
      { kind: 'mccrae', country: 'DEU' },
    ];
    for (const p of presets) {
      expect(presetFromValue(presetToValue(p))).toEqual(p);
      expect(normsPresetSchema.parse(presetFromValue(presetToValue(p)))).toEqual(p);
    }
    expect(presetToValue({ kind: 'johnson', sex: 'Female', ageGroup: '<21' })).toBe('johnson:Female <21');
    expect(presetFromValue('garbage')).toEqual({ kind: 'none' });
  });
});
