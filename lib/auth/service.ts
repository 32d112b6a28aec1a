/** Sign-in and account management (used by /api/auth/* and `populace users`). */
import { z } from 'zod';
import { getDb } from '../../db/client';
import { deleteSessionsOfUser } from '../../db/queries/sessions';
import { createUser, getUserByUsername, listUsers, setUserDisabled, setUserPasswordHash } from '../../db/queries/users';
import { AppError } from '../errors';
import { userRoles, type Role } from './config';
import { burnPasswordCheck, hashPassword, passwordTooLong, verifyPassword } from './password';
import { beginAttempt, clientIp, serialisePerAccount } from './rateLimit';
import { startSession, type NewSession } from './session';

export const usernameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a username.')
  .max(64)
  .regex(/^[A-Za-z0-9._@-]+$/, 'Use letters, digits, dot, underscore, @ or dash.');
export const roleSchema = z.enum(userRoles);
export const signInSchema = z.object({ username: z.string().max(200), password: z.string().max(1000) });

export class RateLimitedError extends AppError {
  constructor(readonly retryAfter: number) {
    super('rate_limited', `Too many failed sign-in attempts. Try again in ${Math.ceil(retryAfter / 60)} minute(s).`, 429, { retryAfter });
  }
}

export interface SignedIn extends NewSession {
  username: string;
  role: Role;
}

/**
 * Checks a username and password and starts a session. Unknown user, wrong password and disabled account answer
 * the same 401; the limits of lib/auth/rateLimit.ts answer 429 (RateLimitedError) for an address that guessed too
 * often, and slow down (never lock) an account that is guessed at from many addresses.
 */
export async function signIn(input: { username: string; password: string }, headers: Headers): Promise<SignedIn> {
  const username = input.username.trim();
  const attempt = beginAttempt(username, clientIp(headers));
  if (attempt.retryAfter > 0) throw new RateLimitedError(attempt.retryAfter);
  return serialisePerAccount(username, async () => {
    if (attempt.delayMs > 0) await new Promise((r) => setTimeout(r, attempt.delayMs));
    const user = username ? getUserByUsername({ db: getDb(), username }) : undefined;
    // Passwords are compared over their whole length: bcrypt reads 72 bytes, so no longer password can be stored.
    let ok = false;
    if (user && !passwordTooLong(input.password)) ok = await verifyPassword(input.password, user.passwordHash);
    else await burnPasswordCheck(input.password);
    if (!user || !ok || user.disabled) throw new AppError('invalid_credentials', 'Wrong username or password.', 401);
    attempt.succeeded();
    return { ...startSession(user.id), username: user.username, role: user.role };
  });
}

/** Creates an account (CLI). */
export async function addAccount(input: { username: string; role: Role; password: string }) {
  const username = usernameSchema.parse(input.username);
  const role = roleSchema.parse(input.role);
  const db = getDb();
  if (getUserByUsername({ db, username })) throw new AppError('user_exists', `A user named "${username}" already exists.`, 409);
  const user = createUser({ db, username, role, passwordHash: await hashPassword(input.password) });
  return { id: user.id, username: user.username, role: user.role };
}

export function listAccounts() {
  return listUsers({ db: getDb() });
}

/** Disables an account and ends its sessions. */
export function disableAccount(username: string): void {
  const db = getDb();
  const user = getUserByUsername({ db, username });
  if (!user) throw new AppError('user_not_found', `No user named "${username}".`, 404);
  setUserDisabled({ db, username, disabled: true });
  deleteSessionsOfUser({ db, userId: user.id });
}

/** Sets a new password and ends the account's sessions. */
export async function setAccountPassword(username: string, password: string): Promise<void> {
  const db = getDb();
  const user = getUserByUsername({ db, username });
  if (!user) throw new AppError('user_not_found', `No user named "${username}".`, 404);
  setUserPasswordHash({ db, username, passwordHash: await hashPassword(password) });
  deleteSessionsOfUser({ db, userId: user.id });
}
