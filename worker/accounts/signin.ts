import { eq, inArray } from "drizzle-orm";
import type { Db } from "../adapters/db";
import { loginFailures, users } from "../db/schema";
import { AppError } from "../http/errors";
import { auditInsert } from "./audit";
import { verifyPassword } from "./password";
import { isLockedOut, minutesUntilRetry, recordFailure, type FailureRecord } from "./throttle";

const WRONG = "That email and password do not match an account.";

// Verified against this when the email is unknown, so both failures take the same time.
const DUMMY_HASH = "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

/** Checks a sign-in; counts failures per email and per client IP and refuses while either is locked. */
export async function signIn(db: Db, email: string, password: string, ip: string, now = Date.now()): Promise<string> {
  const keys = [`email:${email}`, `ip:${ip}`];
  const records = await db.select().from(loginFailures).where(inArray(loginFailures.key, keys));
  const locked = records.find((r) => isLockedOut(r, now));
  if (locked) {
    throw new AppError(
      "too_many_requests",
      `Too many failed sign-ins. Try again in ${minutesUntilRetry(locked, now)} minutes, or reset your password.`,
    );
  }

  const user = await db.select().from(users).where(eq(users.email, email)).get();
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || user.disabled) {
    await db.batch([
      auditInsert(db, { companyId: user?.companyId ?? null, userId: user?.id ?? null, action: "signin.failed", subject: email }),
      ...keys.map((key) => {
        const next: FailureRecord = recordFailure(key, records.find((r) => r.key === key), now);
        return db
          .insert(loginFailures)
          .values(next)
          .onConflictDoUpdate({ target: loginFailures.key, set: { count: next.count, windowStart: next.windowStart } });
      }),
    ]);
    throw new AppError("unauthorised", user?.disabled && ok ? "This account has been disabled by your administrator." : WRONG);
  }
  await db.delete(loginFailures).where(eq(loginFailures.key, keys[0]!));
  return user.id;
}
