// How webhook deliveries are retried: with backoff for 24 hours from the event, then given up,
// and the endpoint marked failing. Pure: worker/jobs/webhook-delivery.ts acts on it.

/** A delivery is retried for this long after its event; the last attempt falls at its end. */
export const RETRY_FOR_MS = 24 * 3600_000;

/** Each attempt waits this long for the receiver's answer. */
export const ATTEMPT_TIMEOUT_MS = 5000;

/** The receiver's answer body is kept up to this many characters, for the admin to read. */
export const RESPONSE_KEPT = 1024;

/** A delivery that marked a row `sending` and then vanished leaves it to another after this. */
export const CLAIM_LEASE_MS = 2 * 60_000;

/** A queued row this much older than its time is one the queue missed: the sweep enqueues it again. */
export const SWEEP_AFTER_MS = 60_000;

/** Seconds before attempt n + 1 after attempt n failed: 30 s, 2 min, 8 min, 32 min, 2 h 8 min, then every 4 h. */
export const retryDelaySeconds = (attempts: number): number => Math.min(4 * 3600, 30 * 4 ** Math.max(0, attempts - 1));

export type AfterFailure = { status: "failed"; note: string } | { status: "queued"; note: string; retryInSeconds: number; nextAttemptAt: number };

/** What becomes of a delivery of an event made at `createdAt` whose attempt number `attempts` failed at `now`. */
export function afterFailure(createdAt: number, attempts: number, reason: string, now: number): AfterFailure {
  const left = createdAt + RETRY_FOR_MS - now;
  if (left <= 0) return { status: "failed", note: `${reason} (given up after ${attempts} attempts over 24 hours)` };
  const retryInSeconds = Math.max(1, Math.min(retryDelaySeconds(attempts), Math.ceil(left / 1000)));
  return { status: "queued", note: `${reason} (attempt ${attempts}; trying again)`, retryInSeconds, nextAttemptAt: now + retryInSeconds * 1000 };
}

/** A 2xx answer is a delivery; anything else (a redirect too: we do not follow them) is retried. */
export const delivered = (status: number): boolean => status >= 200 && status < 300;
