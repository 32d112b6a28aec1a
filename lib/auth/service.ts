/** Sign-in and account management (used by /api/auth/* and `populace users`). */
import { z } from 'zod';
import { getDb } from '../../db/client';
import { deleteSessionsOfUser } from '../../db/queries/sessions';
import { createUser, getUserByUsername, listUsers, setUserDisabled, setUserPasswordHash } from '../../db/queries/users';
import { AppError } from '../http/errors';
import { userRoles, type Role } from './config';
import { burnPasswordCheck, hashPassword, verifyPassword } from './password';
import { clearFailures, clientIp, ipKey, recordFailure, retryAfterSeconds, usernameKey } from './rate-limit';
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
 * the same 401; 5 failures per username or per client IP in 15 minutes answer 429 (RateLimitedError).
 */
export async function signIn(input: { username: string; password: string }, headers: Headers): Promise<SignedIn> {
  const username = input.username.trim();
  const keys = [usernameKey(username), ipKey(clientIp(headers))];
  const wait = retryAfterSeconds(keys);
  if (wait > 0) throw new RateLimitedError(wait);
  const user = username ? getUserByUsername({ db: getDb(), username }) : undefined;
  let ok = false;
  if (user) ok = await verifyPassword(input.password, user.passwordHash);
  else await burnPasswordCheck(input.password);
  if (!user || !ok || user.disabled) {
    recordFailure(keys);
    throw new AppError('invalid_credentials', 'Wrong username or password.', 401);
  }
  clearFailures(usernameKey(username));
  return { ...startSession(user.id), username: user.username, role: user.role };
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
