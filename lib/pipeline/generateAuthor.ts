/** The generation job's work for one author: persona, demographics read by the LLM, critic scores, privacy check. */
import { updatePersonaDemographics } from '../../db/queries/personas';
import { getPersona, getPersonaBySourceExternal, insertMinedPersona, listPersonaPosts, updatePersonaChecks } from '../../db/queries/pipeline';
import type { listAuthorsWithKeptPosts } from '../../db/queries/posts';
import { callLlmObject } from '../llm';
import { personaDemographics } from '../personas/extractDemographics';
import { criticCheck } from './checks';
import { readByLlm, readDemographicsWithLlm } from './demographics';
import { attempt, type GenerationStep } from './generationProgress';
import { privacyStep } from './privacyStep';
import { PERSONA_PROMPT_VERSION, PERSONA_SCHEMA_NAME, personaMessages } from './prompts';
import { personaOutputSchema } from './schema';

/** The external id of the persona mined from an author. */
export const personaExternalId = (authorExternalId: string) => `author:${authorExternalId}`;

/** One author's steps; each is skipped when its result is stored, and a failure is counted, not thrown. */
export async function generateForAuthor(step: GenerationStep, author: ReturnType<typeof listAuthorsWithKeptPosts>[number]): Promise<void> {
  const { db, p, signal, jobId, c, report } = step;
  const externalId = personaExternalId(author.externalId);
  let persona = getPersonaBySourceExternal({ db, sourceId: p.sourceId, externalId });
  const used = author.posts.slice(0, p.maxPostsPerPersona);
  if (!persona) {
    await attempt(c, signal, `persona for author ${author.externalId}`, async () => {
      const r = await callLlmObject({
        role: 'generator',
        promptVersion: PERSONA_PROMPT_VERSION,
        messages: personaMessages(used.map((x) => x.text)),
        schema: personaOutputSchema,
        schemaName: PERSONA_SCHEMA_NAME,
        temperature: p.generatorTemperature,
        db,
        signal,
      });
      const v = r.value;
      const clean = (s: string) => (s.trim() === '' ? 'unknown' : s.trim());
      persona = insertMinedPersona({
        db,
        persona: {
          sourceId: p.sourceId,
          externalId,
          authorId: author.authorId,
          name: v.name,
          narrative: v.narrative.trim(),
          // The generator's structured fields are 'given'; what it left empty is read from the narrative.
          ...personaDemographics({ age: v.age, gender: v.gender, country: clean(v.country), occupation: clean(v.occupation) }, v.narrative),
          model: r.model,
          promptVersion: r.promptVersion,
          status: 'draft',
          metadata: { generation: { jobId, llmCallId: r.callId, temperature: p.generatorTemperature, posts: used.length } },
        },
        postIds: used.map((x) => x.id),
      }).persona;
    });
  }
  if (!persona) {
    report();
    return;
  }
  c.done++;
  report();

  // demographics the generator left unknown, read from the narrative by the LLM (a rewrite copies them)
  if (!readByLlm(persona.demographicsOrigin, persona.narrative)) {
    const current = persona;
    const ok = await attempt(c, signal, `demographics for persona ${current.id}`, async () => {
      const r = await readDemographicsWithLlm({ persona: current, db, signal });
      updatePersonaDemographics({ db, rows: [r.row] });
      persona = getPersona({ db, id: current.id }) ?? current;
    });
    if (ok) c.done++;
  } else c.done++;
  report();

  const posts = listPersonaPosts({ db, personaId: persona.id }).map((x) => x.cleanedText ?? x.text);

  // critic
  if (!persona.qualityScores?.overall) {
    const current = persona;
    const ok = await attempt(c, signal, `critic for persona ${current.id}`, async () => {
      const r = await criticCheck.run({
        narrative: current.narrative,
        posts,
        db,
        signal,
        options: { overallAbove: p.criticOverallAbove, othersAbove: p.criticOthersAbove },
      });
      const scores = (r.details!.scores ?? {}) as Record<string, { score: number; reason: string }>;
      persona = updatePersonaChecks({
        db,
        id: current.id,
        scores,
        addFlags: r.passed ? [] : [{ code: 'critic', reason: r.reasons.join('; ') }],
        removeFlagCodes: r.passed ? ['critic'] : [],
        metadata: { critic: { passed: r.passed, model: r.model, promptVersion: r.promptVersion, llmCallId: r.llmCallId, overallAbove: p.criticOverallAbove, othersAbove: p.criticOthersAbove } },
      });
    });
    if (ok) c.done++;
  } else c.done++;
  report();

  // privacy
  if (!(persona.metadata as { privacy?: unknown } | null)?.privacy) {
    const current = persona;
    const ok = await attempt(c, signal, `privacy for persona ${current.id}`, () => privacyStep(db, p, current, signal, jobId));
    if (ok) c.done++;
  } else c.done++;
  report();
}
