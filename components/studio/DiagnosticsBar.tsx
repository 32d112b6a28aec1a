'use client';

import type { LiveResult } from '@/lib/studio/liveTypes';
import { HelpTip } from '@/components/HelpTip';

function Item({ label, term, value, warn, testId }: { label: string; term: string; value: string; warn?: boolean; testId: string }) {
  return (
    <div className={`rounded border px-2 py-1 ${warn ? 'border-amber-400 bg-amber-50' : 'border-slate-200 bg-white'}`}>
      <div className="flex items-center text-[11px] text-slate-600">
        {label}
        <HelpTip term={term} />
      </div>
      <div className="text-sm font-semibold tabular-nums" data-testid={testId} data-value={value}>
        {value}
      </div>
    </div>
  );
}

/** Weight-health diagnostics of the live weights (calibration or KDE). */
export function DiagnosticsBar({ result }: { result: LiveResult | null }) {
  if (!result) return <div className="h-12" />;
  const d = result.diagnostics;
  return (
    <div className="grid grid-cols-2 gap-2 sm:grid-cols-5" data-testid="diagnostics">
      <Item label="ESS" term="ess" value={d.ess.toFixed(1)} warn={d.ess < 0.1 * result.poolN} testId="diag-ess" />
      <Item label="Design effect" term="designEffect" value={d.designEffect.toFixed(2)} warn={d.designEffect > 3} testId="diag-deff" />
      <Item label="Largest weight share" term="maxWeightShare" value={`${(100 * d.maxWeightShare).toFixed(2)}%`} warn={d.maxWeightShare > 0.05} testId="diag-maxshare" />
      <Item label="k-hat" term="khat" value={d.khat.toFixed(2)} warn={d.khat > 0.7} testId="diag-khat" />
      <Item label="AMW (weighted)" term="amw" value={result.metrics.weighted.amw.toFixed(4)} testId="diag-amw" />
    </div>
  );
}
