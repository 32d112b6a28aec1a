/**
 * Chance-corrected agreement between raters on a nominal scale: Cohen's kappa (two raters) and Fleiss' kappa
 * (any number of raters per subject). Pure functions: no framework, database, Node or DOM imports.
 *
 * Both have the form kappa = (P_o - P_e) / (1 - P_e): observed agreement P_o minus the agreement expected by chance
 * P_e, as a share of the agreement possible beyond chance. 1 is perfect agreement, 0 is what chance gives, negative
 * values are worse than chance. When P_e = 1 (every rating falls in one category) kappa is undefined and `kappa` is
 * null; the result keeps its shape.
 */

/** Invalid input to a kappa function, with a sentence a user understands. */
export class KappaInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KappaInputError';
  }
}

export interface CohenKappaResult {
  /** Cohen's kappa, or null when the expected agreement is 1 (undefined). */
  kappa: number | null;
  /** P_o: share of subjects on which the two raters agree. */
  observedAgreement: number;
  /** P_e: agreement expected by chance from the two raters' marginal distributions. */
  expectedAgreement: number;
  /** Number of subjects rated by both raters. */
  n: number;
}

export interface FleissKappaResult {
  /** Fleiss' kappa, or null when the expected agreement is 1 (undefined). */
  kappa: number | null;
  /** P-bar: mean over subjects of the share of agreeing rater pairs. */
  observedAgreement: number;
  /** P-bar_e = sum_j p_j^2, p_j the share of all ratings in category j. */
  expectedAgreement: number;
  /** Number of subjects. */
  subjects: number;
  /** Total number of ratings. */
  ratings: number;
  /** p_j, the share of all ratings in each category (column order of the input). */
  categoryShares: number[];
}

function ratio(po: number, pe: number): number | null {
  if (Math.abs(1 - pe) < 1e-15) return null;
  return (po - pe) / (1 - pe);
}

/**
 * Cohen's kappa from a k x k contingency table of two raters.
 *
 * kappa = (P_o - P_e) / (1 - P_e), with P_o = sum_i t_ii / n and P_e = sum_i (r_i / n)(c_i / n), where r_i and c_i
 * are the row and column sums of the table t (rows: rater A, columns: rater B) and n its total.
 *
 * @param table k x k non-negative counts (k >= 1), rows rater A's category, columns rater B's; n = total > 0.
 * Complexity O(k^2). Cohen, J. (1960). A coefficient of agreement for nominal scales. Educ. Psychol. Meas. 20, 37-46.
 * @example cohenKappaFromTable([[20, 5], [10, 15]]).kappa // 0.4 (P_o = 0.7, P_e = 0.5)
 */
export function cohenKappaFromTable(table: readonly (readonly number[])[]): CohenKappaResult {
  const k = table.length;
  if (k === 0) throw new KappaInputError('Cohen’s kappa needs at least one category and one rated subject.');
  const rows = new Array<number>(k).fill(0);
  const cols = new Array<number>(k).fill(0);
  let n = 0;
  let diag = 0;
  for (let i = 0; i < k; i++) {
    const row = table[i]!;
    if (row.length !== k) throw new KappaInputError(`Cohen’s kappa needs a square table: row ${i + 1} has ${row.length} cells, expected ${k}.`);
    for (let j = 0; j < k; j++) {
      const v = row[j]!;
      if (!Number.isFinite(v) || v < 0) throw new KappaInputError(`Counts must be finite and non-negative (row ${i + 1}, column ${j + 1} is ${v}).`);
      rows[i]! += v;
      cols[j]! += v;
      n += v;
      if (i === j) diag += v;
    }
  }
  if (n === 0) throw new KappaInputError('Cohen’s kappa needs at least one subject rated by both raters.');
  const po = diag / n;
  let pe = 0;
  for (let i = 0; i < k; i++) pe += (rows[i]! / n) * (cols[i]! / n);
  return { kappa: ratio(po, pe), observedAgreement: po, expectedAgreement: pe, n };
}

/**
 * Cohen's kappa from the two raters' labels on the same subjects (labels[i] of A and of B rate subject i).
 *
 * Builds the contingency table over the categories seen in either list, then applies cohenKappaFromTable.
 * @param a rater A's labels; @param b rater B's labels, same length >= 1. Complexity O(n + k^2).
 * @example cohenKappa(['yes', 'no', 'yes'], ['yes', 'no', 'no']).kappa // 0.4
 */
export function cohenKappa(a: readonly (string | number)[], b: readonly (string | number)[]): CohenKappaResult {
  if (a.length !== b.length) throw new KappaInputError(`Both raters must rate the same subjects: got ${a.length} and ${b.length} labels.`);
  if (a.length === 0) throw new KappaInputError('Cohen’s kappa needs at least one subject rated by both raters.');
  const index = new Map<string | number, number>();
  for (const v of [...a, ...b]) if (!index.has(v)) index.set(v, index.size);
  const k = index.size;
  const table = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < a.length; i++) table[index.get(a[i]!)!]![index.get(b[i]!)!]! += 1;
  return cohenKappaFromTable(table);
}

/**
 * Fleiss' kappa from a subjects x categories table of counts (n_ij = raters who put subject i in category j).
 *
 * p_j = sum_i n_ij / sum_i n_i;  P_i = (sum_j n_ij^2 - n_i) / (n_i (n_i - 1));  P-bar = mean_i P_i;
 * P-bar_e = sum_j p_j^2;  kappa = (P-bar - P-bar_e) / (1 - P-bar_e).
 * With the same number of raters n_i = n for every subject this is exactly Fleiss (1971). When the number of raters
 * varies, P_i is each subject's share of agreeing rater pairs and p_j pools all ratings (the usual generalisation).
 *
 * @param counts N x k non-negative integer counts, N >= 1, k >= 1; every subject needs n_i >= 2 ratings.
 * Complexity O(N k). Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychol. Bull. 76, 378-382.
 * @example fleissKappa(WIKIPEDIA_10x5_TABLE).kappa // 0.20993 (10 subjects, 14 raters, 5 categories)
 */
export function fleissKappa(counts: readonly (readonly number[])[]): FleissKappaResult {
  const N = counts.length;
  if (N === 0) throw new KappaInputError('Fleiss’ kappa needs at least one subject.');
  const k = counts[0]!.length;
  if (k === 0) throw new KappaInputError('Fleiss’ kappa needs at least one category.');
  const colSums = new Array<number>(k).fill(0);
  let total = 0;
  let sumP = 0;
  for (let i = 0; i < N; i++) {
    const row = counts[i]!;
    if (row.length !== k) throw new KappaInputError(`Every subject needs ${k} category counts; subject ${i + 1} has ${row.length}.`);
    let ni = 0;
    let sq = 0;
    for (let j = 0; j < k; j++) {
      const v = row[j]!;
      if (!Number.isInteger(v) || v < 0) throw new KappaInputError(`Counts must be non-negative integers (subject ${i + 1}, category ${j + 1} is ${v}).`);
      ni += v;
      sq += v * v;
      colSums[j]! += v;
    }
    if (ni < 2) throw new KappaInputError(`Every subject needs at least two ratings; subject ${i + 1} has ${ni}.`);
    sumP += (sq - ni) / (ni * (ni - 1));
    total += ni;
  }
  const shares = colSums.map((c) => c / total);
  const po = sumP / N;
  const pe = shares.reduce((a, p) => a + p * p, 0);
  return { kappa: ratio(po, pe), observedAgreement: po, expectedAgreement: pe, subjects: N, ratings: total, categoryShares: shares };
}
