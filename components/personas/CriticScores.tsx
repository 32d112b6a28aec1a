import { Empty, Section } from './PersonaSection';
import type { PersonaDetail } from '@/lib/personas/service';

/** The critic model's scores of a persona, each with its reason. */
export function CriticScores({ persona: p }: { persona: PersonaDetail['persona'] }) {
  const critic = p.qualityScores ? Object.entries(p.qualityScores) : [];
  return (
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
  );
}
