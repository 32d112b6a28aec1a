/**
 * The Populace data model. Every table has its inferred row types beside it.
 * The JSON columns of targets, groups, jobs, runs and exports are typed with the zod schemas in db/json.ts, and the
 * query functions in db/queries parse what they read with them.
 * Trait columns (E, A, C, N, O) are always on the common 1-5 scale (see lib/instruments/scale.ts).
 */
import { sql } from 'drizzle-orm';
import {
  EXPORT_FORMATS,
  type ExportManifest,
  type GroupDefinition,
  type JobParams,
  type JobResult,
  type RunConfig,
  type RunDiagnostics,
  type RunMetrics,
  type StoredTargetFilters,
  type TraitEdits,
} from './json';
import {
  blob,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

const createdAt = () =>
  text('created_at')
    .notNull()
    .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`);

/** Where personas, posts, reference samples or baselines came from, with licence and citation. */
export const sources = sqliteTable('sources', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind', { enum: ['personas', 'posts', 'reference', 'norms', 'baseline', 'instrument'] }).notNull(),
  licence: text('licence').notNull(),
  citation: text('citation').notNull(),
  origin: text('origin').notNull(),
  notes: text('notes'),
  createdAt: createdAt(),
});
export type Source = typeof sources.$inferSelect;
export type NewSource = typeof sources.$inferInsert;

/** Authors of imported social media posts (one narrative persona is mined per author). */
export const authors = sqliteTable(
  'authors',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sourceId: text('source_id')
      .notNull()
      .references(() => sources.id),
    externalId: text('external_id').notNull(),
    metadata: text('metadata', { mode: 'json' }).$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('authors_source_external').on(t.sourceId, t.externalId)],
);
export type Author = typeof authors.$inferSelect;

/** Imported social media posts, with the filter / denoise / quality results of stage 1. */
export const posts = sqliteTable(
  'posts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sourceId: text('source_id')
      .notNull()
      .references(() => sources.id),
    authorId: integer('author_id')
      .notNull()
      .references(() => authors.id),
    externalId: text('external_id'),
    text: text('text').notNull(),
    postedAt: text('posted_at'),
    metadata: text('metadata', { mode: 'json' }).$type<Record<string, unknown>>(),
    cleanedText: text('cleaned_text'),
    quality: text('quality', { enum: ['high', 'medium', 'low'] }),
    harmful: integer('harmful', { mode: 'boolean' }),
    kept: integer('kept', { mode: 'boolean' }),
    filterReason: text('filter_reason'),
    createdAt: createdAt(),
  },
  (t) => [index('posts_author').on(t.authorId)],
);
export type Post = typeof posts.$inferSelect;

export const personaStatuses = ['draft', 'measured', 'flagged', 'accepted', 'rejected'] as const;
export type PersonaStatus = (typeof personaStatuses)[number];

/** A quality score with its reason (critic scores, privacy, consistency, ...). */
export interface QualityScore {
  score: number;
  reason: string;
}
/** A flag raised by a quality check; flags are kept, never deleted. */
export interface PersonaFlag {
  code: string;
  reason: string;
  /** The twin persona for duplicate flags. */
  relatedPersonaId?: number;
}

/** Narrative personas: mined, imported or revised. */
export const personas = sqliteTable(
  'personas',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sourceId: text('source_id')
      .notNull()
      .references(() => sources.id),
    externalId: text('external_id').notNull(),
    authorId: integer('author_id').references(() => authors.id),
    parentId: integer('parent_id'),
    name: text('name'),
    narrative: text('narrative').notNull(),
    /** Age in years when known; null is unknown. */
    age: integer('age'),
    /** Age band such as "25-34" (derived from age, or stated); "unknown" when not supported. */
    ageBand: text('age_band').notNull().default('unknown'),
    gender: text('gender', { enum: ['female', 'male', 'other', 'unknown'] })
      .notNull()
      .default('unknown'),
    country: text('country').notNull().default('unknown'),
    occupation: text('occupation').notNull().default('unknown'),
    /**
     * How each demographic value was obtained: 'given' (the source's structured data), 'stated' / 'inferred' (read
     * from the narrative by lib/personas/extractDemographics.ts or by the LLM, lib/personas/llmDemographics.ts) or
     * 'unknown', with the phrase it was read from, which extractor read it (`method`, absent: the rules) and the LLM
     * reading (`llm`: prompt version, model, call, narrative hash); null for rows written before the extraction
     * existed (filled in by `prepare`).
     */
    demographicsOrigin: text('demographics_origin', { mode: 'json' }).$type<{
      origin: Record<'age' | 'gender' | 'country' | 'occupation', 'given' | 'stated' | 'inferred' | 'unknown'>;
      evidence: Partial<Record<'age' | 'gender' | 'country' | 'occupation', string>>;
      method?: Partial<Record<'age' | 'gender' | 'country' | 'occupation', 'rules' | 'llm'>>;
      llm?: {
        promptVersion: string;
        model: string;
        llmCallId: number | null;
        narrativeHash: string;
        conflicts?: Partial<Record<'age' | 'gender' | 'country' | 'occupation', { value: string | number; evidence: string | null }>>;
      };
    }>(),
    model: text('model'),
    promptVersion: text('prompt_version'),
    status: text('status', { enum: personaStatuses }).notNull().default('draft'),
    qualityScores: text('quality_scores', { mode: 'json' }).$type<Record<string, QualityScore>>(),
    flags: text('flags', { mode: 'json' })
      .$type<PersonaFlag[]>()
      .notNull()
      .default(sql`'[]'`),
    duplicateOfId: integer('duplicate_of_id'),
    /**
     * The lowest critic score in quality_scores (critic scale 1-10), kept in step with quality_scores by triggers
     * (migration 0002_personas_fts); null when no critic has scored the persona. Read-only for application code.
     */
    minCriticScore: real('min_critic_score'),
    metadata: text('metadata', { mode: 'json' }).$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    /** When the row last changed (status, text); null until it first changes after insertion. */
    updatedAt: text('updated_at'),
  },
  (t) => [
    uniqueIndex('personas_source_external').on(t.sourceId, t.externalId),
    index('personas_status').on(t.status),
    index('personas_parent').on(t.parentId),
    index('personas_min_critic_score').on(t.minCriticScore),
    index('personas_source').on(t.sourceId),
  ],
);
export type Persona = typeof personas.$inferSelect;
export type NewPersona = typeof personas.$inferInsert;

/** Which posts a mined persona was grounded in. */
export const personaPosts = sqliteTable(
  'persona_posts',
  {
    personaId: integer('persona_id')
      .notNull()
      .references(() => personas.id),
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id),
  },
  (t) => [primaryKey({ columns: [t.personaId, t.postId] })],
);

/** Questionnaires (IPIP-50, BFI-44, Mini-Markers-40, ...) with their response scale. */
export const instruments = sqliteTable('instruments', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  scaleMin: integer('scale_min').notNull(),
  scaleMax: integer('scale_max').notNull(),
  sourceId: text('source_id')
    .notNull()
    .references(() => sources.id),
  description: text('description').notNull(),
});
export type Instrument = typeof instruments.$inferSelect;

/** Items and scoring keys: trait code and keyed direction ('+' scored x, '-' scored min+max-x). */
export const instrumentItems = sqliteTable(
  'instrument_items',
  {
    instrumentId: text('instrument_id')
      .notNull()
      .references(() => instruments.id),
    itemId: text('item_id').notNull(),
    position: integer('position').notNull(),
    trait: text('trait', { enum: ['E', 'A', 'C', 'N', 'O'] }).notNull(),
    keyed: text('keyed', { enum: ['+', '-'] }).notNull(),
    text: text('text').notNull(),
  },
  (t) => [primaryKey({ columns: [t.instrumentId, t.itemId] })],
);
export type InstrumentItem = typeof instrumentItems.$inferSelect;

/** One answer of one persona to one item (repetitions and temperatures kept apart). */
export const itemResponses = sqliteTable(
  'item_responses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personaId: integer('persona_id')
      .notNull()
      .references(() => personas.id),
    instrumentId: text('instrument_id').notNull(),
    itemId: text('item_id').notNull(),
    value: integer('value').notNull(),
    model: text('model'),
    temperature: real('temperature'),
    repetition: integer('repetition').notNull().default(0),
    llmCallId: integer('llm_call_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('item_responses_unique').on(t.personaId, t.instrumentId, t.itemId, t.model, t.temperature, t.repetition),
    index('item_responses_persona').on(t.personaId),
  ],
);
export type ItemResponse = typeof itemResponses.$inferSelect;

/** Trait scores per persona and instrument, on the common 1-5 scale, with the spread of repeated answers. */
export const traitScores = sqliteTable(
  'trait_scores',
  {
    personaId: integer('persona_id')
      .notNull()
      .references(() => personas.id),
    instrumentId: text('instrument_id').notNull(),
    E: real('E').notNull(),
    A: real('A').notNull(),
    C: real('C').notNull(),
    N: real('N').notNull(),
    O: real('O').notNull(),
    /** Per-trait SD of repeated answers, when there were repetitions. */
    spread: text('spread', { mode: 'json' }).$type<Record<string, number>>(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.personaId, t.instrumentId] })],
);
export type TraitScore = typeof traitScores.$inferSelect;

/** Human samples used as alignment references. */
export const referenceSets = sqliteTable('reference_sets', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  sourceId: text('source_id')
    .notNull()
    .references(() => sources.id),
  instrumentId: text('instrument_id').notNull(),
  description: text('description').notNull(),
});
export type ReferenceSet = typeof referenceSets.$inferSelect;

/** Respondents of a reference set: demographics, trait scores (1-5) and raw answers (comma-separated, item order). */
export const referenceRespondents = sqliteTable(
  'reference_respondents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    referenceSetId: text('reference_set_id')
      .notNull()
      .references(() => referenceSets.id),
    row: integer('row').notNull(),
    country: text('country').notNull(),
    age: integer('age'),
    gender: text('gender', { enum: ['female', 'male', 'other', 'unknown'] }).notNull(),
    E: real('E').notNull(),
    A: real('A').notNull(),
    C: real('C').notNull(),
    N: real('N').notNull(),
    O: real('O').notNull(),
    answers: text('answers').notNull(),
  },
  (t) => [
    uniqueIndex('reference_respondents_row').on(t.referenceSetId, t.row),
    index('reference_respondents_country').on(t.country),
  ],
);
export type ReferenceRespondent = typeof referenceRespondents.$inferSelect;

/** Published norms: means and SDs of a scale for a group (by sex and age, by country, ...). */
export const norms = sqliteTable(
  'norms',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sourceId: text('source_id')
      .notNull()
      .references(() => sources.id),
    table: text('table_name').notNull(),
    groupType: text('group_type').notNull(),
    group: text('group_name').notNull(),
    scale: text('scale').notNull(),
    level: text('level').notNull(),
    unit: text('unit').notNull(),
    n: integer('n'),
    mean: real('mean').notNull(),
    sd: real('sd'),
  },
  (t) => [uniqueIndex('norms_unique').on(t.table, t.groupType, t.group, t.scale)],
);
export type Norm = typeof norms.$inferSelect;

/** No-persona LLM answers, kept as comparison rows for the metrics page. */
export const baselineResponses = sqliteTable(
  'baseline_responses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sourceId: text('source_id')
      .notNull()
      .references(() => sources.id),
    model: text('model').notNull(),
    instrumentId: text('instrument_id').notNull(),
    temperature: real('temperature'),
    systemPrompt: text('system_prompt'),
    run: integer('run').notNull().default(0),
    E: real('E').notNull(),
    A: real('A').notNull(),
    C: real('C').notNull(),
    N: real('N').notNull(),
    O: real('O').notNull(),
    /** Item answers keyed by item id, when item-level answers were released. */
    answers: text('answers', { mode: 'json' }).$type<Record<string, number>>(),
  },
  (t) => [uniqueIndex('baseline_unique').on(t.sourceId, t.model, t.temperature, t.systemPrompt, t.run)],
);
export type BaselineResponse = typeof baselineResponses.$inferSelect;

/** A target: a reference set, respondent filters and per-trait slider edits. */
export const targets = sqliteTable('targets', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  referenceSetId: text('reference_set_id')
    .notNull()
    .references(() => referenceSets.id),
  filters: text('filters', { mode: 'json' }).$type<StoredTargetFilters>().notNull(),
  edits: text('edits', { mode: 'json' }).$type<TraitEdits>().notNull(),
  createdAt: createdAt(),
  /** When the row last changed; null until it first changes. */
  updatedAt: text('updated_at'),
});
export type Target = typeof targets.$inferSelect;

/** Target subpopulations: reference-side filters and persona-side description. */
export const groups = sqliteTable('groups', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  definition: text('definition', { mode: 'json' }).$type<GroupDefinition>().notNull(),
  createdAt: createdAt(),
});
export type Group = typeof groups.$inferSelect;

export const jobStatuses = ['queued', 'running', 'cancelling', 'cancelled', 'failed', 'done'] as const;
export type JobStatus = (typeof jobStatuses)[number];

/** Long work (generation, measurement, full alignment): persisted so it resumes after a restart. */
export const jobs = sqliteTable(
  'jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind').notNull(),
    status: text('status', { enum: jobStatuses }).notNull().default('queued'),
    params: text('params', { mode: 'json' }).$type<JobParams>().notNull(),
    done: integer('done').notNull().default(0),
    total: integer('total').notNull().default(0),
    failures: integer('failures').notNull().default(0),
    error: text('error'),
    result: text('result', { mode: 'json' }).$type<JobResult>(),
    createdAt: createdAt(),
    startedAt: text('started_at'),
    /** When the row last changed; null until it first changes. */
    updatedAt: text('updated_at'),
    finishedAt: text('finished_at'),
  },
  (t) => [index('jobs_status').on(t.status)],
);
export type Job = typeof jobs.$inferSelect;

export const jobUnitStatuses = ['pending', 'claimed', 'done', 'failed'] as const;
export type JobUnitStatus = (typeof jobUnitStatuses)[number];

/**
 * The units of a job that workers share (lib/jobs/worker.ts): one author, post or persona each, planned when the job
 * starts (a later stage when the one before it is settled). A worker claims a unit by setting its worker id and lease
 * expiry, extends the lease while it works (heartbeat), and marks it done in the transaction that stores its work.
 * Times are milliseconds since the epoch. `weight` is the unit's share of the job's progress (a persona's item
 * answers, an author's four steps); `progress` how much of it an unfinished unit has done at its last heartbeat.
 */
export const jobUnits = sqliteTable(
  'job_units',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    jobId: integer('job_id')
      .notNull()
      .references(() => jobs.id, { onDelete: 'cascade' }),
    /** What the unit is, e.g. "author:123", "persona:45". */
    key: text('key').notNull(),
    /** The job's stage the unit belongs to (generation: posts, authors, duplicates). */
    stage: text('stage').notNull(),
    weight: integer('weight').notNull().default(1),
    status: text('status', { enum: jobUnitStatuses }).notNull().default('pending'),
    /** The worker holding (claimed) or having finished (done, failed) the unit. */
    workerId: text('worker_id'),
    leaseExpiresAt: integer('lease_expires_at'),
    heartbeatAt: integer('heartbeat_at'),
    /** Claims so far (a claim whose worker died counts). */
    attempts: integer('attempts').notNull().default(0),
    progress: integer('progress').notNull().default(0),
    error: text('error'),
    /** What the unit's work gave, for the job's result (a failure's details when failed). */
    result: text('result', { mode: 'json' }).$type<JobResult>(),
    finishedAt: integer('finished_at'),
  },
  (t) => [uniqueIndex('job_units_job_key').on(t.jobId, t.key), index('job_units_job_status').on(t.jobId, t.status)],
);
export type JobUnit = typeof jobUnits.$inferSelect;

/** Alignment runs: config, seed, weights, selection, metrics and the OT trace. */
export const alignmentRuns = sqliteTable('alignment_runs', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  targetId: integer('target_id').references(() => targets.id),
  groupId: integer('group_id').references(() => groups.id),
  jobId: integer('job_id').references(() => jobs.id),
  status: text('status', { enum: ['running', 'done', 'failed', 'cancelled'] }).notNull(),
  seed: integer('seed').notNull(),
  config: text('config', { mode: 'json' }).$type<RunConfig>().notNull(),
  /** Persona ids in pool order, with their weights. */
  personaIds: text('persona_ids', { mode: 'json' }).$type<number[]>(),
  weights: text('weights', { mode: 'json' }).$type<number[]>(),
  selection: text('selection', { mode: 'json' }).$type<number[]>(),
  metrics: text('metrics', { mode: 'json' }).$type<RunMetrics>(),
  diagnostics: text('diagnostics', { mode: 'json' }).$type<RunDiagnostics>(),
  trace: text('trace', { mode: 'json' }).$type<number[]>(),
  createdAt: createdAt(),
  finishedAt: text('finished_at'),
  /** The signed-in user who started the run; null when the server needs no sign-in (loopback) or for older runs. */
  createdBy: text('created_by'),
});
export type AlignmentRun = typeof alignmentRuns.$inferSelect;

/** Reason codes for review decisions, kept as data. */
export const reasonCodes = sqliteTable('reason_codes', {
  code: text('code').primaryKey(),
  label: text('label').notNull(),
  position: integer('position').notNull(),
});
export type ReasonCode = typeof reasonCodes.$inferSelect;

export const reviewDecisionKinds = ['accept', 'reject', 'undo'] as const;
export type ReviewDecisionKind = (typeof reviewDecisionKinds)[number];

/**
 * Review decisions: append-only (rows are never updated or deleted); a persona's status follows its latest decision
 * that has not been undone. An 'undo' row names the decision it undoes (undoes_id). status_before / status_after
 * record the persona status around each row, so the audit trail reads without recomputation.
 */
export const reviewDecisions = sqliteTable(
  'review_decisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personaId: integer('persona_id')
      .notNull()
      .references(() => personas.id),
    reviewer: text('reviewer').notNull(),
    decision: text('decision', { enum: reviewDecisionKinds }).notNull(),
    reasonCode: text('reason_code').references(() => reasonCodes.code),
    note: text('note'),
    /** For an 'undo' row: the decision it undoes. */
    undoesId: integer('undoes_id'),
    statusBefore: text('status_before', { enum: personaStatuses }),
    statusAfter: text('status_after', { enum: personaStatuses }),
    /** Shared by every row of one bulk action. */
    batchId: text('batch_id'),
    /** True when the decision settles a conflict between reviewers (not counted as a rating in agreement). */
    settlement: integer('settlement', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    index('review_decisions_persona').on(t.personaId),
    index('review_decisions_reviewer').on(t.reviewer),
    index('review_decisions_undoes').on(t.undoesId),
    index('review_decisions_batch').on(t.batchId),
  ],
);
export type ReviewDecision = typeof reviewDecisions.$inferSelect;

/** Exports with their manifest. */
export const exports = sqliteTable('exports', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  runId: integer('run_id').references(() => alignmentRuns.id),
  format: text('format', { enum: EXPORT_FORMATS }).notNull(),
  manifest: text('manifest', { mode: 'json' }).$type<ExportManifest>().notNull(),
  createdAt: createdAt(),
  /** The signed-in user who made the export; null when the server needs no sign-in (loopback) or for older exports. */
  createdBy: text('created_by'),
});
export type Export = typeof exports.$inferSelect;

/**
 * The files of an export, written once when the export is made (one row per format): the exact bytes a download
 * answers, with their sha256 (equal to the manifest's file hash) and size. Exports made before this table existed
 * have no rows and are rebuilt from their manifest.
 */
export const exportFiles = sqliteTable(
  'export_files',
  {
    exportId: integer('export_id')
      .notNull()
      .references(() => exports.id, { onDelete: 'cascade' }),
    format: text('format', { enum: EXPORT_FORMATS }).notNull(),
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    bytes: blob('bytes', { mode: 'buffer' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.exportId, t.format] })],
);
export type ExportFile = typeof exportFiles.$inferSelect;

/**
 * Append-only audit trail of destructive actions (deleting a run or an export): who, what, which row, details as
 * JSON, when. Written in the same transaction as the change; triggers refuse updates and deletes of its rows.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The signed-in username; null when the server needs no sign-in (loopback, the single local user). */
    actor: text('actor'),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_entity').on(t.entity, t.entityId), index('audit_log_created').on(t.createdAt)],
);
export type AuditLogRow = typeof auditLog.$inferSelect;

/** Every LLM call: recorded and cached by request hash so reruns never pay twice. */
export const llmCalls = sqliteTable(
  'llm_calls',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    requestHash: text('request_hash').notNull(),
    role: text('role').notNull(),
    model: text('model').notNull(),
    promptVersion: text('prompt_version').notNull(),
    params: text('params', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    request: text('request', { mode: 'json' }).$type<unknown>().notNull(),
    response: text('response'),
    error: text('error'),
    tokensIn: integer('tokens_in'),
    tokensOut: integer('tokens_out'),
    latencyMs: integer('latency_ms'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('llm_calls_hash').on(t.requestHash)],
);
export type LlmCall = typeof llmCalls.$inferSelect;

/** Schema bookkeeping for the demo seed (version of the embedded data that was loaded). */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const userRoles = ['viewer', 'reviewer', 'admin'] as const;
export type UserRole = (typeof userRoles)[number];

/** Accounts for sign-in when the server is exposed beyond loopback (see lib/auth/config.ts). */
export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    username: text('username').notNull(),
    /** bcrypt hash (bcryptjs); never the password. */
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: userRoles }).notNull(),
    createdAt: createdAt(),
    disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [uniqueIndex('users_username').on(t.username)],
);
export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;

/**
 * Sign-in sessions. The id is the sha256 (hex) of the random token held in the populace_session cookie, so a copy
 * of the database does not hand out live sessions. csrf_token is the double-submit token for mutations.
 */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: text('expires_at').notNull(),
    csrfToken: text('csrf_token').notNull(),
  },
  (t) => [index('sessions_user').on(t.userId), index('sessions_expires').on(t.expiresAt)],
);
export type Session = typeof sessions.$inferSelect;
