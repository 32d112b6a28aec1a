import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { DecisionTable } from '@/components/review/DecisionTable';
import { StatusBadge } from '@/components/personas/StatusBadge';
import { fmt2, fmtInt, fmtTime, fmtWeight } from '@/components/personas/format';
import { AppError } from '@/lib/http/errors';
import { getPersonaDetail, getPersonaName, type PersonaDetail } from '@/lib/personas/service';
import { requirePageAccess } from '@/lib/auth/dal';

export const dynamic = 'force-dynamic';

const TRAITS = ['E', 'A', 'C', 'N', 'O'] as const;
const TRAIT_NAMES: Record<string, string> = { E: 'Extraversion', A: 'Agreeableness', C: 'Conscientiousness', N: 'Neuroticism (high = less stable)', O: 'Openness' };

function Section({ title, id, children, note }: { title: string; id: string; children: ReactNode; note?: ReactNode }) {
  return (
    <section className="space-y-2" aria-labelledby={`${id}-title`} data-testid={`section-${id}`}>
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        {title}
      </h2>
      {note && <p className="text-xs text-slate-500">{note}</p>}
      {children}
    </section>
  );
}

function Empty({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <p className="text-sm text-slate-600" data-testid={testId}>
      {children}
    </p>
  );
}

function Diff({ parts }: { parts: NonNullable<PersonaDetail['revisions']['chain'][number]['diff']> }) {
  return (
    <p className="whitespace-pre-wrap rounded border border-slate-200 bg-white p-3 text-sm leading-relaxed" data-testid="revision-diff">
      {parts.map((p, i) =>
        p.kind === 'same' ? (
          <span key={i}>{p.text}</span>
        ) : p.kind === 'added' ? (
          <ins key={i} className="bg-emerald-100 text-emerald-900 no-underline" title="added in this revision">
            {p.text}
          </ins>
        ) : (
          <del key={i} className="bg-rose-100 text-rose-900" title="in the parent, removed in this revision">
            {p.text}
          </del>
        ),
      )}
    </p>
  );
}

/** "Persona 12: Harriet Barnes" (the id alone for an unknown persona; the page itself answers not found). */
export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  await requirePageAccess();
  const { id } = await params;
  const n = Number(id);
  const name = Number.isInteger(n) && n > 0 ? getPersonaName(n) : null;
  return { title: name ? `Persona ${n}: ${name}` : `Persona ${id}` };
}

