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
import {
  listAuthorsWithKeptPosts,
  listPostStates,
  listUndecidedPosts,
  setPostCleaned,
  setPostLabel,
  setPostsRejected,
} from '../../db/queries/posts';
import { forEachConcurrent, type JobContext } from '../jobs';
import { callLlmObject } from '../llm';
import { generateForAuthor } from './generateAuthor';
import { attempt, summary, type Counters, type GenerationStep } from './generationProgress';
import { recheckSourceDuplicates } from './sourceDuplicates';
import { CLEANUP_PROMPT_VERSION, CLEANUP_SCHEMA_NAME, cleanupMessages, QUALITY_PROMPT_VERSION, QUALITY_SCHEMA_NAME, qualityMessages } from './prompts';
import { RULE_REASONS, ruleFilter } from './filter';
import { generateParamsSchema, postCleanupSchema, postQualitySchema } from './schema';

export const GENERATE_JOB_KIND = 'pipeline.generate';
/** Progress units per author: persona, demographics, critic, privacy. */
const PER_AUTHOR = 4;

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

  const step: GenerationStep = { db, p, signal, jobId, c, report };
  await forEachConcurrent(authors, p.concurrency, (author) => generateForAuthor(step, author), signal);
  if (signal.aborted) return summary(db, p, c, jobId);

  // --- near-duplicates among the current personas of the source ---
  recheckSourceDuplicates({ db, sourceId: p.sourceId, threshold: p.duplicateThreshold });
  c.done++;
  report();
  return summary(db, p, c, jobId);
}
