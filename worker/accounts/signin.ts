import { AppError } from "../http/errors";
import { POLICIES, type Limited } from "../http/rate-limit";
import { THROTTLES, tooManyAttempts, type Throttled } from "./signin-throttle";

// The rules of signing in: which counts slow a guesser (signin-throttle.ts) and what a refused
// sign-in is told. The check itself reads and counts in D1 (stores/signins.ts).

const WRONG = "That email and password do not match an account.";

/** Verified against this when the email is unknown, so both failures take the same time. */
export const DUMMY_HASH = "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

/** Who is signing in: the device cookie when the browser has one, and the address it comes from. */
export type Client = { ip: string; deviceToken?: string };

/** A sign-in refused before its password was checked; `waitMs` says for how long. */
export class SignInThrottled extends AppError {
  constructor(readonly waitMs: number) {
    super("too_many_requests", tooManyAttempts(waitMs));
  }
}

/**
 * The counts a sign-in is slowed by: per account and client, where the client is the device
 * when it has signed in to this account before (`knownDeviceHash`) and the IP address otherwise;
 * and, for clients the account does not know, a per-account count and a per-IP one (across
 * accounts).
 */
export function signInLimits(email: string, client: Client, knownDeviceHash: string | null): { perClient: Throttled; perAccount: Throttled; perIp: Limited } {
  return {
    perClient: { key: `signin:${email}:${knownDeviceHash ? `device:${knownDeviceHash}` : `ip:${client.ip}`}`, throttle: THROTTLES.perClient },
    perAccount: { key: `signin:${email}`, throttle: THROTTLES.perAccount },
    perIp: { key: `signin-ip:${client.ip}`, policy: POLICIES.signinIp },
  };
}

/** What a failed sign-in is told: that the account is disabled only once its password was right, else not which part was wrong. */
export const refusedSignIn = (user: { disabled: boolean } | undefined, passwordOk: boolean) =>
  new AppError("unauthorised", user?.disabled && passwordOk ? "This account has been disabled by your administrator." : WRONG);
