/**
 * The generation job (stage 1): posts -> filtered, denoised, labelled posts -> one grounded narrative persona per
 * author -> demographics read by the LLM (lib/pipeline/demographics.ts) -> critic scores -> privacy check (and
 * rewrite) -> near-duplicate flags.
 *
 * A job of units (lib/jobs/units.ts) in three stages, each planned when the one before it is settled: `posts` (the
 * rule filter runs while planning; one unit per post that passes it and is not labelled yet: denoise + label),
 * `authors` (one unit per author with enough kept posts: generateAuthor.ts) and `duplicates` (one unit: the
 * near-duplicate pass over the source). Each unit's writes are stored in the transaction that marks it done.
 *
 * Idempotent: every step first looks at what is stored (a labelled post, a persona for the author, a demographics
 * reading, critic scores, a privacy result, a duplicate flag) and skips done work, and every LLM call is cached, so a
 * resumed or repeated job finishes the remaining work without duplicates and without paying twice. Progress units:
 * one per post unit, four per author (persona, demographics, critic, privacy) and one for the duplicate pass; until
 * the authors are planned, the total estimates them from the posts kept or still undecided.
 */
import type { Db } from '../../db/client';
import { getJobRow } from '../../db/queries/jobs';
import {
  listAuthorsWithKeptPosts,
  listPostStates,
  listUndecidedPosts,
  setPostCleaned,
  setPostLabel,
  setPostsRejected,
} from '../../db/queries/posts';
import type { JobUnit, Post } from '../../db/schema';
import { runUnitsInline, type JobContext, type StagePlan, type UnitContext, type UnitOutcome, type UnitPlan } from '../jobs';
import { callLlmObject, LlmCallError } from '../llm';
import { generateForAuthor, type AuthorWithPosts } from './generateAuthor';
import { summary } from './generationProgress';
import { recheckSourceDuplicates } from './sourceDuplicates';
import { CLEANUP_PROMPT_VERSION, CLEANUP_SCHEMA_NAME, cleanupMessages, QUALITY_PROMPT_VERSION, QUALITY_SCHEMA_NAME, qualityMessages } from './prompts';
import { RULE_REASONS, ruleFilter } from './filter';
import { generateParamsSchema, postCleanupSchema, postQualitySchema, type GenerateParams } from './schema';

export const GENERATE_JOB_KIND = 'pipeline.generate';
/** Progress units per author: persona, demographics, critic, privacy. */
const PER_AUTHOR = 4;
const MAX_LOGGED_FAILURES = 50;

/** The posts stage: the rule filter (stored while planning), one unit per post left to denoise and label. */
function planPosts(db: Db, p: GenerateParams): StagePlan {
  const undecided = listUndecidedPosts({ db, sourceId: p.sourceId });
  const rejected: { id: number; reason: string }[] = [];
  const candidates = undecided.filter((post) => {
    const r = ruleFilter(post.text, p);
    if (!r.pass) rejected.push({ id: post.id, reason: r.reason! });
    return r.pass;
  });
  setPostsRejected({ db, rows: rejected });
  // authors that may reach the threshold: kept or still undecided posts (rule-rejected posts never count)
  const ruleRejected = new Set<string>(RULE_REASONS);
  const perAuthor = new Map<number, number>();
  for (const s of listPostStates({ db, sourceId: p.sourceId })) {
    if (s.kept === false) continue;
    if (s.filterReason && ruleRejected.has(s.filterReason)) continue;
    perAuthor.set(s.authorId, (perAuthor.get(s.authorId) ?? 0) + 1);
  }
  const authorEstimate = [...perAuthor.values()].filter((n) => n >= p.minPostsPerAuthor).length;
  return { stage: 'posts', units: candidates.map((x) => ({ key: `post:${x.id}` })), later: authorEstimate * PER_AUTHOR + 1 };
}

function planNext(db: Db, p: GenerateParams, after: string | null): StagePlan | null {
  if (after === null) return planPosts(db, p);
  if (after === 'posts') {
    const authors = listAuthorsWithKeptPosts({ db, sourceId: p.sourceId, minPosts: p.minPostsPerAuthor });
    return { stage: 'authors', units: authors.map((a) => ({ key: `author:${a.authorId}`, weight: PER_AUTHOR })), later: 1 };
  }
  if (after === 'authors') return { stage: 'duplicates', units: [{ key: 'duplicates' }] };
  return null;
}

