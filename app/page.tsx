import Link from 'next/link';
import { LlmNotice } from '@/components/LlmNotice';
import { personaStatuses } from '@/db/schema';
import { getWorkspaceOverview } from '@/lib/workspace/overview';
import { requirePageAccess } from '@/lib/auth/dal';

export const metadata = { title: 'Workspace' };
export const dynamic = 'force-dynamic';

const fmt = new Intl.NumberFormat('en-US');

function Stat({ label, value, testId, hint }: { label: string; value: number; testId: string; hint: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4">
      <div className="text-sm text-slate-600">{label}</div>
      <div className="mt-1 text-3xl font-semibold tabular-nums" data-testid={testId} data-value={value}>
        {fmt.format(value)}
      </div>
      <div className="mt-1 text-xs text-slate-500">{hint}</div>
    </div>
  );
}

export default async function WorkspacePage() {
  await requirePageAccess();
  const o = getWorkspaceOverview();
  const respondents = o.references.reduce((a, r) => a + r.n, 0);
  return (
    <div className="space-y-8">
      <section>
        <h1 className="text-2xl font-semibold">Workspace</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          Populace builds persona sets whose Big Five distribution matches a human population: it measures each persona,
          weights and selects the pool against a human reference, and exports the aligned set with its weights, metrics
          and provenance.
        </p>
      </section>

      <section className="grid grid-cols-2 gap-4 lg:grid-cols-4" aria-label="Counts">
        <Stat label="Personas" value={o.personas.total} testId="count-personas" hint="all sources, every status" />
        <Stat
          label="Human reference respondents"
          value={respondents}
          testId="count-respondents"
          hint="complete IPIP-50 answers"
        />
        <Stat label="Instruments" value={o.instruments.length} testId="count-instruments" hint="questionnaires with scoring keys" />
        <Stat label="Alignment runs" value={o.alignmentRuns.length} testId="count-runs" hint="saved full runs" />
      </section>

      <section>
        <h2 className="text-lg font-semibold">Personas by source and status</h2>
        <p className="text-xs text-slate-500">
          measured = has trait scores; draft = not yet measured; flagged = a quality check raised a flag (e.g. duplicate).
        </p>
        <div className="mt-2 overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <div className="relative overflow-x-auto">
<table className="w-full text-sm" data-testid="personas-by-source">
            <thead className="bg-slate-100 text-left text-slate-700">
              <tr>
                <th className="px-3 py-2">Source</th>
                {personaStatuses.map((s) => (
                  <th key={s} className="px-3 py-2 text-right capitalize">
                    {s}
                  </th>
                ))}
                <th className="px-3 py-2 text-right">Total</th>
                <th className="px-3 py-2">Licence</th>
              </tr>
            </thead>
            <tbody>
              {o.personas.bySource.map((s) => (
                <tr key={s.sourceId} className="border-t border-slate-100" data-testid={`source-${s.sourceId}`}>
                  <td className="px-3 py-2">{s.sourceName}</td>
                  {personaStatuses.map((st) => (
                    <td key={st} className="px-3 py-2 text-right tabular-nums" data-testid={`source-${s.sourceId}-${st}`}>
                      {fmt.format(s.byStatus[st])}
                    </td>
                  ))}
                  <td className="px-3 py-2 text-right font-medium tabular-nums">{fmt.format(s.total)}</td>
                  <td className="px-3 py-2 text-xs text-slate-500">{s.licence}</td>
                </tr>
              ))}
              <tr className="border-t border-slate-200 bg-slate-50 font-medium">
                <td className="px-3 py-2">All sources</td>
                {personaStatuses.map((st) => (
                  <td key={st} className="px-3 py-2 text-right tabular-nums" data-testid={`status-${st}`}>
                    {fmt.format(o.personas.byStatus[st])}
                  </td>
                ))}
                <td className="px-3 py-2 text-right tabular-nums">{fmt.format(o.personas.total)}</td>
                <td />
              </tr>
            </tbody>
          </table>
</div>
        </div>
      </section>

      <div className="grid gap-8 lg:grid-cols-2">
        <section>
          <h2 className="text-lg font-semibold">Human reference</h2>
          <ul className="mt-2 space-y-2">
            {o.references.map((r) => (
              <li key={r.id} className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
                <div className="font-medium">{r.name}</div>
                <div className="text-slate-600">
                  <span data-testid={`reference-${r.id}-n`}>{fmt.format(r.n)}</span> respondents · instrument {r.instrumentId}
                </div>
                <div className="mt-1 text-xs text-slate-500">{r.description}</div>
                <div className="mt-1 text-xs text-slate-500">Licence: {r.licence}</div>
              </li>
            ))}
          </ul>
          <h3 className="mt-4 font-medium">No-persona LLM baselines</h3>
          <ul className="mt-1 text-sm text-slate-700">
            {o.baselines.map((b) => (
              <li key={b.sourceId}>
                {b.sourceName}: {fmt.format(b.rows)} rows ({b.instrumentId})
              </li>
            ))}
          </ul>
        </section>

        <section>
          <h2 className="text-lg font-semibold">Instruments</h2>
          <table className="mt-2 w-full rounded-lg border border-slate-200 bg-white text-sm" data-testid="instruments">
            <thead className="bg-slate-100 text-left text-slate-700">
              <tr>
                <th className="px-3 py-2">Instrument</th>
                <th className="px-3 py-2 text-right">Items</th>
                <th className="px-3 py-2 text-right">Answer scale</th>
                <th className="px-3 py-2 text-right">Personas measured</th>
              </tr>
            </thead>
            <tbody>
              {o.instruments.map((i) => (
                <tr key={i.id} className="border-t border-slate-100">
                  <td className="px-3 py-2" title={i.description}>
                    {i.name}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{i.items}</td>
                  <td className="px-3 py-2 text-right tabular-nums">
                    {i.scaleMin}-{i.scaleMax}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{fmt.format(i.personasMeasured)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="mt-1 text-xs text-slate-500">
            Trait scores from every instrument are mapped to one common 1-5 scale: 1 + 4 × (score − min) / (max − min).
          </p>
        </section>
      </div>

      <section>
        <h2 className="text-lg font-semibold">Alignment runs</h2>
        {o.alignmentRuns.length === 0 ? (
          <p className="mt-1 text-sm text-slate-600" data-testid="runs-empty">
            No alignment runs yet.
          </p>
        ) : (
          <ul className="mt-2 text-sm" data-testid="runs">
            {o.alignmentRuns.map((r) => (
              <li key={r.id}>
                #{r.id} {r.name} · {r.status} · seed {r.seed} · {r.createdAt}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="space-y-3">
        <h2 className="text-lg font-semibold">Where to go next</h2>
        <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700">
          <li>
            <Link href="/review" className="text-teal-800 underline">Review</Link> the measured personas, or{' '}
            <Link href="/personas" className="text-teal-800 underline">browse</Link> them; rejected personas never enter
            an alignment.
          </li>
          <li>
            Pick a human target in the <Link href="/studio" className="text-teal-800 underline">alignment studio</Link>,
            tune it, watch the weights and metrics, and run the full alignment (Raw vs RandomSelect vs Resample).
          </li>
          <li>
            Define target subpopulations in <Link href="/groups" className="text-teal-800 underline">Groups</Link>, then
            take the set out from <Link href="/exports" className="text-teal-800 underline">Exports</Link> with its
            weights, metrics and provenance.
          </li>
          <li>
            Mine and measure new personas in the <Link href="/pipeline" className="text-teal-800 underline">pipeline</Link>{' '}
            (needs an LLM server), or align from the command line:{' '}
            <code>npm run -s populace -- align --pool POOL.csv --reference REF.csv --out DIR</code>.
          </li>
        </ol>
        <LlmNotice />
        <p className="text-xs text-slate-500">
          API: <Link href="/api/health" className="underline">/api/health</Link>
        </p>
      </section>
    </div>
  );
}
