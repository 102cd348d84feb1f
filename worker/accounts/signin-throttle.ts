// Growing delays between failed sign-ins, instead of a lockout: a lockout per email lets anyone
// who knows an agent's (public) email keep them out. Failures are counted per account and client,
// so guessing from one client slows only that client, and per account from every client the
// account does not know, so guessing from many addresses slows too; a device the account has
// signed in on before is never held back by others' failures. Pure; the counts live in D1
// (stores/signin-failures.ts).

export type Failures = { failures: number; lastFailureAt: number };
export type Throttle = {
  /** Failures allowed before any wait: people mistype. */
  freeFailures: number;
  /** The wait after the first failure past the free ones; each further failure doubles it. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** A count this long after its last failure starts again from nothing. */
  forgetAfterMs: number;
};
/** A key counted under a throttle: `signin:{email}` under THROTTLES.perAccount, say. */
export type Throttled = { key: string; throttle: Throttle };

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

export const THROTTLES = {
  /** One client (a known device, else an IP address) guessing one account's password. */
  perClient: { freeFailures: 5, firstDelayMs: SECOND, maxDelayMs: 15 * MINUTE, forgetAfterMs: DAY },
  /** Every client the account does not know, together: guessing spread over many addresses. */
  perAccount: { freeFailures: 50, firstDelayMs: SECOND, maxDelayMs: 15 * MINUTE, forgetAfterMs: DAY },
} satisfies Record<string, Throttle>;

const forgotten = (f: Failures | undefined, t: Throttle, now: number) => !f || now - f.lastFailureAt >= t.forgetAfterMs;

/** How long the next attempt must wait, in ms; 0 when it may go ahead. */
export function waitMs(f: Failures | undefined, t: Throttle, now: number): number {
  if (forgotten(f, t, now) || f!.failures < t.freeFailures) return 0;
  // 2^n overflows nothing here: the exponent is capped where the delay already passes the cap.
  const past = Math.min(f!.failures - t.freeFailures, 40);
  const delay = Math.min(t.firstDelayMs * 2 ** past, t.maxDelayMs);
  return Math.max(0, f!.lastFailureAt + delay - now);
}

/** The count once one more failure is added at `now`. */
export function withFailure(f: Failures | undefined, t: Throttle, now: number): Failures {
  return { failures: forgotten(f, t, now) ? 1 : f!.failures + 1, lastFailureAt: now };
}

/** "30 seconds", "1 minute", "15 minutes": a wait rounded up, in words. */
export function waitInWords(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / SECOND));
  if (seconds < 60) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

export const tooManyAttempts = (ms: number) => `Too many attempts; try again in ${waitInWords(ms)}.`;
