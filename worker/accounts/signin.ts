import { eq } from "drizzle-orm";
import type { Db } from "../adapters/db";
import { clearCounter, countEvents, heldKey, type Limited } from "../adapters/rate-counters";
import { users } from "../db/schema";
import { AppError } from "../http/errors";
import { POLICIES } from "../http/rate-limit";
import { auditInsert } from "./audit";
import { verifyPassword } from "./password";

const WRONG = "That email and password do not match an account.";

// Verified against this when the email is unknown, so both failures take the same time.
const DUMMY_HASH = "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

/** Checks a sign-in; counts failures per email and per client IP and refuses while either is held. */
export async function signIn(db: Db, email: string, password: string, ip: string, now = Date.now()): Promise<string> {
  const keys: Limited[] = [
    { key: `signin-email:${email}`, policy: POLICIES.signinEmail },
    { key: `signin-ip:${ip}`, policy: POLICIES.signinIp },
  ];
  const held = await heldKey(db, keys, now);
  if (held) {
    throw new AppError("too_many_requests", `Too many failed sign-ins. Try again in ${held.minutes} minutes, or reset your password.`);
  }

  const user = await db.select().from(users).where(eq(users.email, email)).get();
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || user.disabled) {
    await countEvents(db, keys, now);
    await auditInsert(db, { companyId: user?.companyId ?? null, userId: user?.id ?? null, action: "signin.failed", subject: email });
    throw new AppError("unauthorised", user?.disabled && ok ? "This account has been disabled by your administrator." : WRONG);
  }
  await clearCounter(db, keys[0]!.key);
  return user.id;
}
