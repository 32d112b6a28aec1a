import { describe, expect, it, vi } from 'vitest';
import { AppError, errorAnswer, knownErrorAnswer } from '@/lib/errors';
import { AppError as HttpAppError } from '@/lib/http/errors';
import { ScoringError } from '@/lib/instruments/score';
import { TraitCsvError } from '@/lib/io/traitCsv';
import { JobCancelledError } from '@/lib/jobs/runner';
import { LlmCallError } from '@/lib/llm/call';
import { AlignInputError } from '@/lib/numeric/alignInputError';
import { KappaInputError } from '@/lib/stats/kappa';

describe('knownErrorAnswer', () => {
  it('maps every domain error to a status and code, keeping its message', () => {
    const cases: [Error, number, string][] = [
      [new AppError('nope', 'Not allowed.', 403), 403, 'nope'],
      [new AlignInputError('CONSTANT_TRAIT', 'Trait E is the same for every persona.', { col: 0 }), 422, 'CONSTANT_TRAIT'],
      [new KappaInputError('Two raters are needed.'), 422, 'invalid_ratings'],
      [new ScoringError('Item q1 is missing.'), 422, 'scoring_failed'],
      [new TraitCsvError('a.csv', 2, 'E', 'not a number'), 422, 'invalid_file'],
      [new LlmCallError('The generator call failed: HTTP 503', 'transient', null, 1), 502, 'llm_failed'],
      [new JobCancelledError(7), 409, 'job_cancelled'],
    ];
    for (const [err, status, code] of cases) {
      const a = knownErrorAnswer(err)!;
      expect(a, err.name).not.toBeNull();
      expect(a.status, err.name).toBe(status);
      expect(a.body.error.code).toBe(code);
      expect(a.body.error.message).toBe(err.message);
    }
    expect(knownErrorAnswer(new AlignInputError('CONSTANT_TRAIT', 'x', { col: 0 }))!.body.error.details).toEqual({ col: 0 });
  });

  it('knows nothing of other errors, which errorAnswer logs and answers 500', () => {
    expect(knownErrorAnswer(new Error('x'))).toBeNull();
    expect(knownErrorAnswer('a string')).toBeNull();
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const a = errorAnswer('thrown string', { route: 'POST /api/x', requestId: 'abc123' });
    expect(a.status).toBe(500);
    expect(a.body.error).toEqual({ code: 'internal', message: expect.stringContaining('request id abc123'), requestId: 'abc123' });
    expect(log.mock.calls[0]![0]).toContain('[request abc123] POST /api/x failed: thrown string');
    log.mockRestore();
  });

  it('is the same AppError that lib/http/errors re-exports', () => {
    expect(HttpAppError).toBe(AppError);
  });
});
