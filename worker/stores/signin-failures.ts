import { and, eq, sql } from "drizzle-orm";
import type { Db } from "./db";
import { signinFailures } from "../db/schema";
import { waitMs, withFailure, type Throttled } from "../accounts/signin-throttle";

// Failed sign-ins per key (accounts/signin-throttle.ts has the rules): per account and client,
// and per account from clients it does not know.

const read = (db: Db, key: string) => db.select().from(signinFailures).where(eq(signinFailures.key, key)).get();

/** How long the next attempt under this key must wait, in ms; 0 when it may go ahead. */
export async function waitFor(db: Db, { key, throttle }: Throttled, now = Date.now()): Promise<number> {
  return waitMs(await read(db, key), throttle, now);
}

/**
 * Counts this attempt as a failure before its password is checked, unless the key must wait:
 * returns the wait in ms, or 0 once the attempt is counted (a sign-in that then succeeds forgets
 * the key). Counting first, by compare-and-set, means a burst of parallel guesses cannot all pass
 * one check: of attempts racing for one count, one wins and the others look again.
 */
export async function claimAttempt(db: Db, { key, throttle }: Throttled, now = Date.now()): Promise<number> {
  for (let tries = 0; tries < 3; tries++) {
    const current = await read(db, key);
    const wait = waitMs(current, throttle, now);
    if (wait > 0) return wait;
    const next = withFailure(current, throttle, now);
    const claimed = await db
      .insert(signinFailures)
      .values({ key, ...next })
      .onConflictDoUpdate({
        target: signinFailures.key,
        set: next,
        // No row read: -1 matches nothing, so a row another attempt just inserted is not overwritten.
        setWhere: and(eq(signinFailures.failures, current?.failures ?? -1), eq(signinFailures.lastFailureAt, current?.lastFailureAt ?? -1)),
      })
      .returning({ key: signinFailures.key });
    if (claimed.length) return 0;
  }
  return throttle.firstDelayMs;
}

/** One more failure under the key, in one statement, so parallel failures are all counted. */
export async function countFailure(db: Db, { key, throttle }: Throttled, now = Date.now()): Promise<void> {
  // The same count as withFailure (signin-throttle.ts), done in SQL.
  const forgotten = sql`${now} - ${signinFailures.lastFailureAt} >= ${throttle.forgetAfterMs}`;
  await db
    .insert(signinFailures)
    .values({ key, failures: 1, lastFailureAt: now })
    .onConflictDoUpdate({
      target: signinFailures.key,
      set: { failures: sql`case when ${forgotten} then 1 else ${signinFailures.failures} + 1 end`, lastFailureAt: now },
    });
}

export async function forgetFailures(db: Db, key: string): Promise<void> {
  await db.delete(signinFailures).where(eq(signinFailures.key, key));
}
