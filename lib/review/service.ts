/**
 * Review service: decisions, undo, bulk actions, the risk-ordered queue and the audit trail.
 * Status rule and concurrency guarantees live with the queries in db/queries/review.ts.
 */
import { randomUUID } from 'node:crypto';
import { getDb, type Db } from '../../db/client';
import { riskKey, type RiskKey } from '../../db/queries/personaFilter';
import { getPersonaById } from '../../db/queries/personaPage';
import { countPersonas, getCurrentRun, listPersonaIds, listPersonas } from '../../db/queries/personas';
import { listReasonCodes, saveBulkDecisions, saveReviewDecision, undoReviewDecision } from '../../db/queries/review';
import { listDecisions, listReviewers } from '../../db/queries/reviewLog';
import { countQueue, listQueueIds } from '../../db/queries/reviewQueue';
import { AppError } from '../http/errors';
import type { PersonaFilter } from '../personas/schema';
import { withRunWeights } from '../personas/service';
import { reasonRequired } from './config';
import type { BulkInput, DecisionInput, HistoryQuery, QueueQuery, RemainingQuery, UndoInput } from './schema';

/** One review decision as the history tables show it. */
export type { DecisionRow } from '../../db/queries/reviewLog';

export function getReasonCodes(db: Db = getDb()) {
  return listReasonCodes({ db });
}

/** The reason codes in keyboard order and whether a reject must name one (POPULACE_REVIEW_REASON_REQUIRED). */
export function getReasonSettings(db: Db = getDb()) {
  return { reasonCodes: getReasonCodes(db), reasonRequired: reasonRequired() };
}

/** Refuses a reject without a reason code while reasons are required (422 naming the field). */
function requireReason(input: { decision: 'accept' | 'reject'; reasonCode?: string | null }): void {
  if (input.decision !== 'reject' || input.reasonCode || !reasonRequired()) return;
  throw new AppError('reason_required', 'reasonCode: a reject needs a reason; pick one of the listed reasons (GET /api/review/reason-codes).', 422, {
    field: 'reasonCode',
  });
}

/** Records one decision by a reviewer; the persona's status follows it at once. */
export function decide(reviewer: string, input: DecisionInput, db: Db = getDb()) {
  requireReason(input);
  const r = saveReviewDecision({
    db,
    personaId: input.personaId,
    reviewer,
    decision: input.decision,
    reasonCode: input.reasonCode ?? null,
    note: input.note || null,
    settlement: input.settlement ?? false,
  });
  if (!r.ok) {
    if (r.reason === 'persona_not_found') throw new AppError('not_found', `There is no persona ${input.personaId}.`, 404);
    throw new AppError('unknown_reason', `"${input.reasonCode}" is not a reason code; pick one of the listed reasons.`, 400);
  }
  return { decision: r.decision, status: r.status };
}

const UNDO_MESSAGES = {
  nothing_to_undo: ['nothing_to_undo', 'You have no decision left to undo.', 409],
  not_found: ['not_found', 'That decision does not exist.', 404],
  not_yours: ['forbidden', 'Only the reviewer who made a decision can undo it.', 403],
  not_undoable: ['invalid_input', 'An undo cannot itself be undone; decide again instead.', 400],
  already_undone: ['already_undone', 'That decision has already been undone.', 409],
} as const;

/** Undoes the reviewer's given (or latest) decision by appending an 'undo' row. */
export function undo(reviewer: string, input: UndoInput, db: Db = getDb()) {
  const r = undoReviewDecision({ db, reviewer, decisionId: input.decisionId });
  if (!r.ok) {
    const [code, message, status] = UNDO_MESSAGES[r.reason];
    throw new AppError(code, message, status);
  }
  return { undo: r.undo, undone: r.undone, status: r.status };
}

/** How many personas a filter matches now (what a bulk confirmation shows). */
export function countMatching(filter: PersonaFilter, db: Db = getDb()): number {
  return countPersonas({ db, filter, runId: getCurrentRun({ db })?.id ?? null });
}

