import { notFound } from 'next/navigation';
import { DecisionTable } from '@/components/review/DecisionTable';
import { CriticScores } from '@/components/personas/CriticScores';
import { ItemAnswers } from '@/components/personas/ItemAnswers';
import { PersonaFlags } from '@/components/personas/PersonaFlags';
import { PersonaHeader } from '@/components/personas/PersonaHeader';
import { PersonaOverview } from '@/components/personas/PersonaOverview';
import { PersonaRevisions } from '@/components/personas/PersonaRevisions';
import { PersonaRuns } from '@/components/personas/PersonaRuns';
import { Section } from '@/components/personas/PersonaSection';
import { SourcePosts } from '@/components/personas/SourcePosts';
import { TraitProfile } from '@/components/personas/TraitProfile';
import { AppError } from '@/lib/http/errors';
import { getPersonaDetail, getPersonaName, type PersonaDetail } from '@/lib/personas/service';
import { requirePageAccess } from '@/lib/auth/dal';

export const dynamic = 'force-dynamic';

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
  return (
    <article className="space-y-8" data-testid="persona-page" data-id={p.id}>
      <PersonaHeader detail={d} />
      <PersonaOverview persona={p} />
      <SourcePosts detail={d} />
      <div className="grid gap-8 lg:grid-cols-2">
        <CriticScores persona={p} />
        <PersonaFlags detail={d} />
      </div>
      <TraitProfile detail={d} />
      <ItemAnswers detail={d} />
      <PersonaRuns detail={d} />
      <Section title="Review history" id="history">
        <DecisionTable decisions={d.history} show="reviewer" testId="persona-history" />
      </Section>
      <PersonaRevisions detail={d} />
    </article>
  );
}
