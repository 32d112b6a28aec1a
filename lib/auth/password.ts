/** Password hashing with bcryptjs: cost 10, lowered only under tests through POPULACE_BCRYPT_COST. */
import bcrypt from 'bcryptjs';
import { AppError } from '../http/errors';

export const MIN_PASSWORD_LENGTH = 10;
const PRODUCTION_COST = 10;

/** The bcrypt cost: 10, or POPULACE_BCRYPT_COST (4-10) when NODE_ENV is 'test'. */
export function bcryptCost(): number {
  const raw = process.env.POPULACE_BCRYPT_COST;
  if (process.env.NODE_ENV === 'test' && raw) {
    const n = Number(raw);
    if (Number.isInteger(n) && n >= 4 && n <= PRODUCTION_COST) return n;
  }
  return PRODUCTION_COST;
}

/** Throws a 400 AppError when a password is empty or shorter than 10 characters. */
export function checkPasswordPolicy(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('weak_password', `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`, 400);
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
