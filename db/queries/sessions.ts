/** Sign-in sessions, keyed by the sha256 of the cookie token (the token itself is never stored). */
import { and, eq, gt, lte } from 'drizzle-orm';
import type { Db } from '../client';
import { sessions, users, type Session, type UserRole } from '../schema';

export function insertSession({ db, id, userId, expiresAt, csrfToken }: { db: Db; id: string; userId: number; expiresAt: string; csrfToken: string }): Session {
  return db.insert(sessions).values({ id, userId, expiresAt, csrfToken }).returning().get();
}

export interface SessionWithUser {
  id: string;
  expiresAt: string;
  csrfToken: string;
  userId: number;
  username: string;
  role: UserRole;
}

/** A live session (not expired at `now`, ISO) of an enabled user, with the user's name and role. */
export function getLiveSession({ db, id, now }: { db: Db; id: string; now: string }): SessionWithUser | undefined {
  return db
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
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, now), eq(users.disabled, false)))
    .get();
}

export function deleteSession({ db, id }: { db: Db; id: string }): void {
  db.delete(sessions).where(eq(sessions.id, id)).run();
}

/** Ends every session of a user (on disable or password change). */
export function deleteSessionsOfUser({ db, userId }: { db: Db; userId: number }): number {
  return db.delete(sessions).where(eq(sessions.userId, userId)).run().changes;
}

/** Removes sessions that expired at or before `now` (ISO). */
export function deleteExpiredSessions({ db, now }: { db: Db; now: string }): number {
  return db.delete(sessions).where(lte(sessions.expiresAt, now)).run().changes;
}
