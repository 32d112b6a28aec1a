/**
 * The generation job's privacy step in two halves, so that an author's unit stores everything in one transaction:
 * `checkPrivacy` runs the rules and the LLM calls (the optional LLM check, the rewrite of a flagged persona) and
 * returns the write, which stores the rewrite as a child persona (built from the parent as the unit's earlier writes
 * left it) and the privacy result on the parent.
 */
import type { Db } from '../../db/client';
import { getPersona, getPersonaBySourceExternal, insertMinedPersona, listPersonaPosts, updatePersonaChecks } from '../../db/queries/pipeline';
import type { PersonaFlag } from '../../db/schema';
import { callLlmObject } from '../llm';
import { privacyLlmCheck, runPrivacyRules } from './checks';
import { PRIVACY_REWRITE_PROMPT_VERSION, PRIVACY_REWRITE_SCHEMA_NAME, privacyRewriteMessages } from './prompts';
import { privacyRewriteSchema, type GenerateParams } from './schema';

/** The external id of a persona's privacy rewrite. */
export const rewriteExternalId = (externalId: string) => `${externalId}#private`;

/** What the privacy step reads of the persona. */
export interface PrivacySubject {
  sourceId: string;
  externalId: string;
  narrative: string;
}

/** Runs the privacy checks (and the rewrite) of a persona; returns the write of the result, given the persona's id. */
export async function checkPrivacy(db: Db, p: GenerateParams, persona: PrivacySubject, signal: AbortSignal, jobId: number): Promise<(personaId: number) => void> {
  const rules = runPrivacyRules(persona.narrative);
  let llm: Awaited<ReturnType<typeof privacyLlmCheck.run>> | null = null;
  if (p.privacyLlm) llm = await privacyLlmCheck.run({ narrative: persona.narrative, posts: [], db, signal });
  const flagged = !rules.passed || (llm !== null && !llm.passed);
  const reasons = [...rules.reasons.map((r) => `rule: ${r}`), ...(llm && !llm.passed ? llm.reasons.map((r) => `llm: ${r}`) : [])];
  const childExternalId = rewriteExternalId(persona.externalId);
  let storedChildId: number | null = null;
  let rewrite: { narrative: string; model: string; promptVersion: string; callId: number; flags: PersonaFlag[]; rules: unknown; stillFlagged: boolean } | null = null;
  if (flagged && p.privacyRewrite) {
    storedChildId = getPersonaBySourceExternal({ db, sourceId: persona.sourceId, externalId: childExternalId })?.id ?? null;
    if (storedChildId === null) {
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
      rewrite = {
        narrative: r.value.narrative.trim(),
        model: r.model,
        promptVersion: r.promptVersion,
        callId: r.callId,
        flags: after.passed ? [] : [{ code: 'privacy', reason: `still after rewrite: ${after.reasons.join('; ')}` }],
        rules: after.details,
        stillFlagged: !after.passed,
      };
    }
  }
  return (personaId) => {
    let rewriteId = storedChildId;
    if (rewrite) {
      const parent = getPersona({ db, id: personaId })!;
      rewriteId = insertMinedPersona({
        db,
        persona: {
          sourceId: parent.sourceId,
          externalId: childExternalId,
          authorId: parent.authorId,
          parentId: parent.id,
          name: null,
          narrative: rewrite.narrative,
          age: parent.age,
          ageBand: parent.ageBand,
          gender: parent.gender,
          country: parent.country,
          occupation: parent.occupation,
          demographicsOrigin: parent.demographicsOrigin,
          model: rewrite.model,
          promptVersion: rewrite.promptVersion,
          status: rewrite.flags.length ? 'flagged' : 'draft',
          qualityScores: parent.qualityScores,
          flags: [...parent.flags.filter((f) => f.code !== 'privacy'), ...rewrite.flags],
          metadata: {
            privacy: { checked: true, flagged: rewrite.stillFlagged, rewriteOf: parent.id, rules: rewrite.rules },
            rewrite: { jobId, llmCallId: rewrite.callId, of: parent.id, needsHumanCheck: true },
          },
        },
        postIds: listPersonaPosts({ db, personaId: parent.id }).map((x) => x.id),
      }).persona.id;
    }
    updatePersonaChecks({
      db,
      id: personaId,
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
  };
}
