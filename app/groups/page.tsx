import Link from 'next/link';
import { GroupForm } from '@/components/groups/GroupForm';
import { HelpTip } from '@/components/HelpTip';
import { selectionFromQuery } from '@/lib/groups/builder';
import { listCustomRegions, listGroups } from '@/lib/groups/service';
import { requirePageAccess } from '@/lib/auth/dal';

export const dynamic = 'force-dynamic';

export default async function GroupsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageAccess();
  const fromUrl = selectionFromQuery(await searchParams);
  const groups = listGroups();
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Groups</h1>
        <p className="max-w-4xl text-sm text-slate-600">
          A group is a target subpopulation: on the human side, the reference respondents of some countries, an age band and a
          gender (or published country norms); on the persona side, a description and filters that retrieve personas. The group set
          is then aligned to the group’s own target and measured against it.
        </p>
      </div>
      <section aria-labelledby="groups-list-title">
        <h2 id="groups-list-title" className="text-lg font-semibold">
          Saved groups
        </h2>
        <div className="relative overflow-x-auto">
<table className="mt-1 w-full text-sm" data-testid="groups-list">
          <thead className="bg-slate-100 text-left text-xs text-slate-700">
            <tr>
              <th className="px-2 py-1">Group</th>
              <th className="px-2 py-1">Human target</th>
              <th className="px-2 py-1 text-right">
                Respondents
                <HelpTip term="respondents" />
              </th>
              <th className="px-2 py-1">Persona description</th>
              <th className="px-2 py-1 text-right">
                Latest AMW
                <HelpTip term="amw" />
              </th>
              <th className="px-2 py-1 text-right">
                ESS
                <HelpTip term="ess" />
              </th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={g.id} className="border-t border-slate-100 align-top" data-testid={`group-row-${g.id}`}>
                <td className="px-2 py-1">
                  <Link className="font-medium text-teal-800 underline" href={`/groups/${g.id}`}>
                    {g.name}
                  </Link>
                </td>
                <td className="px-2 py-1 text-xs text-slate-600">
                  {g.target.description || g.target.error}
                  {g.target.warnings.length > 0 && <span className="block text-amber-800">⚠ {g.target.warnings[0]}</span>}
                </td>
                <td className="px-2 py-1 text-right tabular-nums">
                  {g.target.n.toLocaleString('en-US')}
                  {g.target.warnings.length > 0 && (
                    <span className="ml-1 text-amber-700" title={g.target.warnings.join('\n')} aria-label={g.target.warnings.join(' ')}>
                      ⚠
                    </span>
                  )}
                </td>
                <td className="px-2 py-1 text-xs text-slate-600">{g.definition.personas.description ?? '(filters only)'}</td>
                <td className="px-2 py-1 text-right tabular-nums">{g.latestRun?.metrics?.amw !== undefined ? g.latestRun.metrics.amw.toFixed(4) : '—'}</td>
                <td className="px-2 py-1 text-right tabular-nums">
                  {g.latestRun?.ess != null ? `${g.latestRun.ess.toFixed(1)} of ${g.latestRun.setSize}` : '—'}
                </td>
              </tr>
            ))}
            {groups.length === 0 && (
              <tr>
                <td colSpan={6} className="px-2 py-2 text-slate-500">
                  No groups yet: define one below.
                </td>
              </tr>
            )}
          </tbody>
        </table>
</div>
      </section>
      <section aria-labelledby="define-title" className="space-y-1">
        <h2 id="define-title" className="text-lg font-semibold">
          Define a group{' '}
          <Link href="/groups/new" className="text-xs font-normal text-teal-800 underline">
            (on its own page)
          </Link>
        </h2>
        <GroupForm customRegions={listCustomRegions()} fromUrl={fromUrl} />
      </section>
    </div>
  );
}
