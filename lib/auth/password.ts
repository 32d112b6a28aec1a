/** Password hashing with bcryptjs: cost 10, lowered only under tests through POPULACE_BCRYPT_COST. */
import bcrypt from 'bcryptjs';
import { env } from '../env';
import { AppError } from '../errors';

export const MIN_PASSWORD_LENGTH = 10;
/** bcrypt reads the first 72 bytes of a password; longer ones are refused so that every byte counts. */
export const MAX_PASSWORD_BYTES = 72;

export const passwordTooLong = (password: string) => Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES;
const PRODUCTION_COST = 10;

/** The bcrypt cost: 10, or POPULACE_BCRYPT_COST (4-10) when NODE_ENV is 'test'. */
export function bcryptCost(): number {
  return env('NODE_ENV') === 'test' ? env('POPULACE_BCRYPT_COST') : PRODUCTION_COST;
}

/** Throws a 400 AppError when a password is shorter than 10 characters or longer than 72 bytes (UTF-8). */
export function checkPasswordPolicy(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('weak_password', `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`, 400);
  }
  if (passwordTooLong(password)) {
    throw new AppError('password_too_long', `The password must be at most ${MAX_PASSWORD_BYTES} bytes long (UTF-8): longer ones would be compared on their first ${MAX_PASSWORD_BYTES} bytes only.`, 400);
  }
}

export function hashPassword(password: string): Promise<string> {
  checkPasswordPolicy(password);
  return bcrypt.hash(password, bcryptCost());
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

let dummyHash: string | undefined;
/** Spends the same time as a real comparison when the user does not exist (no timing oracle for usernames). */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= await bcrypt.hash('populace-dummy-password', bcryptCost());
  await bcrypt.compare(password, dummyHash);
}
