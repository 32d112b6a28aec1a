import Link from 'next/link';
import { GroupForm } from '@/components/groups/GroupForm';
import { selectionFromQuery } from '@/lib/groups/builder';
import { listCustomRegions } from '@/lib/groups/service';
import { requirePageAccess } from '@/lib/auth/dal';

export const dynamic = 'force-dynamic';

/** Defines a group; the address carries the reference selection (e.g. ?countries=DE,NL&age=50-99&gender=female). */
export default async function NewGroupPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageAccess();
  const fromUrl = selectionFromQuery(await searchParams);
  return (
    <div className="space-y-3">
      <div>
        <Link href="/groups" className="text-xs text-teal-800 underline">
          ← Groups
        </Link>
        <h1 className="text-2xl font-semibold">Define a group</h1>
        <p className="max-w-4xl text-sm text-slate-600">
          Choose the reference respondents the group stands for on the map and the pyramid, see how their personality differs from the
          whole sample, then describe the personas who should play them. The address of this page carries the selection: share it or
          bookmark it.
        </p>
      </div>
      <GroupForm customRegions={listCustomRegions()} fromUrl={fromUrl} />
    </div>
  );
}
