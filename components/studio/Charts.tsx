/**
 * The studio's charts, one file each. The live charts (marginals, weights, balance, scatter) are plain SVG
 * (./svgPlot): one React render per edit, no animation, no measuring pass. Each is memoised and receives only the
 * parts of the result it draws, so a chart whose figures did not change is not rendered again. The Sinkhorn trace of
 * a full run uses recharts.
 */
export { TRAIT_LABELS } from './chartStyle';
export { CorrelationDiffMap } from './CorrelationDiffMap';
export { LovePlot } from './LovePlot';
export { MarginalsChart } from './MarginalsChart';
export { SinkhornTrace } from './SinkhornTrace';
export { TraitScatter } from './TraitScatter';
export { WeightHistogram } from './WeightHistogram';