/** Accepts or rejects every persona a filter matches, one decision row each, after the count was confirmed. */
export function bulkDecide(reviewer: string, input: BulkInput, db: Db = getDb()) {
  requireReason(input);
  const runId = getCurrentRun({ db })?.id ?? null;
  const batchId = randomUUID();
  const r = saveBulkDecisions({
    db,
    reviewer,
    decision: input.decision,
    reasonCode: input.reasonCode ?? null,
    note: input.note || null,
    batchId,
    expectedCount: input.expectedCount,
    selectIds: (tx) => listPersonaIds({ db: tx, filter: input.filter, runId }),
  });
  if (!r.ok) {
    if (r.reason === 'count_changed') {
      throw new AppError(
        'count_changed',
        `The filter now matches ${r.matched} personas, not the ${input.expectedCount} you confirmed. Nothing was changed; check the count and confirm again.`,
        409,
        { matched: r.matched },
      );
    }
    throw new AppError('unknown_reason', `"${input.reasonCode}" is not a reason code; pick one of the listed reasons.`, 400);
  }
  return { batchId, saved: r.saved, changed: r.changed };
}

function parseCursor(after: string | undefined): RiskKey | undefined {
  if (!after) return undefined;
  const [g, s, id] = after.split(':').map(Number);
  return [g!, s!, id!];
}

function queueArgs(reviewer: string, query: RemainingQuery, db: Db) {
  const { scope = 'pending', queue = 'pool', ...filter } = query;
  const extras = { pending: scope === 'pending', secondOpinionFor: scope === 'second-opinion' ? reviewer : undefined };
  // Weight and selection filters read the run the filter names (the persona browser's choice), else the latest.
  return { db, queue, scope, filter, extras, runId: filter.run ?? getCurrentRun({ db })?.id ?? null };
}

/** How many personas are left to decide in a queue (with its filter and scope): what the review screen counts down. */
export function getRemaining(reviewer: string, query: RemainingQuery, db: Db = getDb()) {
  const args = queueArgs(reviewer, query, db);
  return { queue: args.queue, scope: args.scope, remaining: countQueue(args) };
}

/**
 * A page of a review queue ('pool' by default: the personas that can enter the alignment pool), riskiest first
 * (flagged, then lowest critic score, then id), with what a reviewer needs to judge each persona. `nextCursor`
 * continues after the last item; decided items drop out of the 'pending' scope.
 */
export function getQueue(reviewer: string, query: QueueQuery, db: Db = getDb()) {
  const { after, limit = 50, ...rest } = query;
  const args = queueArgs(reviewer, rest, db);
  const ids = listQueueIds({ ...args, extras: { ...args.extras, riskAfter: parseCursor(after) }, limit });
  const rows = withRunWeights(db, listPersonas({ db, filter: {}, sort: 'risk', limit: ids.length, runId: args.runId, extras: { ids } }), args.runId);
  const items = rows.map((row) => {
    const p = getPersonaById({ db, id: row.id })!;
    return {
      ...row,
      narrative: p.narrative,
      flags: p.flags,
      qualityScores: p.qualityScores,
      age: p.age,
    };
  });
  const last = rows.at(-1);
  return {
    queue: args.queue,
    scope: args.scope,
    items,
    remaining: countQueue(args),
    nextCursor: last && rows.length === limit ? riskKey(last).join(':') : null,
  };
}

/** One persona of a review queue page, with what a reviewer needs to judge it. */
export type ReviewQueueItem = ReturnType<typeof getQueue>['items'][number];

/** The audit trail for a reviewer, a persona, or everyone (newest first). */
export function getHistory(query: HistoryQuery, db: Db = getDb()) {
  return {
    decisions: listDecisions({ db, reviewer: query.reviewer, personaId: query.personaId, limit: query.limit ?? 200, offset: query.offset ?? 0 }),
  };
}

export function getReviewers(db: Db = getDb()) {
  return listReviewers({ db });
}
