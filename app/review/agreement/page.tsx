import Link from 'next/link';
import { SettleConflict } from '@/components/review/SettleConflict';
import { StatusBadge } from '@/components/personas/StatusBadge';
import { fmtInt, fmtTime } from '@/components/personas/format';
import { getAgreement } from '@/lib/review/agreement';
import { currentReviewer } from '@/lib/review/reviewer';
import { getReasonCodes } from '@/lib/review/service';
import { requirePageAccess } from '@/lib/auth/dal';

export const dynamic = 'force-dynamic';

const k = (v: number | null) => (v === null ? 'undefined' : v.toFixed(3));
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/** Landis & Koch (1977) verbal labels, for orientation only. */
function band(v: number | null): string {
  if (v === null) return 'undefined (everyone gave one and the same decision)';
  if (v < 0) return 'worse than chance';
  if (v <= 0.2) return 'slight';
  if (v <= 0.4) return 'fair';
  if (v <= 0.6) return 'moderate';
  if (v <= 0.8) return 'substantial';
  return 'almost perfect';
}

export default async function AgreementPage() {
  await requirePageAccess();
  const a = getAgreement();
  const reviewer = await currentReviewer();
  const reasonCodes = getReasonCodes().map((r) => ({ code: r.code, label: r.label }));
  return (
    <div className="space-y-8">
      <div>
        <p className="text-sm">
          <Link href="/review" className="text-teal-800 underline">
            ← Review
          </Link>
        </p>
        <h1 className="text-2xl font-semibold">Agreement between reviewers</h1>
        <p className="max-w-3xl text-sm text-slate-600">
          Kappa measures how often reviewers agree beyond what chance would give: κ = (observed agreement − chance agreement) / (1 − chance
          agreement). 1 = always agree, 0 = no better than chance, below 0 = worse than chance. A reviewer&apos;s rating of a persona is their
          latest accept or reject still in effect; settlements are not counted. Verbal labels follow Landis &amp; Koch (1977).
        </p>
      </div>

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Pairs of reviewers (Cohen&apos;s kappa)</h2>
        {a.pairs.length === 0 ? (
          <p className="text-sm text-slate-600" data-testid="pairs-empty">
            No two reviewers have judged the same persona yet. Use the &ldquo;second opinion&rdquo; queue on the Review screen.
          </p>
        ) : (
          <table className="w-full max-w-4xl rounded-lg border border-slate-200 bg-white text-sm" data-testid="pairs-table">
            <caption className="caption-bottom px-3 py-2 text-left text-xs text-slate-500">
              Shared = personas both judged. Observed = share of those with the same decision. Chance = agreement expected from each
              reviewer&apos;s own accept/reject rates. Cohen (1960).
            </caption>
            <thead className="bg-slate-100 text-left">
              <tr>
                <th className="px-3 py-2">Reviewers</th>
                <th className="px-3 py-2 text-right">Shared</th>
                <th className="px-3 py-2 text-right">Observed</th>
                <th className="px-3 py-2 text-right">Chance</th>
                <th className="px-3 py-2 text-right">κ</th>
                <th className="px-3 py-2">Reading</th>
              </tr>
            </thead>
            <tbody>
              {a.pairs.map((p) => (
                <tr key={`${p.a}|${p.b}`} className="border-t border-slate-100" data-testid="pair-row">
                  <td className="px-3 py-2">
                    {p.a} &amp; {p.b}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{fmtInt.format(p.n)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{pct(p.observedAgreement)}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{pct(p.expectedAgreement)}</td>
                  <td className="px-3 py-2 text-right font-medium tabular-nums" data-testid="pair-kappa">
                    {k(p.kappa)}
                  </td>
                  <td className="px-3 py-2">{band(p.kappa)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">All reviewers (Fleiss&apos; kappa)</h2>
        {a.fleiss ? (
          <p className="text-sm" data-testid="fleiss">
            κ = <strong className="tabular-nums">{k(a.fleiss.kappa)}</strong> ({band(a.fleiss.kappa)}) over {fmtInt.format(a.fleiss.subjects)} personas judged by two or more of
            the {a.reviewers.length} reviewers ({fmtInt.format(a.fleiss.ratings)} ratings); observed pairwise agreement {pct(a.fleiss.observedAgreement)}, chance{' '}
            {pct(a.fleiss.expectedAgreement)} (pooled accept/reject rates). Fleiss (1971).
          </p>
        ) : (
          <p className="text-sm text-slate-600" data-testid="fleiss-empty">
            Fleiss&apos; kappa needs three or more reviewers with overlapping judgements ({a.reviewers.length} reviewer{a.reviewers.length === 1 ? '' : 's'} so far).
          </p>
        )}
      </section>

      <section className="space-y-2">
        <h2 className="text-lg font-semibold">
          Conflicts to settle <span className="text-sm font-normal text-slate-600">({a.conflicts.length})</span>
        </h2>
        <p className="text-xs text-slate-500">
          A conflict is a persona on which reviewers&apos; current decisions differ and no settlement has been recorded since. Settling records
          a final decision {reviewer ? `as ${reviewer}` : '(enter your name on the Review screen first)'}; the persona&apos;s status follows it.
        </p>
        {a.conflicts.length === 0 ? (
          <p className="text-sm text-slate-600" data-testid="conflicts-empty">
            No open conflicts.
          </p>
        ) : (
          <ul className="space-y-3" data-testid="conflicts">
            {a.conflicts.map((c) => (
              <li key={c.personaId} className="space-y-2 rounded-lg border border-slate-200 bg-white p-3" data-testid="conflict" data-id={c.personaId}>
                <p className="text-sm">
                  <Link className="font-medium text-teal-800 underline" href={`/personas/${c.personaId}`}>
                    #{c.personaId} {c.name ?? ''}
                  </Link>{' '}
                  <StatusBadge status={c.status} /> <span className="text-slate-600">{c.excerpt}</span>
                </p>
                <ul className="text-sm">
                  {c.ratings.map((r) => (
                    <li key={r.decisionId}>
                      <strong>{r.reviewer}</strong>: {r.decision}
                      {r.reasonCode ? ` (${reasonCodes.find((x) => x.code === r.reasonCode)?.label ?? r.reasonCode})` : ''}
                      {r.note ? ` — ${r.note}` : ''} <span className="text-xs text-slate-500">{fmtTime(r.createdAt)}</span>
                    </li>
                  ))}
                </ul>
                {reviewer && <SettleConflict personaId={c.personaId} reasonCodes={reasonCodes} />}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
