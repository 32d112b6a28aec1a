/** Accounts: create, find, list, disable, set a password hash. Passwords are hashed in lib/auth/password.ts. */
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { users, type User, type UserRole } from '../schema';

/** Inserts an account; the unique index on username turns a duplicate into a SQLite constraint error. */
export function createUser({ db, username, passwordHash, role }: { db: Db; username: string; passwordHash: string; role: UserRole }): User {
  return db.insert(users).values({ username, passwordHash, role }).returning().get();
}

export function getUserByUsername({ db, username }: { db: Db; username: string }): User | undefined {
  return db.select().from(users).where(eq(users.username, username)).get();
}

export function getUserById({ db, id }: { db: Db; id: number }): User | undefined {
  return db.select().from(users).where(eq(users.id, id)).get();
}

/** Every account without its hash, by username. */
export function listUsers({ db }: { db: Db }) {
  return db
    .select({ id: users.id, username: users.username, role: users.role, createdAt: users.createdAt, disabled: users.disabled })
    .from(users)
    .orderBy(asc(users.username))
    .all();
}

/** Disables (or re-enables) an account; returns false when there is no such user. */
export function setUserDisabled({ db, username, disabled }: { db: Db; username: string; disabled: boolean }): boolean {
  return db.update(users).set({ disabled }).where(eq(users.username, username)).run().changes > 0;
}

/** Replaces the password hash; returns false when there is no such user. */
export function setUserPasswordHash({ db, username, passwordHash }: { db: Db; username: string; passwordHash: string }): boolean {
  return db.update(users).set({ passwordHash }).where(eq(users.username, username)).run().changes > 0;
}
