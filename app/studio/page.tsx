import { Studio } from '@/components/studio/Studio';
import { listCustomRegions } from '@/lib/groups/service';
import { parseStudioUrl } from '@/components/studio/urlState';
import { listRuns } from '@/lib/studio/runs';
import { targetOptions } from '@/lib/targets/service';
import { requirePageAccess } from '@/lib/auth/dal';

export const dynamic = 'force-dynamic';

export default async function StudioPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageAccess();
  const options = targetOptions();
  // The studio's state comes from the address (target, slider edits, live weights, the next run's choices).
  const { state, problems } = parseStudioUrl(await searchParams, options);
  return (
    <div className="space-y-3">
      <div>
        <h1 className="text-2xl font-semibold">Alignment studio</h1>
        <p className="max-w-4xl text-sm text-slate-600">
          Choose a human target, tune its Big Five distribution, and watch how weighting moves the persona pool toward it.
          Live figures are computed in your browser (calibration weights by default); “Run alignment” runs the full method
          on the server and saves it: a weight estimator (by default the one that measures closest on held-out
          respondents, usually calibration), then the selection of k personas. The address keeps the target, the slider
          edits and the choices below, so a view can be reloaded or shared.
        </p>
      </div>
      <Studio options={options} initialRuns={listRuns()} initial={state} problems={problems} customRegions={listCustomRegions()} />
    </div>
  );
}
