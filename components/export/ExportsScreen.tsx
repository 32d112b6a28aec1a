'use client';

/**
 * Create an export (run, group or pool; k distinct personas, k draws with repeats, or every persona with its weight)
 * in the format chosen beforehand, see what it holds (rows, distinct personas, draws, how the weights are normalised),
 * list, download, delete, diff two.
 */
import { useMayChange } from '../Access';
import { ExportDiff } from './ExportDiff';
import type { ExportListItem } from './exportFormat';
import { ExportsList } from './ExportsList';
import { NewExportForm } from './NewExportForm';
import { useExportForm } from './useExportForm';

export { describeNormalisation, type ExportListItem } from './exportFormat';

export function ExportsScreen({
  exports,
  runs,
  groups,
  initialGroup,
}: {
  exports: ExportListItem[];
  runs: { id: number; name: string }[];
  groups: { id: number; name: string; aligned: boolean }[];
  initialGroup: number | null;
}) {
  const mayChange = useMayChange();
  const form = useExportForm({ runs, groups, initialGroup });
  return (
    <div className="space-y-5">
      <NewExportForm form={form} groups={groups} runs={runs} mayChange={mayChange} />
      <ExportsList exports={exports} />
      <ExportDiff exports={exports} setError={form.setError} />
    </div>
  );
}
