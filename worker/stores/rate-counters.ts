import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "./db";
import { rateCounters } from "../db/schema";
import { isHeld, minutesUntilFree, type Counter, type Limited, type Policy } from "../http/rate-limit";

// Fixed-window counts of events per key (http/rate-limit.ts has the rules): failed sign-ins and
// contact forms per IP address.

type Held = { key: string; minutes: number };

/** The first of these keys that is held, with the minutes until it is free; null when none is. */
export async function heldKey(db: Db, keys: Limited[], now = Date.now()): Promise<Held | null> {
  const rows = await db.select().from(rateCounters).where(inArray(rateCounters.key, keys.map((k) => k.key)));
  const counters = new Map(rows.map((r) => [r.key, r]));
  for (const { key, policy } of keys) {
    const held = heldBy(key, counters.get(key), policy, now);
    if (held) return held;
  }
  return null;
}

function heldBy(key: string, counter: Counter | undefined, policy: Policy, now: number): Held | null {
  return isHeld(counter, policy, now) ? { key, minutes: minutesUntilFree(counter!, policy, now) } : null;
}

/** Counts one event against each key. */
export async function countEvents(db: Db, keys: Limited[], now = Date.now()): Promise<void> {
  const [first, ...rest] = keys.map((k) => countStatement(db, k, now));
  if (first) await db.batch([first, ...rest]);
}

/**
 * Counts one event against the key unless it is held, in one statement: a new chat's ring waits
 * for it. A held key's count goes on past the limit, which keeps it held to the window's end.
 */
export async function countUnlessHeld(db: Db, limited: Limited, now = Date.now()): Promise<Held | null> {
  const [counter] = await countStatement(db, limited, now).returning();
  // Held or not by the count before this event.
  return heldBy(limited.key, { ...counter!, count: counter!.count - 1 }, limited.policy, now);
}

/** One more event in the key's fixed window (rate-limit.ts), or the first of a new window once it has passed. */
function countStatement(db: Db, { key, policy }: Limited, now: number) {
  const windowOver = sql`${now} - ${rateCounters.windowStart} >= ${policy.windowMs}`;
  return db
    .insert(rateCounters)
    .values({ key, count: 1, windowStart: now })
    .onConflictDoUpdate({
      target: rateCounters.key,
      set: {
        count: sql`case when ${windowOver} then 1 else ${rateCounters.count} + 1 end`,
        windowStart: sql`case when ${windowOver} then ${now} else ${rateCounters.windowStart} end`,
      },
    });
}

export async function clearCounter(db: Db, key: string): Promise<void> {
  await db.delete(rateCounters).where(eq(rateCounters.key, key));
}
