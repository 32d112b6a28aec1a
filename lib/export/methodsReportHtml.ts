/**
 * The methods report as one self-contained HTML page: inline CSS with print rules (the browser's "Print to PDF" gives
 * the appendix), charts as static SVG with titles, axis labels, units and legends, no script. Pure: text in, text out.
 */
import { METRIC_NAMES, METRICS, type Metric } from '../core/metrics';
import { TRAIT_NAMES } from '../core/traits';
import type { MethodsReport } from './methodsReport';

const METRIC_DEFINITIONS: Record<Metric, string> = {
  amw: 'average over the five traits of the 1-D Wasserstein distance between the set and the target (trait points)',
  fd: 'Fréchet distance between Gaussians with the two samples\' means and covariances (squared trait points)',
  sw: 'sliced Wasserstein distance: mean 1-D Wasserstein distance over random projections (trait points)',
  mmd: 'maximum mean discrepancy with a Gaussian kernel (median-heuristic bandwidth; unitless)',
  maecorr: 'mean absolute difference between the two samples\' trait correlation matrices (off-diagonal; unitless)',
};
const SERIES = { randomSelect: '#94a3b8', weighted: '#0f766e', resample: '#b45309' } as const;

/** HTML-escapes text (also for attribute values). */
export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const fmt = (x: number | null | undefined, digits = 4) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));
const int = (x: number) => x.toLocaleString('en-US');

