import Link from 'next/link';
import { GroupDetail, type GroupDetailData } from '@/components/groups/GroupDetail';
import { GroupForm } from '@/components/groups/GroupForm';
import { AppError } from '@/lib/http/errors';
import { selectionFromQuery } from '@/lib/groups/builder';
import { getGroupDetail, listCustomRegions, listGroupNames, sameReferenceSelection } from '@/lib/groups/service';
import { isRoleAvailable } from '@/lib/llm';
import { requirePageAccess } from '@/lib/auth/dal';

export const dynamic = 'force-dynamic';

/** A group id that names no group: say so, and offer the saved groups. */
function MissingGroup({ id }: { id: string }) {
  const groups = listGroupNames();
  return (
    <div className="space-y-3" data-testid="group-missing">
      <Link href="/groups" className="text-xs text-teal-800 underline">
        ← Groups
      </Link>
      <h1 className="text-2xl font-semibold">No group “{id}”</h1>
      <p className="max-w-3xl text-sm text-slate-700" role="alert">
        {/^\d+$/.test(id) && Number(id) > 0
          ? `There is no group with id ${id}: it may have been deleted, or the link is mistyped.`
          : `“${id}” is not a group id: group addresses look like /groups/3.`}{' '}
        {groups.length ? 'Open one of the saved groups below, or define a new one.' : 'No group is saved yet: define one.'}
      </p>
      <ul className="list-inside list-disc text-sm">
        {groups.map((g) => (
          <li key={g.id}>
            <Link className="text-teal-800 underline" href={`/groups/${g.id}`}>
              {g.name}
            </Link>
          </li>
        ))}
      </ul>
      <Link href="/groups/new" className="inline-block rounded bg-teal-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-teal-800">
        Define a group
      </Link>
    </div>
  );
}

export default async function GroupPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePageAccess();
  const raw = (await params).id;
  const id = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(id) || id <= 0) return <MissingGroup id={raw} />;
  let detail;
  try {
    detail = getGroupDetail(id);
  } catch (e) {
    if (e instanceof AppError && e.status === 404) return <MissingGroup id={raw} />;
    throw e;
  }
  const fromUrl = selectionFromQuery(await searchParams);
  const unsaved = fromUrl !== null && !sameReferenceSelection(fromUrl, detail.group.definition.reference);
  const llm = { generator: isRoleAvailable('generator'), responder: isRoleAvailable('responder'), embedder: isRoleAvailable('embedder') };
  return (
    <div className="space-y-4">
      <div>
        <Link href="/groups" className="text-xs text-teal-800 underline">
          ← Groups
        </Link>
        <h1 className="text-2xl font-semibold" data-testid="group-title">
          {detail.group.name}
        </h1>
      </div>
      <details className="rounded border border-slate-200 bg-slate-50 p-2" open={unsaved} data-testid="group-edit">
        <summary className="cursor-pointer text-sm font-medium">Edit the definition</summary>
        {unsaved && (
          <p className="mt-1 text-xs text-amber-800" data-testid="group-url-unsaved">
            This address carries a selection that differs from the saved one: it is loaded below. Save changes to keep it.
          </p>
        )}
        <div className="mt-2">
          <GroupForm
            customRegions={listCustomRegions()}
            initial={{ name: detail.group.name, definition: detail.group.definition }}
            groupId={id}
            fromUrl={fromUrl}
          />
        </div>
      </details>
      <GroupDetail data={JSON.parse(JSON.stringify(detail)) as GroupDetailData} llm={llm} />
    </div>
  );
}
