import { eq } from "drizzle-orm";
import type { Db } from "../stores/db";
import { countEvents, heldKey, type Limited } from "../stores/rate-counters";
import { claimAttempt, countFailure, forgetFailures, waitFor, type Throttled } from "../stores/signin-failures";
import { users } from "../db/schema";
import { AppError } from "../http/errors";
import { POLICIES } from "../http/rate-limit";
import { auditInsert } from "./audit";
import { knownDevice } from "./known-devices";
import { verifyPassword } from "./password";
import { THROTTLES, tooManyAttempts } from "./signin-throttle";

const WRONG = "That email and password do not match an account.";

// Verified against this when the email is unknown, so both failures take the same time.
const DUMMY_HASH = "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

/** Who is signing in: the device cookie when the browser has one, and the address it comes from. */
export type Client = { ip: string; deviceToken?: string };

/** A sign-in refused before its password was checked; `waitMs` says for how long. */
export class SignInThrottled extends AppError {
  constructor(readonly waitMs: number) {
    super("too_many_requests", tooManyAttempts(waitMs));
  }
}

/**
 * Checks a sign-in, slowing guessers without locking the owner out (signin-throttle.ts): failures
 * are counted per account and client, where the client is the device when it has signed in to
 * this account before and the IP address otherwise. Clients the account does not know also share
 * a per-account count and a per-IP one (across accounts); a known device skips both.
 */
export async function signIn(db: Db, email: string, password: string, client: Client, now = Date.now()): Promise<string> {
  const user = await db.select().from(users).where(eq(users.email, email)).get();
  const device = user && client.deviceToken ? await knownDevice(db, user.id, client.deviceToken) : null;
  const perClient: Throttled = { key: `signin:${email}:${device ? `device:${device}` : `ip:${client.ip}`}`, throttle: THROTTLES.perClient };
  const perAccount: Throttled = { key: `signin:${email}`, throttle: THROTTLES.perAccount };
  const perIp: Limited = { key: `signin-ip:${client.ip}`, policy: POLICIES.signinIp };

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
    throw new AppError("unauthorised", user?.disabled && ok ? "This account has been disabled by your administrator." : WRONG);
  }
  await forgetFailures(db, perClient.key);
  return user.id;
}
