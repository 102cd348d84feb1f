import { eq } from "drizzle-orm";
import { verifyPassword } from "../accounts/password";
import { DUMMY_HASH, SignInThrottled, refusedSignIn, signInLimits, type Client } from "../accounts/signin";
import { users } from "../db/schema";
import { auditInsert } from "./audit";
import type { Db } from "./db";
import { knownDevice } from "./known-devices";
import { countEvents, heldKey } from "./rate-counters";
import { claimAttempt, countFailure, forgetFailures, waitFor } from "./signin-failures";

// A sign-in checked against D1: the account by its email, its known devices, the counts that slow
// a guesser (accounts/signin.ts says which) and the audit line of a failure.

/**
 * Checks a sign-in, slowing guessers without locking the owner out (signin-throttle.ts): failures
 * are counted per account and client, where the client is the device when it has signed in to
 * this account before and the IP address otherwise. Clients the account does not know also share
 * a per-account count and a per-IP one (across accounts); a known device skips both.
 */
export async function signIn(db: Db, email: string, password: string, client: Client, now = Date.now()): Promise<string> {
  const user = await db.select().from(users).where(eq(users.email, email)).get();
  const device = user && client.deviceToken ? await knownDevice(db, user.id, client.deviceToken) : null;
  const { perClient, perAccount, perIp } = signInLimits(email, client, device);

  if (!device) {
    const accountWait = await waitFor(db, perAccount, now);
    if (accountWait) throw new SignInThrottled(accountWait);
    const held = await heldKey(db, [perIp], now);
    if (held) throw new SignInThrottled(held.minutes * 60_000);
  }
  const wait = await claimAttempt(db, perClient, now);
  if (wait) throw new SignInThrottled(wait);

  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || user.disabled) {
    if (!device) await Promise.all([countFailure(db, perAccount, now), countEvents(db, [perIp], now)]);
    await auditInsert(db, { companyId: user?.companyId ?? null, userId: user?.id ?? null, action: "signin.failed", subject: email });
    throw refusedSignIn(user, ok);
  }
  await forgetFailures(db, perClient.key);
  return user.id;
}
