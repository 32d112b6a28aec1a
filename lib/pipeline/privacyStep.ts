/** The generation job's privacy step: rules and an optional LLM check, a flagged persona rewritten as a child persona. */
import type { Db } from '../../db/client';
import { getPersonaBySourceExternal, insertMinedPersona, listPersonaPosts, updatePersonaChecks } from '../../db/queries/pipeline';
import type { Persona, PersonaFlag } from '../../db/schema';
import { callLlmObject } from '../llm';
import { privacyLlmCheck, runPrivacyRules } from './checks';
import { PRIVACY_REWRITE_PROMPT_VERSION, PRIVACY_REWRITE_SCHEMA_NAME, privacyRewriteMessages } from './prompts';
import { privacyRewriteSchema, type GenerateParams } from './schema';

/** The external id of a persona's privacy rewrite. */
export const rewriteExternalId = (externalId: string) => `${externalId}#private`;

export async function privacyStep(db: Db, p: GenerateParams, persona: Persona, signal: AbortSignal, jobId: number): Promise<void> {
  const rules = runPrivacyRules(persona.narrative);
  let llm: Awaited<ReturnType<typeof privacyLlmCheck.run>> | null = null;
  if (p.privacyLlm) llm = await privacyLlmCheck.run({ narrative: persona.narrative, posts: [], db, signal });
  const flagged = !rules.passed || (llm !== null && !llm.passed);
  const reasons = [...rules.reasons.map((r) => `rule: ${r}`), ...(llm && !llm.passed ? llm.reasons.map((r) => `llm: ${r}`) : [])];
  let rewriteId: number | null = null;
  if (flagged && p.privacyRewrite) {
    const externalId = rewriteExternalId(persona.externalId);
    let child = getPersonaBySourceExternal({ db, sourceId: persona.sourceId, externalId });
    if (!child) {
      const r = await callLlmObject({
        role: 'generator',
        promptVersion: PRIVACY_REWRITE_PROMPT_VERSION,
        messages: privacyRewriteMessages(persona.narrative, reasons),
        schema: privacyRewriteSchema,
        schemaName: PRIVACY_REWRITE_SCHEMA_NAME,
        temperature: 0,
        db,
        signal,
      });
      const after = runPrivacyRules(r.value.narrative);
      const flags: PersonaFlag[] = after.passed ? [] : [{ code: 'privacy', reason: `still after rewrite: ${after.reasons.join('; ')}` }];
      const links = listPersonaPosts({ db, personaId: persona.id }).map((x) => x.id);
      child = insertMinedPersona({
        db,
        persona: {
          sourceId: persona.sourceId,
          externalId,
          authorId: persona.authorId,
          parentId: persona.id,
          name: null,
          narrative: r.value.narrative.trim(),
          age: persona.age,
          ageBand: persona.ageBand,
          gender: persona.gender,
          country: persona.country,
          occupation: persona.occupation,
          demographicsOrigin: persona.demographicsOrigin,
          model: r.model,
          promptVersion: r.promptVersion,
          status: flags.length ? 'flagged' : 'draft',
          qualityScores: persona.qualityScores,
          flags: [...persona.flags.filter((f) => f.code !== 'privacy'), ...flags],
          metadata: {
            privacy: { checked: true, flagged: !after.passed, rewriteOf: persona.id, rules: after.details },
            rewrite: { jobId, llmCallId: r.callId, of: persona.id, needsHumanCheck: true },
          },
        },
        postIds: links,
      }).persona;
    }
    rewriteId = child.id;
  }
  updatePersonaChecks({
    db,
    id: persona.id,
    addFlags: flagged
      ? [{ code: 'privacy', reason: `${reasons.join('; ')}${rewriteId ? ` (rewritten as persona ${rewriteId})` : ''}`, ...(rewriteId ? { relatedPersonaId: rewriteId } : {}) }]
      : [],
    metadata: {
      privacy: {
        checked: true,
        flagged,
        rules: rules.details,
        llm: llm ? { passed: llm.passed, details: llm.details, llmCallId: llm.llmCallId, promptVersion: llm.promptVersion } : null,
        rewriteId,
      },
    },
  });
}
