/**
 * Whether the current target is safe to run, said in words: what the live weights show (ESS, the largest weight,
 * k-hat, calibration's reach, coverage) and what to change. Pure, so the sentence is unit-tested.
 */
import type { LiveMethod, LiveResult } from '@/lib/studio/liveTypes';

export type TargetStatusLevel = 'safe' | 'caution' | 'unsafe';

export interface TargetStatus {
  level: TargetStatusLevel;
  /** One or two sentences: the findings, then what to change. */
  sentence: string;
}

/** Below this share of the pool the ESS says the weights lean on few personas. */
export const ESS_CAUTION_SHARE = 0.1;
/** Below this share of the pool a run's set rests on a handful of personas. */
export const ESS_UNSAFE_SHARE = 0.05;
export const KHAT_CAUTION = 0.7;
export const MAX_SHARE_CAUTION = 0.05;
/** A whole-pool moment gap (target SDs) above this: calibration does not reach the target. */
export const GAP_CAUTION = 0.05;
/** Uncovered share of the target above this is worth a sentence. */
export const COVERAGE_CAUTION = 0.05;

const DISTINCT = new Set(['pivotal', 'topFraction']);
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

export function targetStatus(
  live: Pick<LiveResult, 'diagnostics' | 'poolN' | 'balance' | 'coverage' | 'method'>,
  options: {
    selection: string;
    method: LiveMethod;
    /** The target is narrowed or moved (filters, a norms preset or slider edits): widening it is advice worth giving. */
    narrowed: boolean;
  },
): TargetStatus {
  const { ess, maxWeightShare, khat } = live.diagnostics;
  const n = live.poolN;
  const findings: string[] = [];
  const advice: string[] = [];
  let level: TargetStatusLevel = 'safe';
  const raise = (l: TargetStatusLevel) => {
    if (l === 'unsafe' || (l === 'caution' && level === 'safe')) level = l;
  };

  const lowEss = ess < ESS_CAUTION_SHARE * n;
  const heavy = khat > KHAT_CAUTION || maxWeightShare > MAX_SHARE_CAUTION;
  if (lowEss || heavy) {
    const parts = [`ESS ${fmt(ess)} of ${fmt(n)}`];
    if (maxWeightShare > MAX_SHARE_CAUTION) parts.push(`one persona carries ${(100 * maxWeightShare).toFixed(1)}% of the weight`);
    if (khat > KHAT_CAUTION) parts.push(`k-hat ${khat.toFixed(2)} (a heavy tail of large weights)`);
    findings.push(`${parts.join(', ')}: the weights lean on few personas`);
    raise(ess < ESS_UNSAFE_SHARE * n ? 'unsafe' : 'caution');
    if (options.narrowed) advice.push('widen the target (fewer filters, smaller slider edits)');
    if (DISTINCT.has(options.selection)) advice.push('use draws with repeats');
    if (options.method === 'kde') advice.push('choose calibration');
  }
  const b = live.balance;
  if (b && (!b.converged || b.maxGap > GAP_CAUTION)) {
    findings.push(
      b.converged
        ? `the whole pool misses the target's ${b.worst} by ${b.maxGap.toFixed(2)} target SDs`
        : `calibration cannot reach the target's moments (largest gap ${b.maxGap.toFixed(2)} target SDs, ${b.worst})`,
    );
    raise(b.converged ? 'caution' : 'unsafe');
    if (options.narrowed) advice.push('move the sliders back toward the reference');
  }
  const uncovered = live.coverage.uncoveredShare;
  if (uncovered > COVERAGE_CAUTION) {
    findings.push(`${(100 * uncovered).toFixed(0)}% of the target has no persona nearby`);
    raise('caution');
    advice.push('generate personas for the regions under Coverage');
  }

  if (level === 'safe') {
    return {
      level,
      sentence: `Safe to run: ESS ${fmt(ess)} of ${fmt(n)} (${((100 * ess) / Math.max(1, n)).toFixed(0)}%), no persona carries more than ${(100 * maxWeightShare).toFixed(1)}% of the weight${b ? `, every moment within ${GAP_CAUTION} target SDs` : ''}, ${(100 * uncovered).toFixed(0)}% of the target uncovered.`,
    };
  }
  const head = level === 'unsafe' ? 'Not safe to run as it is' : 'Run with care';
  // Nothing to widen and nothing to switch: the pool itself is what falls short of this target.
  if (!advice.length) advice.push('generate personas like the target’s respondents, or accept a set that leans on few personas');
  const uniqueAdvice = [...new Set(advice)];
  const joined = uniqueAdvice.length > 1 ? `${uniqueAdvice.slice(0, -1).join(', ')} or ${uniqueAdvice.at(-1)}` : uniqueAdvice[0];
  return { level, sentence: `${head}: ${findings.join('; ')}. To change it: ${joined}.` };
}
