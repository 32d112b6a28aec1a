import { sinkhorn, type OtVariant, type SinkhornInput, type SinkhornResult } from './sinkhorn';

/**
 * The OT family keyed by variant name; every entry takes a SinkhornInput (its `variant` field is overridden) and
 * returns a SinkhornResult.
 * - balanced: both marginals enforced (Cuturi 2013). Row sums = source weights at convergence.
 * - semiRelaxed: only the target (reference) marginal enforced; source side KL-relaxed with strength tau.
 *   Populace's default for alignment.
 * - unbalanced: both sides KL-relaxed with strength tau (Chizat et al. 2018; POT sinkhorn_unbalanced, reg_m = tau).
 * @example otVariants.semiRelaxed({ source, target }).targetMarginal ~= target weights
 */
export const otVariants: Record<OtVariant, (input: SinkhornInput) => SinkhornResult> = {
  balanced: (input) => sinkhorn({ ...input, variant: 'balanced' }),
  semiRelaxed: (input) => sinkhorn({ ...input, variant: 'semiRelaxed' }),
  unbalanced: (input) => sinkhorn({ ...input, variant: 'unbalanced' }),
};
