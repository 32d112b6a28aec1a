/** AppError lives in lib/errors.ts with the mapping of every error to an HTTP answer; re-exported for existing imports. */
export { AppError } from '../errors';
