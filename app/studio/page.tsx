import { Studio } from '@/components/studio/Studio';
import { listRuns } from '@/lib/studio/runs';
import { targetOptions } from '@/lib/targets/service';
import { requirePageAccess } from '@/lib/auth/dal';

export const dynamic = 'force-dynamic';

export default async function StudioPage() {
  await requirePageAccess();
  return (
    <div className="space-y-3">
      <div>
        <h1 className="text-2xl font-semibold">Alignment studio</h1>
        <p className="max-w-4xl text-sm text-slate-600">
          Choose a human target, tune its Big Five distribution, and watch how importance weighting moves the persona pool
          toward it. Live figures are computed in your browser; “Run alignment” runs the full method on the server and saves
          it: a weight estimator (by default the one that measures closest on held-out respondents, usually calibration),
          then the selection of k personas.
        </p>
      </div>
      <Studio options={targetOptions()} initialRuns={listRuns()} />
    </div>
  );
}
