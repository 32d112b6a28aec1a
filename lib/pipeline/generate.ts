/**
 * The generation job (stage 1): posts -> filtered, denoised, labelled posts -> one grounded narrative persona per
 * author -> demographics read by the LLM (lib/pipeline/demographics.ts) -> critic scores -> privacy check (and
 * rewrite) -> near-duplicate flags.
 *
 * Idempotent: every step first looks at what is stored (a labelled post, a persona for the author, a demographics
 * reading, critic scores, a privacy result, a duplicate flag) and skips done work, and every LLM call is cached, so a
 * resumed or repeated job finishes the remaining work without duplicates and without paying twice. Progress units:
 * one per post that passes the rule filter, four per author (persona, demographics, critic, privacy) and one for the
 * duplicate pass.
 */
import { personaDemographics } from '../personas/extractDemographics';
import type { Db } from '../../db/client';
import { updatePersonaDemographics } from '../../db/queries/personas';
import {
  getPersona,
  getPersonaBySourceExternal,
  insertMinedPersona,
  listPersonaPosts,
  listSourcePersonas,
  updatePersonaChecks,
} from '../../db/queries/pipeline';
import {
  listAuthorsWithKeptPosts,
  listPostStates,
  listUndecidedPosts,
  setPostCleaned,
  setPostLabel,
  setPostsRejected,
} from '../../db/queries/posts';
import type { Persona, PersonaFlag } from '../../db/schema';
import { forEachConcurrent, type JobContext } from '../jobs';
import { callLlmObject, LlmCallError } from '../llm';
import { criticCheck, privacyLlmCheck, runPrivacyRules } from './checks';
import { readByLlm, readDemographicsWithLlm } from './demographics';
import { recheckSourceDuplicates } from './sourceDuplicates';
import {
  CLEANUP_PROMPT_VERSION,
  CLEANUP_SCHEMA_NAME,
  cleanupMessages,
  PERSONA_PROMPT_VERSION,
  PERSONA_SCHEMA_NAME,
  personaMessages,
  PRIVACY_REWRITE_PROMPT_VERSION,
  PRIVACY_REWRITE_SCHEMA_NAME,
  privacyRewriteMessages,
  QUALITY_PROMPT_VERSION,
  QUALITY_SCHEMA_NAME,
  qualityMessages,
} from './prompts';
import { RULE_REASONS, ruleFilter } from './filter';
import {
  generateParamsSchema,
  personaOutputSchema,
  postCleanupSchema,
  postQualitySchema,
  privacyRewriteSchema,
  type GenerateParams,
} from './schema';

export const GENERATE_JOB_KIND = 'pipeline.generate';
/** Progress units per author: persona, demographics, critic, privacy. */
const PER_AUTHOR = 4;

/** The external id of the persona mined from an author, and of its privacy rewrite. */
export const personaExternalId = (authorExternalId: string) => `author:${authorExternalId}`;
export const rewriteExternalId = (externalId: string) => `${externalId}#private`;

interface Counters {
  done: number;
  total: number;
  failures: number;
  failureLog: string[];
}

function noteFailure(c: Counters, what: string, err: unknown): void {
  c.failures++;
  const e = err as Error;
  const raw = err instanceof LlmCallError && err.raw ? ` raw: ${err.raw.slice(0, 200)}` : '';
  if (c.failureLog.length < 50) c.failureLog.push(`${what}: ${e?.message ?? String(err)}${raw}`);
}

/** Runs `fn`; a failure is counted (not thrown) unless the job was cancelled. */
async function attempt(c: Counters, signal: AbortSignal, what: string, fn: () => Promise<void>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (err) {
    if (signal.aborted) throw err;
    noteFailure(c, what, err);
    return false;
  }
}

