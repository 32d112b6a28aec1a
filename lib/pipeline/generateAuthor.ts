/**
 * The generation job's unit for one author: persona, demographics read by the LLM, critic scores, privacy check.
 * Every LLM call runs first; the writes are collected and run, in order, in the transaction that marks the unit done
 * (a persona is stored with all its checks, or not at all). A step whose result is stored is skipped; a step that
 * fails fails the attempt (the unit is tried again; calls already answered come from the cache).
 */
import { updatePersonaDemographics } from '../../db/queries/personaDemographics';
import { getPersonaBySourceExternal, insertMinedPersona, listPersonaPosts, updatePersonaChecks } from '../../db/queries/pipeline';
import type { listAuthorsWithKeptPosts } from '../../db/queries/posts';
import type { NewPersona, Persona } from '../../db/schema';
import type { UnitContext, UnitOutcome } from '../jobs';
import { callLlmObject, LlmCallError } from '../llm';
import { personaDemographics } from '../personas/extractDemographics';
import { criticCheck } from './checks';
import { readByLlm, readDemographicsWithLlm } from './demographics';
import { checkPrivacy } from './generatePrivacy';
import { PERSONA_PROMPT_VERSION, PERSONA_SCHEMA_NAME, personaMessages } from './prompts';
import { personaOutputSchema, type GenerateParams } from './schema';

/** The external id of the persona mined from an author. */
export const personaExternalId = (authorExternalId: string) => `author:${authorExternalId}`;

export type AuthorWithPosts = ReturnType<typeof listAuthorsWithKeptPosts>[number];

/** Runs a step; its failure names the step (and an unparsable reply's start), unless the unit was stopped. */
async function step<T>(signal: AbortSignal, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (signal.aborted) throw err;
    const raw = err instanceof LlmCallError && err.raw ? ` raw: ${err.raw.slice(0, 200)}` : '';
    throw new Error(`${what}: ${err instanceof Error ? err.message : String(err)}${raw}`, { cause: err });
  }
}

/** The fields the steps read, of the stored persona or of the one about to be inserted. */
type Draft = Pick<Persona, 'sourceId' | 'externalId' | 'narrative' | 'age' | 'ageBand' | 'gender' | 'country' | 'occupation' | 'demographicsOrigin' | 'qualityScores' | 'metadata'>;

/** One author's unit (four progress units: persona, demographics, critic, privacy). */
export async function generateForAuthor(ctx: UnitContext<GenerateParams>, author: AuthorWithPosts): Promise<UnitOutcome> {
  const { db, params: p, signal, jobId } = ctx;
  const externalId = personaExternalId(author.externalId);
  const stored = getPersonaBySourceExternal({ db, sourceId: p.sourceId, externalId });
  const used = author.posts.slice(0, p.maxPostsPerPersona);
  let insert: NewPersona | null = null;
  let draft: Draft;
  const writes: ((personaId: number) => void)[] = [];
  let done = 0;
  const tick = () => ctx.progress(++done);

  if (stored) draft = stored;
  else {
    const r = await step(signal, `persona for author ${author.externalId}`, () =>
      callLlmObject({
        role: 'generator',
        promptVersion: PERSONA_PROMPT_VERSION,
        messages: personaMessages(used.map((x) => x.text)),
        schema: personaOutputSchema,
        schemaName: PERSONA_SCHEMA_NAME,
        temperature: p.generatorTemperature,
        db,
        signal,
      }),
    );
    const v = r.value;
    const clean = (s: string) => (s.trim() === '' ? 'unknown' : s.trim());
    insert = {
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
    };
    draft = {
      sourceId: insert.sourceId,
      externalId,
      narrative: insert.narrative,
      age: insert.age ?? null,
      ageBand: insert.ageBand ?? 'unknown',
      gender: insert.gender ?? 'unknown',
      country: insert.country ?? 'unknown',
      occupation: insert.occupation ?? 'unknown',
      demographicsOrigin: insert.demographicsOrigin ?? null,
      qualityScores: null,
      metadata: insert.metadata ?? null,
    };
  }
  tick();

  // demographics the generator left unknown, read from the narrative by the LLM (a rewrite copies them)
  if (!readByLlm(draft.demographicsOrigin, draft.narrative)) {
    const subject = { id: stored?.id ?? 0, ...draft };
    const r = await step(signal, `demographics for ${stored ? `persona ${stored.id}` : `author ${author.externalId}`}`, () =>
      readDemographicsWithLlm({ persona: subject, db, signal }),
    );
    const { id: _id, ...values } = r.row;
    void _id;
    draft = { ...draft, ...values };
    if (insert) insert = { ...insert, ...values };
    else writes.push((id) => updatePersonaDemographics({ db, rows: [{ ...r.row, id }] }));
  }
  tick();

  // critic
  if (!draft.qualityScores?.overall) {
    const posts = stored ? listPersonaPosts({ db, personaId: stored.id }).map((x) => x.cleanedText ?? x.text) : used.map((x) => x.text);
    const narrative = draft.narrative;
    const r = await step(signal, `critic for ${stored ? `persona ${stored.id}` : `author ${author.externalId}`}`, () =>
      criticCheck.run({ narrative, posts, db, signal, options: { overallAbove: p.criticOverallAbove, othersAbove: p.criticOthersAbove } }),
    );
    const scores = (r.details!.scores ?? {}) as Record<string, { score: number; reason: string }>;
    writes.push((id) =>
      updatePersonaChecks({
        db,
        id,
        scores,
        addFlags: r.passed ? [] : [{ code: 'critic', reason: r.reasons.join('; ') }],
        removeFlagCodes: r.passed ? ['critic'] : [],
        metadata: { critic: { passed: r.passed, model: r.model, promptVersion: r.promptVersion, llmCallId: r.llmCallId, overallAbove: p.criticOverallAbove, othersAbove: p.criticOthersAbove } },
      }),
    );
  }
  tick();

  // privacy
  if (!(draft.metadata as { privacy?: unknown } | null)?.privacy) {
    const subject = { sourceId: draft.sourceId, externalId, narrative: draft.narrative };
    writes.push(await step(signal, `privacy for ${stored ? `persona ${stored.id}` : `author ${author.externalId}`}`, () => checkPrivacy(db, p, subject, signal, jobId)));
  }
  tick();

  const toInsert = insert;
  return {
    write: () => {
      const id = stored?.id ?? insertMinedPersona({ db, persona: toInsert!, postIds: used.map((x) => x.id) }).persona.id;
      for (const w of writes) w(id);
    },
    result: { author: author.externalId, created: !stored },
  };
}
