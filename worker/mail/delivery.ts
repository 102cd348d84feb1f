import type { MailKind } from "./message";

// How the outbox is delivered: retries with backoff, when a mail is given up, when the sweep
// steps in, and which mail the entitlement holds back. Pure: worker/jobs/mail-delivery.ts acts on it.

/** Attempts before a mail is given up as failed: about an hour and a half of retries. */
export const MAX_ATTEMPTS = 5;

/** A delivery that marked a row `sending` and then vanished (a crash) leaves it to another after this. */
export const CLAIM_LEASE_MS = 10 * 60_000;

/** A queued row this much older than its time is one the queue missed: the sweep sends it again. */
export const SWEEP_AFTER_MS = 60_000;

/** Seconds before attempt n + 1 after attempt n failed: 30 s, 2 min, 8 min, 32 min, then hourly. */
export const retryDelaySeconds = (attempts: number): number => Math.min(3600, 30 * 4 ** Math.max(0, attempts - 1));

/** Why a send failed; a permanent failure (the relay refused for good, a 5xx) is not retried. */
export type SendFailure = { reason: string; permanent: boolean };

export type AfterFailure = { status: "failed"; note: string } | { status: "queued"; note: string; retryInSeconds: number; nextAttemptAt: number };

/** What becomes of a mail whose attempt number `attempts` failed. */
export function afterFailure(attempts: number, failure: SendFailure, now: number): AfterFailure {
  if (failure.permanent || attempts >= MAX_ATTEMPTS) {
    const tries = attempts === 1 ? "1 attempt" : `${attempts} attempts`;
    return { status: "failed", note: `${failure.reason} (after ${tries})` };
  }
  const retryInSeconds = retryDelaySeconds(attempts);
  return { status: "queued", note: `${failure.reason} (attempt ${attempts}; trying again)`, retryInSeconds, nextAttemptAt: now + retryInSeconds * 1000 };
}

/** At the quota every mail but these waits: a customer who paid always gets the receipt. */
export const SENT_AT_QUOTA: readonly MailKind[] = ["receipt"];

/**
 * An alert held this long is out of date when the entitlement has room again ("someone is free
 * to talk", "a customer is waiting" are about that moment): it is not sent then, but failed with
 * OUTDATED_NOTE. The other kinds say what stays true and go out late.
 */
export const ALERT_OUTDATED_AFTER_MS = 60 * 60 * 1000;
export const OUTDATED_NOTE = "Not sent: this alert waited over an hour for the entitlement and was out of date by then.";

/** What the admin reads beside a held mail. */
export const HELD_NOTE = "Held: the company's entitlement (chats and emails) for this month is used up; sent when the next month begins or the quota is raised. Receipts are still sent.";