export default async function PersonaPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageAccess();
  const { id } = await params;
  const n = Number(id);
  if (!Number.isInteger(n) || n <= 0) notFound();
  let d: PersonaDetail;
  try {
    d = getPersonaDetail(n);
  } catch (e) {
    if (e instanceof AppError && e.status === 404) notFound();
    throw e;
  }
  const p = d.persona;
  const privacyFlags = p.flags.filter((f) => f.code !== 'duplicate');
  const duplicateFlags = p.flags.filter((f) => f.code === 'duplicate');
  const critic = p.qualityScores ? Object.entries(p.qualityScores) : [];
  // Each value with how it was obtained: given by the source, stated in or inferred from the narrative (by the rules
  // or by the LLM).
  const how = (field: 'age' | 'gender' | 'country' | 'occupation', value: string) => {
    const o = p.demographicsOrigin;
    const origin = o?.origin[field];
    if (!o || !origin || origin === 'unknown' || value === 'unknown') return value;
    const evidence = o.evidence[field];
    const byLlm = o.method?.[field] === 'llm' ? ` by the LLM (${o.llm?.promptVersion ?? 'prompt unknown'})` : '';
    return `${value} (${origin}${byLlm}${evidence ? `: "${evidence}"` : ''})`;
  };
  const demographics: [string, string][] = [
    ['Age', how('age', p.age === null ? 'unknown' : String(p.age))],
    ['Age band', how('age', p.ageBand)],
    ['Gender', how('gender', p.gender)],
    ['Country', how('country', p.country)],
    ['Occupation', how('occupation', p.occupation)],
  ];
  const items = d.itemAnswers;

  return (
    <article className="space-y-8" data-testid="persona-page" data-id={p.id}>
      <header className="space-y-2">
        <p className="text-sm">
          <Link href="/personas" className="text-teal-800 underline">
            ← Personas
          </Link>
        </p>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold" data-testid="persona-title">
            #{p.id} {p.name ?? (p.occupation !== 'unknown' ? p.occupation : 'Unnamed persona')}
          </h1>
          <StatusBadge status={p.status} testId="persona-status" />
          <a href="#history-title" className="text-sm text-teal-800 underline">
            Review history ({d.history.length})
          </a>
        </div>
        <p className="text-sm text-slate-600">
          Source: {p.sourceName} ({p.sourceLicence}) · external id {p.externalId}
          {p.model ? ` · model ${p.model}` : ''}
          {p.promptVersion ? ` · prompt ${p.promptVersion}` : ''} · created {fmtTime(p.createdAt)}
          {p.updatedAt ? ` · updated ${fmtTime(p.updatedAt)}` : ''}
        </p>
      </header>

      <div className="grid gap-8 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <Section title="Narrative" id="narrative">
          <p className="whitespace-pre-wrap rounded-lg border border-slate-200 bg-white p-4 leading-relaxed" data-testid="persona-narrative">
            {p.narrative}
          </p>
        </Section>
        <Section title="Demographics" id="demographics" note="As stated in or derived from the narrative; unknown when it does not say.">
          <dl className="grid grid-cols-[8rem_1fr] gap-y-1 rounded-lg border border-slate-200 bg-white p-4 text-sm">
            {demographics.map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-slate-600">{k}</dt>
                <dd data-testid={`demographic-${k.toLowerCase().replace(' ', '-')}`}>{v}</dd>
              </div>
            ))}
          </dl>
        </Section>
      </div>

      <Section title="Source posts" id="posts" note="The posts this persona was mined from (stage 1).">
        {d.posts.length === 0 ? (
          <Empty testId="posts-empty">No source posts: this persona was imported from {p.sourceName}, not mined from posts.</Empty>
        ) : (
          <ol className="space-y-2">
            {d.posts.map((post) => (
              <li key={post.id} className="rounded border border-slate-200 bg-white p-3 text-sm">
                <p className="whitespace-pre-wrap">{post.cleanedText ?? post.text}</p>
                <p className="mt-1 text-xs text-slate-500">
                  post #{post.id}
                  {post.postedAt ? ` · ${post.postedAt}` : ''}
                  {post.quality ? ` · quality ${post.quality}` : ''}
                </p>
              </li>
            ))}
          </ol>
        )}
      </Section>

      <div className="grid gap-8 lg:grid-cols-2">
        <Section title="Critic scores" id="critic" note="Scores from the critic model, 1-10 (higher is better), each with its reason.">
          {critic.length === 0 ? (
            <Empty testId="critic-empty">No critic has scored this persona yet.</Empty>
          ) : (
            <div className="relative overflow-x-auto">
<table className="w-full rounded-lg border border-slate-200 bg-white text-sm" data-testid="critic-table">
              <thead className="bg-slate-100 text-left">
                <tr>
                  <th className="px-3 py-1.5">Criterion</th>
                  <th className="px-3 py-1.5 text-right">Score (1-10)</th>
                  <th className="px-3 py-1.5">Reason</th>
                </tr>
              </thead>
              <tbody>
                {critic.map(([k, v]) => (
                  <tr key={k} className="border-t border-slate-100 align-top">
                    <td className="px-3 py-1.5">{k}</td>
                    <td className="px-3 py-1.5 text-right tabular-nums">{v.score}</td>
                    <td className="px-3 py-1.5">{v.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
</div>
          )}
        </Section>
        <Section title="Privacy and duplicate flags" id="flags" note="Flags raised by quality checks; they are kept after review.">
          {p.flags.length === 0 ? (
            <Empty testId="flags-empty">No flags.</Empty>
          ) : (
            <ul className="space-y-2 text-sm" data-testid="flag-list">
              {privacyFlags.map((f, i) => (
                <li key={`p${i}`} className="rounded border border-amber-300 bg-amber-50 p-2">
                  <strong>{f.code}</strong>: {f.reason}
                </li>
              ))}
              {duplicateFlags.map((f, i) => (
                <li key={`d${i}`} className="rounded border border-amber-300 bg-amber-50 p-2" data-testid="duplicate-flag">
                  <strong>duplicate</strong>: {f.reason}
                  {f.relatedPersonaId && (
                    <>
                      {' '}
                      · twin{' '}
                      <Link href={`/personas/${f.relatedPersonaId}`} className="text-teal-800 underline">
                        #{f.relatedPersonaId}
                      </Link>
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
          {d.twins.length > 0 && (
            <div className="text-sm">
              <p className="font-medium">Duplicate of</p>
              {d.twins.map((t) => (
                <p key={t.id} className="text-slate-700">
                  <Link className="text-teal-800 underline" href={`/personas/${t.id}`}>
                    #{t.id}
                  </Link>{' '}
                  <StatusBadge status={t.status} /> {t.excerpt}
                </p>
              ))}
            </div>
          )}
          {d.duplicates.length > 0 && (
            <p className="text-sm" data-testid="duplicates-of-this">
              {d.duplicates.length} persona{d.duplicates.length === 1 ? '' : 's'} duplicate this one:{' '}
              {d.duplicates.map((x, i) => (
                <span key={x}>
                  {i > 0 && ', '}
                  <Link className="text-teal-800 underline" href={`/personas/${x}`}>
                    #{x}
                  </Link>
                </span>
              ))}
            </p>
          )}
        </Section>
      </div>

      <Section
        title="Trait profile against the reference"
        id="profile"
        note={
          d.profile
            ? `Scores on the common 1-5 scale from ${d.profile.instrumentName}. Percentile = share of the ${fmtInt.format(d.profile.reference.n)} respondents of "${d.profile.reference.name}" scoring below this persona, ties counted half (50 = the reference median). The reference answered ${d.profile.reference.instrumentId}; scores from other instruments are compared on the shared scale.`
            : undefined
        }
      >
        {!d.profile ? (
          <Empty testId="profile-empty">Not measured yet: this persona has no trait scores.</Empty>
        ) : (
          <div className="relative overflow-x-auto">
<table className="w-full max-w-3xl rounded-lg border border-slate-200 bg-white text-sm" data-testid="profile-table">
            <thead className="bg-slate-100 text-left">
              <tr>
                <th className="px-3 py-1.5">Trait</th>
                <th className="px-3 py-1.5 text-right">Score (1-5)</th>
                <th className="px-3 py-1.5 text-right">Percentile</th>
                <th className="w-1/2 px-3 py-1.5">Position in the reference (0-100th percentile)</th>
              </tr>
            </thead>
            <tbody>
              {TRAITS.map((t) => {
                const pct = d.profile!.percentiles[t];
                const score = d.traitScores[0]![t];
                return (
                  <tr key={t} className="border-t border-slate-100" data-testid={`profile-${t}`}>
                    <td className="px-3 py-1.5">
                      {t} · {TRAIT_NAMES[t]}
                    </td>
                    <td className="px-3 py-1.5 text-right tabular-nums">{fmt2(score)}</td>
                    <td className="px-3 py-1.5 text-right tabular-nums" data-testid={`percentile-${t}`}>
                      {pct.toFixed(0)}
                    </td>
                    <td className="px-3 py-1.5">
                      <div className="relative h-3 rounded bg-slate-100" role="img" aria-label={`${t} at the ${pct.toFixed(0)}th percentile`}>
                        <div className="absolute inset-y-0 left-1/2 w-px bg-slate-400" title="reference median" />
                        <div className="absolute inset-y-0 w-1.5 -translate-x-1/2 rounded bg-teal-700" style={{ left: `${pct}%` }} />
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
</div>
        )}
        {d.traitScores.length > 1 && (
          <p className="text-xs text-slate-600">
            Also measured with:{' '}
            {d.traitScores.slice(1).map((s) => `${s.instrumentName} (E ${fmt2(s.E)}, A ${fmt2(s.A)}, C ${fmt2(s.C)}, N ${fmt2(s.N)}, O ${fmt2(s.O)})`).join('; ')}
          </p>
        )}
      </Section>

      <Section title="Item answers" id="items" note="The persona's answer to each questionnaire item on the instrument's own scale; '-' items are reverse-keyed (scored min + max − answer).">
        {items.length === 0 ? (
          <Empty testId="items-empty">No item answers recorded.</Empty>
        ) : (
          <details className="rounded-lg border border-slate-200 bg-white" data-testid="item-answers">
            <summary className="cursor-pointer px-3 py-2 text-sm">
              {items.length} answers ({[...new Set(items.map((i) => i.instrumentId))].join(', ')}, scale {items[0]!.scaleMin}-{items[0]!.scaleMax}
              {items[0]!.model ? `, model ${items[0]!.model}` : ''}
              {items[0]!.temperature !== null ? `, temperature ${items[0]!.temperature}` : ''})
            </summary>
            <div className="relative overflow-x-auto">
<table className="w-full text-sm">
              <thead className="bg-slate-100 text-left">
                <tr>
                  <th className="px-3 py-1">Item</th>
                  <th className="px-3 py-1">Trait</th>
                  <th className="px-3 py-1">Key</th>
                  <th className="px-3 py-1">Text</th>
                  <th className="px-3 py-1 text-right">Answer</th>
                </tr>
              </thead>
              <tbody>
                {items.map((it) => (
                  <tr key={`${it.instrumentId}-${it.itemId}-${it.repetition}-${it.model}`} className="border-t border-slate-100">
                    <td className="px-3 py-1 tabular-nums">{it.itemId}</td>
                    <td className="px-3 py-1">{it.trait ?? '—'}</td>
                    <td className="px-3 py-1">{it.keyed ?? ''}</td>
                    <td className="px-3 py-1">{it.text ?? ''}</td>
                    <td className="px-3 py-1 text-right tabular-nums">{it.value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
</div>
          </details>
        )}
      </Section>

      <Section title="Recent alignment runs" id="runs" note="Weight = the persona's importance weight in the run (weights sum to 1 over the run's pool); selected = chosen for the aligned set.">
        {d.runs.length === 0 ? (
          <Empty testId="runs-empty">No alignment runs yet.</Empty>
        ) : (
          <div className="relative overflow-x-auto">
<table className="w-full max-w-3xl rounded-lg border border-slate-200 bg-white text-sm" data-testid="runs-table">
            <thead className="bg-slate-100 text-left">
              <tr>
                <th className="px-3 py-1.5">Run</th>
                <th className="px-3 py-1.5">Status</th>
                <th className="px-3 py-1.5 text-right">Pool size</th>
                <th className="px-3 py-1.5 text-right">Weight</th>
                <th className="px-3 py-1.5">Selected</th>
              </tr>
            </thead>
            <tbody>
              {d.runs.map((r) => (
                <tr key={r.id} className="border-t border-slate-100">
                  <td className="px-3 py-1.5">
                    #{r.id} {r.name} <span className="text-xs text-slate-500">{fmtTime(r.createdAt)}</span>
                  </td>
                  <td className="px-3 py-1.5">{r.status}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{fmtInt.format(r.poolSize)}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{r.inPool ? fmtWeight(r.weight) : 'not in pool'}</td>
                  <td className="px-3 py-1.5">{r.selected ? 'yes' : 'no'}</td>
                </tr>
              ))}
            </tbody>
          </table>
</div>
        )}
      </Section>

      <Section title="Review history" id="history">
        <DecisionTable decisions={d.history} show="reviewer" testId="persona-history" />
      </Section>

      <Section title="Revisions" id="revisions" note="A revision is a persona whose parent is another persona (e.g. rewritten after a privacy flag). Each is shown as a word diff against its parent: green added, red removed.">
        {d.revisions.chain.length <= 1 && d.revisions.derived.length === 0 ? (
          <Empty testId="revisions-empty">No revisions: this persona has no parent and nothing was derived from it.</Empty>
        ) : (
          <ol className="space-y-3" data-testid="revision-list">
            {[...d.revisions.chain, ...d.revisions.derived].map((r) => (
              <li key={r.id} className="space-y-1" data-testid="revision" data-id={r.id}>
                <p className="text-sm">
                  <Link className="text-teal-800 underline" href={`/personas/${r.id}`}>
                    #{r.id}
                  </Link>{' '}
                  {r.id === p.id && <strong>(this persona) </strong>}
                  <StatusBadge status={r.status} /> {r.parentId ? `revision of #${r.parentId}: +${r.added} / −${r.removed} words` : 'original'}
                </p>
                {r.diff && <Diff parts={r.diff} />}
              </li>
            ))}
          </ol>
        )}
      </Section>
    </article>
  );
}
