import { ExportsScreen, type ExportListItem } from '@/components/export/ExportsScreen';
import { listExports } from '@/lib/export/service';
import { listGroups } from '@/lib/groups/service';
import { listRuns } from '@/lib/studio/runs';
import { requirePageAccess } from '@/lib/auth/dal';
import { actorFromPage } from '@/lib/audit/actor';

export const metadata = { title: 'Exports' };
export const dynamic = 'force-dynamic';

export default async function ExportsPage({ searchParams }: { searchParams: Promise<{ group?: string }> }) {
  const actor = actorFromPage(await requirePageAccess());
  const sp = await searchParams;
  const groups = listGroups().map((g) => ({ id: g.id, name: g.name, aligned: g.latestRun !== null }));
  const initialGroup = sp.group && groups.some((g) => g.id === Number(sp.group)) ? Number(sp.group) : null;
  const runs = listRuns()
    .filter((r) => r.status === 'done')
    .map((r) => ({ id: r.id, name: r.name }));
  return (
    <div className="space-y-3">
      <div>
        <h1 className="text-2xl font-semibold">Exports</h1>
        <p className="max-w-4xl text-sm text-slate-600">
          Export a persona set as a table (JSONL, CSV, Parquet) or straight into a simulator (TinyTroupe, OASIS, agent prompts, a Hugging Face dataset folder), with a manifest that makes it reproducible: k distinct personas (pivotal
          sampling, their weights re-calibrated to the target), k draws with repeats (weight = count / k), or every persona with its
          weight. The weight column sums to 1 over the rows of a set. The same exports are available from the API (POST /api/exports) and
          the command line (<code>npm run -s populace -- export --help</code>).
        </p>
      </div>
      {sp.group !== undefined && initialGroup === null && (
        <p className="rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900" role="alert" data-testid="export-group-missing">
          {/^\d+$/.test(sp.group)
            ? `There is no group with id ${sp.group} (it may have been deleted): choose one of the saved groups below.`
            : `“${sp.group}” is not a group id: choose one of the saved groups below.`}
        </p>
      )}
      <ExportsScreen exports={JSON.parse(JSON.stringify(listExports(undefined, actor))) as ExportListItem[]} runs={runs} groups={groups} initialGroup={initialGroup} />
    </div>
  );
}
