import { LlmNotice } from '@/components/LlmNotice';
import { ImportPanel } from '@/components/pipeline/ImportPanel';
import { JobForms } from '@/components/pipeline/JobForms';
import { JobsList } from '@/components/pipeline/JobsList';
import { listJobs } from '@/lib/jobs';
import { getPipelineState } from '@/lib/pipeline/service';
import { requirePageAccess } from '@/lib/auth/dal';

export const metadata = { title: 'Pipeline' };
export const dynamic = 'force-dynamic';

const fmt = new Intl.NumberFormat('en-US');

export default async function PipelinePage() {
  await requirePageAccess();
  const s = getPipelineState();
  const jobs = listJobs({ limit: 20 }).filter((j) => j.kind.startsWith('pipeline.'));
  return (
    <div className="space-y-8">
      <section>
        <h1 className="text-2xl font-semibold">Persona pipeline</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          Import social media posts, mine one grounded narrative persona per author with an LLM (filter, denoise, quality
          labels, critic, privacy and near-duplicate checks), then measure each persona&apos;s Big Five by having it answer
          questionnaire items in character. Long work runs as jobs that survive a server restart.
        </p>
        <div className="mt-3">
          <LlmNotice />
        </div>
      </section>

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Import</h2>
        <ImportPanel />
      </section>

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Posts sources</h2>
        {s.postSources.length === 0 ? (
          <p className="text-sm text-slate-500" data-testid="post-sources-empty">No posts imported yet.</p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-sm" data-testid="post-sources">
              <thead className="bg-slate-100 text-left text-slate-700">
                <tr>
                  <th className="px-3 py-2">Source</th>
                  <th className="px-3 py-2 text-right">Posts</th>
                  <th className="px-3 py-2 text-right">Authors</th>
                  <th className="px-3 py-2 text-right">Kept</th>
                  <th className="px-3 py-2 text-right">Filtered out</th>
                  <th className="px-3 py-2 text-right">Not yet processed</th>
                </tr>
              </thead>
              <tbody>
                {s.postSources.map((p) => (
                  <tr key={p.id} className="border-t border-slate-100" data-testid={`post-source-${p.id}`}>
                    <td className="px-3 py-2">
                      <div className="font-medium">{p.id}</div>
                      <div className="text-xs text-slate-500">{p.name}</div>
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums" data-testid={`post-source-${p.id}-posts`}>{fmt.format(p.posts)}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{fmt.format(p.authors)}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{fmt.format(p.kept)}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{fmt.format(p.rejected)}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{fmt.format(p.undecided)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Run</h2>
        <JobForms llmAvailable={s.llm.available} postSources={s.postSources} personaSources={s.personaSources} />
        <p className="text-xs text-slate-500">
          LLM calls so far: {fmt.format(s.llmCalls.total)} recorded ({fmt.format(s.llmCalls.failed)} failed). Every call is cached, so a
          rerun or a resumed job never pays twice. The same jobs run headless: <code>npm run -s populace -- generate --source ID</code>,{' '}
          <code>demographics</code> (the LLM reads personas&apos; age, gender, country and occupation; new personas are read after
          generation and imports), <code>measure</code>, <code>baseline</code>.
        </p>
      </section>

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Jobs</h2>
        <JobsList initial={jobs} />
      </section>
    </div>
  );
}
