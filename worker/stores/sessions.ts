import { and, eq, gt, sql } from "drizzle-orm";
import { SESSION_TTL_MS, type SessionUser } from "../accounts/sessions";
import { randomToken, sha256Hex } from "../accounts/tokens";
import { companies, sessions, users } from "../db/schema";
import { prepared, type Db } from "./db";

// Sessions by the SHA-256 of their token: a leaked table does not leak live sessions.

/** A session's row id, from its cookie's token. */
export const sessionHash = (token: string) => sha256Hex(token);

export async function createSession(db: Db, userId: string, now = Date.now()): Promise<string> {
  const token = randomToken();
  await db.insert(sessions).values({ idHash: await sessionHash(token), userId, expiresAt: now + SESSION_TTL_MS });
  return token;
}

const sessionUserQuery = prepared((db) =>
  db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      handle: users.handle,
      isAdmin: users.isAdmin,
      isAgent: users.isAgent,
      disabled: users.disabled,
      companyId: companies.id,
      companySlug: companies.slug,
      companyName: companies.name,
      accountType: companies.accountType,
      plan: companies.plan,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(companies, eq(companies.id, users.companyId))
    .where(and(eq(sessions.idHash, sql.placeholder("idHash")), gt(sessions.expiresAt, sql.placeholder("now"))))
    .prepare(),
);

export async function findSessionUser(db: Db, token: string, now = Date.now()): Promise<SessionUser | null> {
  const row = await sessionUserQuery(db).get({ idHash: await sessionHash(token), now });
  if (!row || row.disabled) return null;
  const { disabled: _disabled, ...user } = row;
  return user;
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.idHash, await sessionHash(token)));
}

/** Signs a disabled agent out everywhere at once. */
export async function deleteUserSessions(db: Db, userId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}