export async function runGeneration(ctx: JobContext<Record<string, unknown>>): Promise<Record<string, unknown>> {
  const p = generateParamsSchema.parse(ctx.params);
  const { db, signal, jobId } = ctx;
  const c: Counters = { done: 0, total: 0, failures: 0, failureLog: [] };
  const report = () => ctx.progress({ done: c.done, total: c.total, failures: c.failures });

  // --- posts: rule filter (no LLM), then denoise + label ---
  const undecided = listUndecidedPosts({ db, sourceId: p.sourceId });
  const rejected: { id: number; reason: string }[] = [];
  const candidates = undecided.filter((post) => {
    const r = ruleFilter(post.text, p);
    if (!r.pass) rejected.push({ id: post.id, reason: r.reason! });
    return r.pass;
  });
  setPostsRejected({ db, rows: rejected });
  const states = listPostStates({ db, sourceId: p.sourceId });
  const ruleRejected = new Set<string>(RULE_REASONS);
  const postUnits = states.filter((s) => !(s.kept === false && s.filterReason && ruleRejected.has(s.filterReason)));
  const labelled = postUnits.filter((s) => s.kept !== null).length;
  // authors that may reach the threshold: kept or still undecided posts
  const perAuthor = new Map<number, number>();
  for (const s of postUnits) if (s.kept !== false) perAuthor.set(s.authorId, (perAuthor.get(s.authorId) ?? 0) + 1);
  const authorEstimate = [...perAuthor.values()].filter((n) => n >= p.minPostsPerAuthor).length;
  c.total = postUnits.length + authorEstimate * PER_AUTHOR + 1;
  c.done = labelled;
  report();

  await forEachConcurrent(
    candidates,
    p.concurrency,
    async (post) => {
      const ok = await attempt(c, signal, `post ${post.id}`, async () => {
        let text = post.cleanedText ?? post.text;
        if (p.denoise && post.cleanedText === null) {
          const r = await callLlmObject({
            role: 'generator',
            promptVersion: CLEANUP_PROMPT_VERSION,
            messages: cleanupMessages(post.text),
            schema: postCleanupSchema,
            schemaName: CLEANUP_SCHEMA_NAME,
            temperature: 0,
            db,
            signal,
          });
          text = r.value.text.trim() || post.text;
          setPostCleaned({ db, id: post.id, cleanedText: text });
        }
        const q = await callLlmObject({
          role: 'critic',
          promptVersion: QUALITY_PROMPT_VERSION,
          messages: qualityMessages(text),
          schema: postQualitySchema,
          schemaName: QUALITY_SCHEMA_NAME,
          temperature: 0,
          db,
          signal,
        });
        const kept = p.keepQualities.includes(q.value.quality) && !q.value.harmful;
        setPostLabel({
          db,
          id: post.id,
          quality: q.value.quality,
          harmful: q.value.harmful,
          kept,
          filterReason: q.value.harmful ? 'harmful' : kept ? null : `quality_${q.value.quality}`,
        });
      });
      if (ok) c.done++;
      report();
    },
    signal,
  );
  if (signal.aborted) return summary(db, p, c, jobId);

  // --- authors: persona, critic, privacy ---
  const authors = listAuthorsWithKeptPosts({ db, sourceId: p.sourceId, minPosts: p.minPostsPerAuthor });
  c.total = postUnits.length + authors.length * PER_AUTHOR + 1;
  report();

  await forEachConcurrent(
    authors,
    p.concurrency,
    async (author) => {
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
    },
    signal,
  );
  if (signal.aborted) return summary(db, p, c, jobId);

  // --- near-duplicates among the current personas of the source ---
  recheckSourceDuplicates({ db, sourceId: p.sourceId, threshold: p.duplicateThreshold });
  c.done++;
  report();
  return summary(db, p, c, jobId);
}

async function privacyStep(db: Db, p: GenerateParams, persona: Persona, signal: AbortSignal, jobId: number): Promise<void> {
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

function summary(db: Db, p: GenerateParams, c: Counters, jobId: number): Record<string, unknown> {
  const personas = listSourcePersonas({ db, sourceId: p.sourceId });
  const flagged: Record<string, number> = {};
  for (const x of personas) for (const f of x.flags) flagged[f.code] = (flagged[f.code] ?? 0) + 1;
  return {
    jobId,
    sourceId: p.sourceId,
    personas: personas.length,
    rewrites: personas.filter((x) => x.parentId !== null).length,
    flagged,
    failures: c.failures,
    failureLog: c.failureLog,
  };
}

