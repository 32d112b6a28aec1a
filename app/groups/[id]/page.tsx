import Link from 'next/link';
import { notFound } from 'next/navigation';
import { GroupDetail, type GroupDetailData } from '@/components/groups/GroupDetail';
import { GroupForm } from '@/components/groups/GroupForm';
import { AppError } from '@/lib/http/errors';
import { getGroupDetail, listCustomRegions, listPersonaSources } from '@/lib/groups/service';
import { isRoleAvailable } from '@/lib/llm';
import { targetOptions } from '@/lib/targets/service';
import { requirePageAccess } from '@/lib/auth/dal';

export const dynamic = 'force-dynamic';

export default async function GroupPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageAccess();
  const id = Number((await params).id);
  if (!Number.isInteger(id) || id <= 0) notFound();
  let detail;
  try {
    detail = getGroupDetail(id);
  } catch (e) {
    if (e instanceof AppError && e.status === 404) notFound();
    throw e;
  }
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
      <details className="rounded border border-slate-200 bg-slate-50 p-2">
        <summary className="cursor-pointer text-sm font-medium">Edit the definition</summary>
        <div className="mt-2">
          <GroupForm
            options={targetOptions()}
            customRegions={listCustomRegions()}
            personaSources={listPersonaSources()}
            initial={{ name: detail.group.name, definition: detail.group.definition }}
            groupId={id}
          />
        </div>
      </details>
      <GroupDetail data={JSON.parse(JSON.stringify(detail)) as GroupDetailData} llm={llm} />
    </div>
  );
}
