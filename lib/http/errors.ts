/** The one error class that route handlers map to an HTTP answer: a code, a status and a sentence for the user. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
