import { describe, expect, it } from 'vitest';
import { targetStatus } from '@/components/studio/targetStatus';

const base = {
  poolN: 1263,
  method: 'calibration' as const,
  diagnostics: { ess: 900, designEffect: 1.4, maxWeightShare: 0.004, khat: 0.2 },
  balance: { solvedRows: 1263, maxGap: 0.001, worst: 'mean E', converged: true, iterations: 5 },
  coverage: { threshold: 1, uncoveredShare: 0.01, regions: [] },
};

describe('targetStatus', () => {
  it('says a healthy target is safe to run, with its figures', () => {
    const s = targetStatus(base, { selection: 'systematic', method: 'calibration', narrowed: true });
    expect(s.level).toBe('safe');
    expect(s.sentence).toBe('Safe to run: ESS 900 of 1,263 (71%), no persona carries more than 0.4% of the weight, every moment within 0.05 target SDs, 1% of the target uncovered.');
  });

  it('says in words what a low ESS means and what to change', () => {
    const s = targetStatus(
      { ...base, method: 'kde', balance: null, diagnostics: { ess: 38, designEffect: 33, maxWeightShare: 0.2, khat: 0.9 } },
      { selection: 'pivotal', method: 'kde', narrowed: true },
    );
    expect(s.level).toBe('unsafe');
    expect(s.sentence).toBe(
      'Not safe to run as it is: ESS 38 of 1,263, one persona carries 20.0% of the weight, k-hat 0.90 (a heavy tail of large weights): the weights lean on few personas. To change it: widen the target (fewer filters, smaller slider edits), use draws with repeats or choose calibration.',
    );
  });

  it('names an unreachable moment and uncovered target', () => {
    const s = targetStatus(
      { ...base, balance: { ...base.balance, converged: false, maxGap: 0.4, worst: 'variance N' }, coverage: { ...base.coverage, uncoveredShare: 0.12 } },
      { selection: 'systematic', method: 'calibration', narrowed: true },
    );
    expect(s.level).toBe('unsafe');
    expect(s.sentence).toMatch(/calibration cannot reach the target's moments \(largest gap 0\.40 target SDs, variance N\); 12% of the target has no persona nearby\. To change it: move the sliders back toward the reference or generate personas for the regions under Coverage\.$/);
  });

  it('does not advise widening a target that is the whole reference', () => {
    const s = targetStatus(
      { ...base, diagnostics: { ess: 19, designEffect: 65, maxWeightShare: 0.131, khat: 1.29 }, coverage: { ...base.coverage, uncoveredShare: 0.63 } },
      { selection: 'systematic', method: 'calibration', narrowed: false },
    );
    expect(s.sentence).toBe(
      'Not safe to run as it is: ESS 19 of 1,263, one persona carries 13.1% of the weight, k-hat 1.29 (a heavy tail of large weights): the weights lean on few personas; 63% of the target has no persona nearby. To change it: generate personas for the regions under Coverage.',
    );
  });
});
