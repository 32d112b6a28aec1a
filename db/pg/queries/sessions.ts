/**
 * Sign-in sessions on PostgreSQL: the twin of db/queries/sessions.ts (same functions, arguments and results, async).
 *
 * Expiry times are ISO text compared with the caller's `now` (ISO). SQLite compares text byte by byte (BINARY);
 * the comparisons here use COLLATE "C" so they agree whatever the database's default collation.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { SessionWithUser } from '../../queries/sessions';
import type { Session } from '../../schema';
import type { PgSession } from '../client';
import { sessions, users } from '../schema';

export type { SessionWithUser };

export async function insertSession({
  db,
  id,
  userId,
  expiresAt,
  csrfToken,
}: {
  db: PgSession;
  id: string;
  userId: number;
  expiresAt: string;
  csrfToken: string;
}): Promise<Session> {
  const [row] = await db.insert(sessions).values({ id, userId, expiresAt, csrfToken }).returning();
  return row!;
}

/** A live session (not expired at `now`, ISO) of an enabled user, with the user's name and role. */
export async function getLiveSession({ db, id, now }: { db: PgSession; id: string; now: string }): Promise<SessionWithUser | undefined> {
  const [row] = await db
    .select({
      id: sessions.id,
      expiresAt: sessions.expiresAt,
      csrfToken: sessions.csrfToken,
      userId: users.id,
      username: users.username,
      role: users.role,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, id), sql`${sessions.expiresAt} COLLATE "C" > ${now}`, eq(users.disabled, false)))
    .limit(1);
  return row;
}

export async function deleteSession({ db, id }: { db: PgSession; id: string }): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, id));
}

/** Ends every session of a user (on disable or password change). */
export async function deleteSessionsOfUser({ db, userId }: { db: PgSession; userId: number }): Promise<number> {
  const r = await db.delete(sessions).where(eq(sessions.userId, userId));
  return r.rowCount ?? 0;
}

/** Removes sessions that expired at or before `now` (ISO). */
export async function deleteExpiredSessions({ db, now }: { db: PgSession; now: string }): Promise<number> {
  const r = await db.delete(sessions).where(sql`${sessions.expiresAt} COLLATE "C" <= ${now}`);
  return r.rowCount ?? 0;
}
