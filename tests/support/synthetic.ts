/** Seeded synthetic trait data for the numeric tests (generated here, shown in full), and their error helper. */
import { expect } from 'vitest';
import { AlignInputError, createRng, type Matrix } from '../../lib/numeric';

/** n x 5 trait scores on 1-5: a shared factor plus noise, shifted and spread, clipped to the scale (seeded). */
export function sharedFactorTraits(n: number, seed: number, shift = 0, spread = 0.6): Matrix {
  const r = createRng(seed);
  const data = new Float64Array(n * 5);
  for (let i = 0; i < n; i++) {
    const z = r.normal();
    for (let k = 0; k < 5; k++) {
      const v = 3 + shift + spread * (0.85 * r.normal() + 0.5 * z * (k % 2 === 0 ? 1 : -1));
      data[i * 5 + k] = Math.min(5, Math.max(1, v));
    }
  }
  return { data, rows: n, cols: 5 };
}

/** The AlignInputError code a call throws ('no error' when it returns); any other error fails the test. */
export function alignErrorCode(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AlignInputError);
    return (e as AlignInputError).code;
  }
  return 'no error';
}
