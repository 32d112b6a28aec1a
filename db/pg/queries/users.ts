/**
 * Accounts on PostgreSQL: the twin of db/queries/users.ts (same functions, arguments and results, async).
 *
 * Usernames compare and sort as on SQLite, where the column has the BINARY collation: `=` is byte equality on both
 * sides, and the list is ordered by `username COLLATE "C"` (byte order), whatever the database's default collation.
 */
import { asc, eq, sql } from 'drizzle-orm';
import type { listUsers as listUsersSqlite } from '../../queries/users';
import type { User, UserRole } from '../../schema';
import type { PgSession } from '../client';
import { users } from '../schema';

/** The error a duplicate username raises: SQLite's message, PostgreSQL's unique_violation code and constraint. */
function duplicateUsername(): Error {
  return Object.assign(new Error('UNIQUE constraint failed: users.username'), { code: '23505', constraint: 'users_username' });
}

/**
 * Inserts an account; a duplicate username throws (as the unique index does on SQLite). The row is inserted only when
 * the name is free, so a refused duplicate does not use up an id: ids run on without gaps, as SQLite AUTOINCREMENT
 * keys do. Two connections inserting the same new name at once: the unique index refuses the second.
 */
export async function createUser({ db, username, passwordHash, role }: { db: PgSession; username: string; passwordHash: string; role: UserRole }): Promise<User> {
  const c = (col: { name: string }) => sql.identifier(col.name);
  const rows = await db.execute<User>(sql`
    INSERT INTO ${users} (${c(users.username)}, ${c(users.passwordHash)}, ${c(users.role)})
    SELECT ${username}::text, ${passwordHash}::text, ${role}::text
    WHERE NOT EXISTS (SELECT 1 FROM ${users} WHERE ${users.username} = ${username})
    RETURNING ${c(users.id)} AS "id", ${c(users.username)} AS "username", ${c(users.passwordHash)} AS "passwordHash",
      ${c(users.role)} AS "role", ${c(users.createdAt)} AS "createdAt", ${c(users.disabled)} AS "disabled"`);
  const user = rows.rows[0];
  if (!user) throw duplicateUsername();
  return user;
}

export async function getUserByUsername({ db, username }: { db: PgSession; username: string }): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.username, username)).limit(1);
  return row;
}

export async function getUserById({ db, id }: { db: PgSession; id: number }): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

/** Every account without its hash, by username (byte order, as SQLite sorts). */
export async function listUsers({ db }: { db: PgSession }): Promise<ReturnType<typeof listUsersSqlite>> {
  return db
    .select({ id: users.id, username: users.username, role: users.role, createdAt: users.createdAt, disabled: users.disabled })
    .from(users)
    .orderBy(asc(sql`${users.username} COLLATE "C"`));
}

/** Disables (or re-enables) an account; returns false when there is no such user. */
export async function setUserDisabled({ db, username, disabled }: { db: PgSession; username: string; disabled: boolean }): Promise<boolean> {
  const r = await db.update(users).set({ disabled }).where(eq(users.username, username));
  return (r.rowCount ?? 0) > 0;
}

/** Replaces the password hash; returns false when there is no such user. */
export async function setUserPasswordHash({ db, username, passwordHash }: { db: PgSession; username: string; passwordHash: string }): Promise<boolean> {
  const r = await db.update(users).set({ passwordHash }).where(eq(users.username, username));
  return (r.rowCount ?? 0) > 0;
}