/**
 * What a process's units read, per run of a job (a job run again is planned afresh): the undecided posts and the
 * authors with their kept posts (one query for every unit of a stage; a stage's rows do not change while it runs,
 * except by its own units).
 */
const cache = new Map<string, Map<number, unknown>>();
function cached<T>(name: string, ctx: UnitContext<GenerateParams>, id: number, load: () => Map<number, T>): T | undefined {
  const k = `${name}:${ctx.jobId}:${getJobRow({ db: ctx.db, id: ctx.jobId })?.startedAt ?? ''}`;
  let m = cache.get(k) as Map<number, T> | undefined;
  if (!m || !m.has(id)) {
    m = load();
    cache.set(k, m);
    while (cache.size > 8) cache.delete(cache.keys().next().value!);
  }
  return m.get(id);
}

/** One post: denoised (when asked) and labelled; stored in the unit's transaction. */
async function labelPost(ctx: UnitContext<GenerateParams>, postId: number): Promise<UnitOutcome> {
  const { db, params: p, signal } = ctx;
  const post = cached<Post>('posts', ctx, postId, () => new Map(listUndecidedPosts({ db, sourceId: p.sourceId }).map((x) => [x.id, x])));
  // labelled since the job was planned
  if (!post) return {};
  try {
    let text = post.cleanedText ?? post.text;
    let cleaned: string | null = null;
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
      text = cleaned = r.value.text.trim() || post.text;
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
    return {
      write: () => {
        if (cleaned !== null) setPostCleaned({ db, id: post.id, cleanedText: cleaned });
        setPostLabel({
          db,
          id: post.id,
          quality: q.value.quality,
          harmful: q.value.harmful,
          kept,
          filterReason: q.value.harmful ? 'harmful' : kept ? null : `quality_${q.value.quality}`,
        });
      },
      result: { kept },
    };
  } catch (err) {
    if (signal.aborted) throw err;
    const raw = err instanceof LlmCallError && err.raw ? ` raw: ${err.raw.slice(0, 200)}` : '';
    throw new Error(`post ${post.id}: ${err instanceof Error ? err.message : String(err)}${raw}`, { cause: err });
  }
}

async function runUnit(ctx: UnitContext<GenerateParams>): Promise<UnitOutcome> {
  const [kind, id] = ctx.key.split(':');
  if (kind === 'post') return labelPost(ctx, Number(id));
  if (kind === 'author') {
    const author = cached<AuthorWithPosts>('authors', ctx, Number(id), () =>
      new Map(listAuthorsWithKeptPosts({ db: ctx.db, sourceId: ctx.params.sourceId, minPosts: ctx.params.minPostsPerAuthor }).map((a) => [a.authorId, a])),
    );
    // an author below the threshold now (posts re-labelled since): nothing to do
    return author ? generateForAuthor(ctx, author) : {};
  }
  const { db, params: p } = ctx;
  return { write: () => void recheckSourceDuplicates({ db, sourceId: p.sourceId, threshold: p.duplicateThreshold }) };
}

/** The job's result: the source's personas, rewrites and flags, and the failures of its units. */
function generationResult({ db, jobId, params: p, units }: { db: Db; jobId: number; params: GenerateParams; units: JobUnit[] }): Record<string, unknown> {
  const failed = units.filter((u) => u.status === 'failed');
  const c = {
    done: units.filter((u) => u.status === 'done').reduce((a, u) => a + u.weight, 0),
    total: units.reduce((a, u) => a + u.weight, 0),
    failures: failed.reduce((a, u) => a + u.weight, 0),
    failureLog: failed.slice(0, MAX_LOGGED_FAILURES).map((u) => u.error ?? `${u.key}: failed`),
  };
  return summary(db, p, c, jobId);
}

/** The generation job as units. */
export const generateUnits: UnitPlan<GenerateParams> = {
  parse: (params) => generateParamsSchema.parse(params),
  plan: ({ db, params }, after) => planNext(db, params, after),
  run: runUnit,
  result: generationResult,
};

/** Runs a generation inline inside another job in this process: the same units, not shared with workers. */
export function runGeneration(ctx: JobContext<Record<string, unknown>>): Promise<Record<string, unknown>> {
  return runUnitsInline(generateUnits, ctx, generateParamsSchema.parse(ctx.params).concurrency);
}
