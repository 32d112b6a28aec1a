/** What the studio's live charts share: trait labels, the colours of the sets, number formats, SVG paths. */
import { traitLabel, TRAITS } from '@/lib/core/traits';

/** "Extraversion (E)", ..., in trait order. */
export const TRAIT_LABELS = TRAITS.map(traitLabel);
export const COLORS = { pool: '#94a3b8', target: '#0f766e', weighted: '#c2410c', before: '#94a3b8', after: '#c2410c' };

export const fixed1 = (v: number) => v.toFixed(1);
export const fixed2 = (v: number) => v.toFixed(2);

/** An SVG path through (x, y) points. */
export function pathOf(xs: ArrayLike<number>, ys: ArrayLike<number>): string {
  let d = '';
  for (let i = 0; i < xs.length; i++) d += `${i ? 'L' : 'M'}${xs[i]!.toFixed(1)} ${ys[i]!.toFixed(1)}`;
  return d;
}
