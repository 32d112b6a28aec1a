/**
 * Slider edits applied to a reference sample. Pure: used by the server and by the studio's Web Worker.
 *
 * For trait k with sample mean m_k, a transform (shift s_k, scale c_k) maps every respondent's score
 *   x'_ik = clamp(m_k + s_k + c_k * (x_ik - m_k), 1, 5).
 * It moves the mean by s_k and multiplies the SD by c_k while keeping the sample's shape and the trait
 * correlations (an affine map per trait leaves Pearson correlations unchanged, up to the clamp at the scale ends).
 */
import { TRAITS, type Trait } from '../core/traits';
import { weightedMoments } from '../stats/weightedMoments';

/** Per-trait slider edits: the shape of TraitEdits (lib/targets/schema.ts), declared here so this module stays pure. */
export type TraitEditValues = Record<Trait, { shift: number; spread: number }>;

/** A norms preset as describePreset reads it: the shape of NormsPreset (lib/targets/schema.ts). */
export type NormsPresetValue = { kind: 'none' } | { kind: 'johnson'; sex: string; ageGroup: string } | { kind: 'mccrae'; country: string };

export interface TraitTransform {
  /** Added to the mean (scale points). */
  shift: number;
  /** Multiplies the spread around the mean. */
  scale: number;
}

export interface TraitMoments {
  mean: Float64Array;
  sd: Float64Array;
}

/** Per-trait sample mean and SD (n - 1; 0 for a single respondent) of a row-major n x 5 sample. */
export function traitMoments(data: Float64Array, n: number): TraitMoments {
  if (n === 0) return { mean: new Float64Array(5).fill(NaN), sd: new Float64Array(5) };
  const m = weightedMoments({ data: data.subarray(0, n * 5), rows: n, cols: 5 }, undefined, { unbiased: true });
  return { mean: m.mean, sd: m.sd };
}

/** Applies per-trait transforms around the sample means; returns a new array. */
export function applyTransforms(data: Float64Array, n: number, transforms: readonly TraitTransform[], moments = traitMoments(data, n)): Float64Array {
  const out = new Float64Array(n * 5);
  for (let k = 0; k < 5; k++) {
    const t = transforms[k] ?? { shift: 0, scale: 1 };
    const m = moments.mean[k]!;
    for (let i = 0; i < n; i++) {
      const v = m + t.shift + t.scale * (data[i * 5 + k]! - m);
      out[i * 5 + k] = v < 1 ? 1 : v > 5 ? 5 : v;
    }
  }
  return out;
}

/** Target means and SDs (1-5 scale) that a norms preset asks for, per trait; null where it says nothing. */
export type PresetTargets = Record<Trait, { mean: number; sd: number } | null>;

/**
 * Combines a preset (target mean and SD per trait) with the slider edits into one transform per trait.
 * Preset: shift = target mean - sample mean, scale = target SD / sample SD. Edits then add their shift and
 * multiply their spread.
 */
export function combineTransforms(moments: TraitMoments, preset: PresetTargets | null, edits: TraitEditValues): TraitTransform[] {
  return TRAITS.map((t, k) => {
    const p = preset?.[t] ?? null;
    const baseShift = p ? p.mean - moments.mean[k]! : 0;
    const baseScale = p && moments.sd[k]! > 0 ? p.sd / moments.sd[k]! : 1;
    return { shift: baseShift + edits[t].shift, scale: baseScale * edits[t].spread };
  });
}

/** Describes a preset for the UI. */
export function describePreset(preset: NormsPresetValue): string {
  if (preset.kind === 'johnson') return `Johnson IPIP-NEO-120 norms, ${preset.sex.toLowerCase()}, age ${preset.ageGroup}`;
  if (preset.kind === 'mccrae') return `McCrae & Terracciano (2005) country profile: ${preset.country}`;
  return 'no norms preset';
}
