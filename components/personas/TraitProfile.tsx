import { fmt2, fmtInt } from './format';
import { Empty, Section } from './PersonaSection';
import { TRAIT_NAMES, TRAIT_NOTES, TRAITS, type Trait } from '@/lib/core/traits';
import type { PersonaDetail } from '@/lib/personas/service';

/** "Neuroticism (high = less stable)": the name with what a high score means where that is not obvious. */
const nameWithNote = (t: Trait) => (TRAIT_NOTES[t] ? `${TRAIT_NAMES[t]} (${TRAIT_NOTES[t]})` : TRAIT_NAMES[t]);

/** A persona's trait scores with their percentiles in the reference, and its scores from other instruments. */
export function TraitProfile({ detail: d }: { detail: PersonaDetail }) {
  return (
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
                      {t} · {nameWithNote(t)}
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
  );
}
