/** The calibration dual's fused evaluation pass for five traits with every moment (optional bins). */

/**
 * The fused pass of DualProblem.evaluate for the common case (five traits, every moment, optional bins), written out
 * with scalar locals so the 20 features, the score and the 20 running sums stay in registers (several times faster
 * than the general loop). Same arithmetic: s_i = coef . raw_i, online log-sum-exp of log b_i + s_i, E_w[raw] into
 * `means`. Bins: each row adds the coefficient of the bin it falls in per column (`binFeature`, n x 5 raw feature
 * indices, -1 = no bins) and its weight to that bin's running sum.
 */
export function fivePass(
  data: Float64Array,
  n: number,
  base: Float64Array,
  centre: Float64Array,
  coef: Float64Array,
  binFeature: Int32Array | null,
  scores: Float64Array,
  means: Float64Array,
): { smax: number; z: number } {
  const p = means.length;
  const binSums = new Float64Array(p);
  const c0 = centre[0]!, c1 = centre[1]!, c2 = centre[2]!, c3 = centre[3]!, c4 = centre[4]!;
  const a0 = coef[0]!, a1 = coef[1]!, a2 = coef[2]!, a3 = coef[3]!, a4 = coef[4]!;
  const a5 = coef[5]!, a6 = coef[6]!, a7 = coef[7]!, a8 = coef[8]!, a9 = coef[9]!;
  const a10 = coef[10]!, a11 = coef[11]!, a12 = coef[12]!, a13 = coef[13]!, a14 = coef[14]!;
  const a15 = coef[15]!, a16 = coef[16]!, a17 = coef[17]!, a18 = coef[18]!, a19 = coef[19]!;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0, s8 = 0, s9 = 0;
  let s10 = 0, s11 = 0, s12 = 0, s13 = 0, s14 = 0, s15 = 0, s16 = 0, s17 = 0, s18 = 0, s19 = 0;
  let smax = -Infinity;
  let z = 0;
  for (let i = 0; i < n; i++) {
    const o = i * 5;
    const u0 = data[o]! - c0, u1 = data[o + 1]! - c1, u2 = data[o + 2]! - c2, u3 = data[o + 3]! - c3, u4 = data[o + 4]! - c4;
    const q0 = u0 * u0, q1 = u1 * u1, q2 = u2 * u2, q3 = u3 * u3, q4 = u4 * u4;
    const p01 = u0 * u1, p02 = u0 * u2, p03 = u0 * u3, p04 = u0 * u4, p12 = u1 * u2;
    const p13 = u1 * u3, p14 = u1 * u4, p23 = u2 * u3, p24 = u2 * u4, p34 = u3 * u4;
    const s =
      a0 * u0 + a1 * u1 + a2 * u2 + a3 * u3 + a4 * u4 +
      a5 * q0 + a6 * q1 + a7 * q2 + a8 * q3 + a9 * q4 +
      a10 * p01 + a11 * p02 + a12 * p03 + a13 * p04 + a14 * p12 +
      a15 * p13 + a16 * p14 + a17 * p23 + a18 * p24 + a19 * p34 +
      (binFeature === null ? 0 : binScore(coef, binFeature, o));
    scores[i] = s;
    const b = base[i]!;
    if (b === 0) continue;
    if (s > smax) {
      const r = Math.exp(smax - s);
      z *= r;
      s0 *= r; s1 *= r; s2 *= r; s3 *= r; s4 *= r; s5 *= r; s6 *= r; s7 *= r; s8 *= r; s9 *= r;
      s10 *= r; s11 *= r; s12 *= r; s13 *= r; s14 *= r; s15 *= r; s16 *= r; s17 *= r; s18 *= r; s19 *= r;
      if (binFeature !== null) for (let j = 20; j < p; j++) binSums[j] = binSums[j]! * r;
      smax = s;
    }
    const e = b * Math.exp(s - smax);
    z += e;
    s0 += e * u0; s1 += e * u1; s2 += e * u2; s3 += e * u3; s4 += e * u4;
    s5 += e * q0; s6 += e * q1; s7 += e * q2; s8 += e * q3; s9 += e * q4;
    s10 += e * p01; s11 += e * p02; s12 += e * p03; s13 += e * p04; s14 += e * p12;
    s15 += e * p13; s16 += e * p14; s17 += e * p23; s18 += e * p24; s19 += e * p34;
    if (binFeature !== null) {
      for (let k = 0; k < 5; k++) {
        const j = binFeature[o + k]!;
        if (j >= 0) binSums[j] = binSums[j]! + e;
      }
    }
  }
  const sums = [s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15, s16, s17, s18, s19];
  for (let j = 0; j < 20; j++) means[j] = sums[j]! / z;
  for (let j = 20; j < p; j++) means[j] = binSums[j]! / z;
  return { smax, z };
}

/** Sum of the coefficients of the bins row o / 5 falls in (one per column with bins). */
function binScore(coef: Float64Array, binFeature: Int32Array, o: number): number {
  let s = 0;
  for (let k = 0; k < 5; k++) {
    const j = binFeature[o + k]!;
    if (j >= 0) s += coef[j]!;
  }
  return s;
}
