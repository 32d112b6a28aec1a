/** Machine-readable reasons for rejecting input to the core. */
export type AlignInputErrorCode =
  | 'EMPTY'
  | 'TOO_FEW'
  | 'DIMENSION_MISMATCH'
  | 'NOT_FINITE'
  | 'OUT_OF_RANGE'
  | 'CONSTANT_TRAIT'
  | 'BAD_WEIGHTS'
  | 'BAD_PARAMETER'
  | 'TOO_LARGE';

/**
 * The one error class the pure core throws for invalid input: a `code` for programs and a plain-English
 * `message` for people (what is wrong and what to do). Route handlers and the CLI map it to a 4xx / exit 2.
 * @example new AlignInputError('EMPTY', 'The pool is empty: add at least two measured personas before aligning.').code === 'EMPTY'
 */
export class AlignInputError extends Error {
  constructor(
    readonly code: AlignInputErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AlignInputError';
  }
}
