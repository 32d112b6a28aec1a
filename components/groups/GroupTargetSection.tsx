'use client';
/** The group page's human target: respondents, warnings, the persona description and the thumbnail. */
import { HelpTip } from '@/components/HelpTip';
import type { GroupDetailData } from './GroupDetail';
import { GroupThumbnail } from './GroupThumbnail';

export function GroupTargetSection({ data }: { data: GroupDetailData }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-3 text-sm" data-testid="group-target">
      <h2 className="font-semibold">Human target</h2>
      <p>
        <span className="font-semibold tabular-nums" data-testid="group-respondents">
          {data.target.n.toLocaleString('en-US')}
        </span>{' '}
        respondents
        <HelpTip term="respondents" /> · {data.target.description}
      </p>
      {data.target.warnings.map((w) => (
        <p key={w} className="text-xs text-amber-800" data-testid="group-warning">
          ⚠ {w}
        </p>
      ))}
      <p className="mt-1 text-xs text-slate-600">Persona description: {data.group.definition.personas.description ?? '(filters only)'}</p>
      <div className="mt-2 max-w-2xl">
        <GroupThumbnail filters={data.group.definition.reference.filters} />
      </div>
    </section>
  );
}
