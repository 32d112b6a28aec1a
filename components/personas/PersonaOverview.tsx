import { Section } from './PersonaSection';
import type { PersonaDetail } from '@/lib/personas/service';

/** The persona's narrative next to its demographics, each value with how it was obtained. */
export function PersonaOverview({ persona: p }: { persona: PersonaDetail['persona'] }) {
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
  return (
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
  );
}