/** Grouped horizontal bars: each metric's ratio to Raw for RandomSelect, the weighted pool and the set. */
function ratioChart(r: MethodsReport): string {
  const raw = r.metrics.raw ?? {};
  const series = (['randomSelect', 'weighted', 'resample'] as const).filter((s) => r.metrics[s]);
  const label = { randomSelect: 'RandomSelect (k random)', weighted: 'Weighted pool', resample: 'The set (k)' };
  const ratios = METRICS.map((m) => series.map((s) => ((raw[m] ?? 0) > 0 ? (r.metrics[s]![m] ?? NaN) / raw[m]! : NaN)));
  const max = Math.max(1.2, ...ratios.flat().filter(Number.isFinite));
  const W = 640, left = 90, right = 20, top = 40, band = 20 * series.length + 12, H = top + band * METRICS.length + 60;
  const x = (v: number) => left + (v / max) * (W - left - right);
  const ticks = Array.from({ length: 6 }, (_, i) => (max * i) / 5);
  const parts = [`<svg viewBox="0 0 ${W} ${H}" width="${W}" role="img" aria-labelledby="ratio-title"><title id="ratio-title">Divergence from the target, as a ratio to the unweighted pool</title>`];
  parts.push(`<text x="${W / 2}" y="18" text-anchor="middle" class="ct">Divergence from the target (ratio to Raw; lower is closer)</text>`);
  for (const t of ticks) parts.push(`<line x1="${x(t)}" x2="${x(t)}" y1="${top - 6}" y2="${top + band * METRICS.length}" class="grid"/><text x="${x(t)}" y="${top + band * METRICS.length + 14}" text-anchor="middle" class="tk">${t.toFixed(2)}</text>`);
  parts.push(`<line x1="${x(1)}" x2="${x(1)}" y1="${top - 6}" y2="${top + band * METRICS.length}" class="ref"/>`);
  METRICS.forEach((m, i) => {
    const y0 = top + i * band;
    parts.push(`<text x="${left - 8}" y="${y0 + band / 2}" text-anchor="end" class="tk">${METRIC_NAMES[m]}</text>`);
    series.forEach((s, j) => {
      const v = ratios[i]![j]!;
      if (!Number.isFinite(v)) return;
      parts.push(`<rect x="${left}" y="${y0 + 4 + j * 20}" width="${Math.max(0, x(v) - left)}" height="16" fill="${SERIES[s]}"><title>${esc(label[s])} ${METRIC_NAMES[m]}: ${v.toFixed(3)} x Raw</title></rect>`);
    });
  });
  parts.push(`<text x="${(left + W - right) / 2}" y="${top + band * METRICS.length + 32}" text-anchor="middle" class="al">Ratio to the unweighted pool's divergence (Raw = 1, dashed line; unitless)</text>`);
  series.forEach((s, j) => {
    const lx = left + j * 180;
    parts.push(`<rect x="${lx}" y="${H - 16}" width="12" height="12" fill="${SERIES[s]}"/><text x="${lx + 16}" y="${H - 6}" class="tk">${esc(label[s])}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Standardised mean differences per trait before and after weighting (a love plot). */
function lovePlot(r: MethodsReport): string {
  const W = 640, left = 130, right = 20, top = 40, row = 28, H = top + row * r.balance.length + 64;
  const vals = r.balance.flatMap((b) => [b.rawSmd, b.weightedSmd, b.setSmd]).filter(Number.isFinite).map(Math.abs);
  const lim = Math.max(0.25, ...vals) * 1.1;
  const x = (v: number) => left + ((v + lim) / (2 * lim)) * (W - left - right);
  const parts = [`<svg viewBox="0 0 ${W} ${H}" width="${W}" role="img" aria-labelledby="love-title"><title id="love-title">Standardised mean difference of each trait from the target</title>`];
  parts.push(`<text x="${W / 2}" y="18" text-anchor="middle" class="ct">Trait balance: standardised mean difference from the target</text>`);
  const ticks = [-lim, -lim / 2, 0, lim / 2, lim];
  for (const t of ticks) parts.push(`<line x1="${x(t)}" x2="${x(t)}" y1="${top - 6}" y2="${top + row * r.balance.length}" class="${t === 0 ? 'ref' : 'grid'}"/><text x="${x(t)}" y="${top + row * r.balance.length + 14}" text-anchor="middle" class="tk">${t.toFixed(2)}</text>`);
  for (const g of [-0.1, 0.1]) parts.push(`<line x1="${x(g)}" x2="${x(g)}" y1="${top - 6}" y2="${top + row * r.balance.length}" class="guide"/>`);
  r.balance.forEach((b, i) => {
    const y = top + i * row + row / 2;
    parts.push(`<text x="${left - 8}" y="${y + 4}" text-anchor="end" class="tk">${TRAIT_NAMES[b.trait]}</text>`);
    parts.push(`<circle cx="${x(b.rawSmd)}" cy="${y}" r="5" fill="none" stroke="#64748b" stroke-width="2"><title>Raw: ${b.rawSmd.toFixed(3)}</title></circle>`);
    parts.push(`<circle cx="${x(b.weightedSmd)}" cy="${y}" r="4" fill="${SERIES.weighted}"><title>Weighted pool: ${b.weightedSmd.toFixed(3)}</title></circle>`);
    if (Number.isFinite(b.setSmd)) parts.push(`<rect x="${x(b.setSmd) - 4}" y="${y - 4}" width="8" height="8" fill="${SERIES.resample}"><title>Set: ${b.setSmd.toFixed(3)}</title></rect>`);
  });
  parts.push(`<text x="${(left + W - right) / 2}" y="${top + row * r.balance.length + 32}" text-anchor="middle" class="al">(mean - target mean) / target SD (target SDs; dotted lines at ±0.1)</text>`);
  const legend = [
    ['<circle cx="6" cy="-4" r="5" fill="none" stroke="#64748b" stroke-width="2"/>', 'Raw (unweighted pool)'],
    [`<circle cx="6" cy="-4" r="4" fill="${SERIES.weighted}"/>`, 'Weighted pool'],
    [`<rect x="2" y="-8" width="8" height="8" fill="${SERIES.resample}"/>`, 'The set (k)'],
  ];
  legend.forEach(([mark, text], j) => parts.push(`<g transform="translate(${left + j * 170},${H - 6})">${mark}<text x="16" y="0" class="tk">${text}</text></g>`));
  parts.push('</svg>');
  return parts.join('');
}

/** The diversity-fidelity frontier: mean ratio to Raw against the set size (log scale), distinct sets and draws. */
function frontierChart(f: Extract<NonNullable<MethodsReport['frontier']>, { sizes: number[] }>): string {
  const W = 640, left = 60, right = 20, top = 40, bottom = 70, H = 320;
  const ys = [...f.ratioToRaw, ...f.systematicRatioToRaw].filter(Number.isFinite);
  const yMax = Math.max(1.05, ...ys), yMin = 0;
  const lx0 = Math.log10(Math.min(...f.sizes)), lx1 = Math.log10(Math.max(...f.sizes));
  const x = (k: number) => left + ((Math.log10(k) - lx0) / Math.max(1e-9, lx1 - lx0)) * (W - left - right);
  const y = (v: number) => top + (1 - (v - yMin) / (yMax - yMin)) * (H - top - bottom);
  const parts = [`<svg viewBox="0 0 ${W} ${H}" width="${W}" role="img" aria-labelledby="frontier-title"><title id="frontier-title">Diversity-fidelity frontier</title>`];
  parts.push(`<text x="${W / 2}" y="18" text-anchor="middle" class="ct">Diversity-fidelity frontier (recommended k = ${int(f.recommendedSize)})</text>`);
  for (let i = 0; i <= 5; i++) {
    const v = yMin + ((yMax - yMin) * i) / 5;
    parts.push(`<line x1="${left}" x2="${W - right}" y1="${y(v)}" y2="${y(v)}" class="grid"/><text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" class="tk">${v.toFixed(2)}</text>`);
  }
  for (const k of f.sizes) parts.push(`<text x="${x(k)}" y="${H - bottom + 16}" text-anchor="middle" class="tk">${int(k)}</text>`);
  parts.push(`<line x1="${left}" x2="${W - right}" y1="${y(1)}" y2="${y(1)}" class="ref"/>`);
  const line = (vals: number[], color: string, dash: string) => {
    const pts = f.sizes.map((k, i) => (Number.isFinite(vals[i]) ? `${x(k)},${y(vals[i]!)}` : null)).filter(Boolean);
    return `<polyline points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="2" ${dash}/>` + f.sizes.map((k, i) => (Number.isFinite(vals[i]) ? `<circle cx="${x(k)}" cy="${y(vals[i]!)}" r="3" fill="${color}"><title>k = ${int(k)}: ${vals[i]!.toFixed(3)} x Raw</title></circle>` : '')).join('');
  };
  parts.push(line(f.ratioToRaw, SERIES.weighted, ''));
  parts.push(line(f.systematicRatioToRaw, SERIES.resample, 'stroke-dasharray="5 3"'));
  parts.push(`<line x1="${x(f.recommendedSize)}" x2="${x(f.recommendedSize)}" y1="${top}" y2="${H - bottom}" class="guide"/>`);
  parts.push(`<text x="${(left + W - right) / 2}" y="${H - bottom + 34}" text-anchor="middle" class="al">Set size k (personas; log scale)</text>`);
  parts.push(`<text transform="translate(14,${(top + H - bottom) / 2}) rotate(-90)" text-anchor="middle" class="al">Mean divergence ratio to Raw (unitless)</text>`);
  parts.push(`<rect x="${left}" y="${H - 16}" width="12" height="3" fill="${SERIES.weighted}"/><text x="${left + 16}" y="${H - 10}" class="tk">k distinct personas (pivotal sampling)</text>`);
  parts.push(`<rect x="${left + 260}" y="${H - 16}" width="12" height="3" fill="${SERIES.resample}"/><text x="${left + 276}" y="${H - 10}" class="tk">k draws with repeats (systematic)</text>`);
  parts.push('</svg>');
  return parts.join('');
}

const CSS = `body{font:14px/1.5 system-ui,sans-serif;color:#0f172a;max-width:860px;margin:24px auto;padding:0 16px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #e2e8f0}table{border-collapse:collapse;margin:8px 0;font-size:13px}
th,td{border:1px solid #e2e8f0;padding:3px 8px;text-align:right}th:first-child,td:first-child{text-align:left}thead{background:#f1f5f9}
.ct{font-size:13px;font-weight:600}.al{font-size:11px;fill:#334155}.tk{font-size:11px;fill:#475569}.grid{stroke:#e2e8f0}.ref{stroke:#334155;stroke-dasharray:4 3}
.guide{stroke:#94a3b8;stroke-dasharray:2 3}.note{color:#475569;font-size:12px}dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}dt{color:#475569}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}svg,table{break-inside:avoid}.noprint{display:none}}`;

function table(head: string[], rows: (string | number)[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function dl(entries: [string, unknown][]): string {
  return `<dl>${entries.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v ?? '—'))}</dd>`).join('')}</dl>`;
}

/** The citations a paper using the set should carry, by what the run used. */
export function citations(r: MethodsReport): string[] {
  const used = r.estimator?.used ?? '';
  const out = ['Hu et al. (2025). Population-Aligned Persona Generation for LLM-based Social Simulation. arXiv:2509.10127.'];
  if (/calibration|entropy/i.test(used) || r.estimator?.choice === 'auto') out.push('Hainmueller, J. (2012). Entropy balancing for causal effects. Political Analysis 20(1), 25-46.');
  if (/rak/i.test(used)) out.push('Deming, W. E., & Stephan, F. F. (1940). On a least squares adjustment of a sampled frequency table. Annals of Mathematical Statistics 11(4), 427-444.');
  if (/kde|paper/i.test(used)) out.push('Vehtari, A., Simpson, D., Gelman, A., Yao, Y., & Gabry, J. (2024). Pareto smoothed importance sampling. JMLR 25(72).');
  if (r.estimator?.refine === 'ot' || /paper/i.test(used)) out.push('Cuturi, M. (2013). Sinkhorn distances: lightspeed computation of optimal transport. NeurIPS 26.');
  if (r.frontier && 'sizes' in r.frontier) out.push('Deville, J.-C., & Tillé, Y. (1998). Unequal probability sampling without replacement through a splitting method. Biometrika 85(1), 89-101.');
  out.push('Kish, L. (1965). Survey Sampling. Wiley (effective sample size, design effect).');
  if (r.reference) out.push(r.reference.citation);
  for (const s of r.personaSources) out.push(s.citation);
  return [...new Set(out)];
}

/** The report as a standalone HTML page. */
export function methodsReportHtml(r: MethodsReport): string {
  const title = r.group ? `Methods report: group "${r.group.name}" (run ${r.run.id})` : `Methods report: run ${r.run.id} "${r.run.name}"`;
  const metricRows = (['raw', 'randomSelect', 'weighted', 'resample'] as const)
    .filter((k) => r.metrics[k])
    .map((k) => [{ raw: 'Raw (whole pool, unweighted)', randomSelect: 'RandomSelect (k random personas)', weighted: 'Weighted pool', resample: 'The set (k)' }[k], ...METRICS.map((m) => fmt(r.metrics[k]![m]))]);
  const est = r.estimator;
  const candidates = est?.candidates?.length
    ? table(['Candidate', 'Score (mean ratio to Raw, held out)', 'ESS', 'Distinct', 'Converged', 'Error'], est.candidates.map((c) => [c.label, fmt(c.score, 3), fmt(c.ess, 1), c.distinct, c.converged ? 'yes' : 'no', c.error ?? '']))
    : '<p class="note">The estimator was named in the settings, not chosen by measurement.</p>';
  const f = r.frontier && 'sizes' in r.frontier ? r.frontier : null;
  const body = [
    `<h1>${esc(title)}</h1>`,
    `<p class="note">Populace ${esc(r.populaceVersion)} · run created ${esc(r.run.createdAt.replace('T', ' ').slice(0, 19))}${r.run.createdBy ? ` by ${esc(r.run.createdBy)}` : ''} · print this page to PDF for an appendix.</p>`,
    '<h2>Summary</h2>',
    `<p>The persona pool (${int(r.set.poolSize)} LLM personas with Big Five scores measured by questionnaire) was aligned to <b>${esc(r.target.description)}</b> (${int(r.target.respondents)} human respondents${r.reference ? ` of ${esc(r.reference.name)}` : ''}). Weights were estimated by <b>${esc(est?.used ?? 'the configured estimator')}</b>${est?.choice === 'auto' ? ', chosen among the candidates below by divergence on held-out respondents' : ''}${est?.refine === 'ot' ? ', refined by entropic optimal transport' : ''}; the set holds ${int(r.set.draws)} draws of ${int(r.set.distinct)} distinct personas (seed ${r.run.seed}). Its divergence from the target in AMW is ${fmt(r.metrics.resample?.amw, 3)} against ${fmt(r.metrics.raw?.amw, 3)} for the unweighted pool.</p>`,
    '<h2>Target</h2>',
    dl([
      ['Description', r.target.description],
      ['Respondents', int(r.target.respondents)],
      ['Reference data', r.reference ? `${r.reference.name} (licence: ${r.reference.licence})` : '—'],
      ['Specification', r.target.spec],
      ...(r.group ? ([['Group', `${r.group.name} (id ${r.group.id})`]] as [string, unknown][]) : []),
    ]),
    '<h2>Estimator and settings</h2>',
    dl(Object.entries(r.settings)),
    candidates,
    '<h2>Weight diagnostics</h2>',
    dl([
      ['Effective sample size (Kish)', fmt(r.diagnostics.ess, 1)],
      ['Design effect (n / ESS)', fmt(r.diagnostics.designEffect, 2)],
      ['Largest weight (share of the total)', fmt(r.diagnostics.maxWeightShare, 4)],
      ['Pareto k-hat of the weights (> 0.7: unreliable tail)', fmt(r.diagnostics.khat, 2)],
      ['Converged', r.diagnostics.converged],
    ]),
    r.diagnostics.warnings.length ? `<ul>${r.diagnostics.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : '',
    '<h2>Divergence from the target, before and after</h2>',
    table(['Set', ...METRICS.map((m) => METRIC_NAMES[m])], metricRows),
    `<ul class="note">${METRICS.map((m) => `<li><b>${METRIC_NAMES[m]}</b>: ${esc(METRIC_DEFINITIONS[m])}. Lower is closer.</li>`).join('')}</ul>`,
    ratioChart(r),
    '<h2>Balance table</h2>',
    table(
      ['Trait', 'Target mean (SD)', 'Raw mean', 'Weighted pool mean', 'Set mean', 'SMD raw', 'SMD weighted', 'SMD set'],
      r.balance.map((b) => [TRAIT_NAMES[b.trait], `${fmt(b.targetMean, 3)} (${fmt(b.targetSd, 3)})`, fmt(b.rawMean, 3), fmt(b.weightedMean, 3), fmt(b.setMean, 3), fmt(b.rawSmd, 3), fmt(b.weightedSmd, 3), fmt(b.setSmd, 3)]),
    ),
    '<p class="note">Trait scores on a 1-5 scale. SMD = (mean - target mean) / target SD.</p>',
    lovePlot(r),
    '<h2>Diversity-fidelity frontier</h2>',
    f
      ? `<p>Divergence of sets of k personas as a mean ratio to Raw. The recommended k (${int(f.recommendedSize)}) is the largest whose ratio is within 10% of the best; ${int(f.positiveCount)} personas have a positive weight.</p>${frontierChart(f)}`
      : `<p class="note">No frontier was measured for this run${r.frontier && 'error' in r.frontier ? `: ${esc(r.frontier.error)}` : ''}.</p>`,
    '<h2>Coverage</h2>',
    r.coverage
      ? `<p>${esc(r.coverage.statement)}</p>${r.coverage.gaps.length ? table(['Region of the target', 'Missing', 'Share of the target'], r.coverage.gaps.map((g) => [g.label, g.missing, fmt(g.share, 3)])) : ''}`
      : '<p class="note">Coverage was not measured.</p>',
    '<h2>Review</h2>',
    `<p>Of the ${int(r.set.distinct)} personas in the set: ${Object.entries(r.review.byStatus).map(([s, n]) => `${int(n)} ${esc(s)}`).join(', ') || 'none'}; ${int(r.review.decisions)} review decisions by ${int(r.review.reviewers)} reviewer(s) (${int(r.review.accepted)} accepted, ${int(r.review.rejected)} rejected).</p>`,
    '<h2>Sources and licences</h2>',
    table(['Source', 'Personas in the set', 'Licence'], [...(r.reference ? [[`${r.reference.name} (human reference)`, '—', r.reference.licence]] : []), ...r.personaSources.map((s) => [s.name, s.personas, s.licence])]),
    '<h2>Citations</h2>',
    `<ol>${citations(r).map((c) => `<li>${esc(c)}</li>`).join('')}</ol>`,
  ];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,"><style>${CSS}</style></head><body>${body.join('\n')}</body></html>\n`;
}
