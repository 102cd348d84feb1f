import { eq, inArray } from "drizzle-orm";
import type { Db } from "./db";
import { rateCounters } from "../db/schema";
import { countEvent, isHeld, minutesUntilFree, type Counter, type Policy } from "../http/rate-limit";

export type Limited = { key: string; policy: Policy };

/** The first of these keys that is held, with the minutes until it is free; null when none is. */
export async function heldKey(db: Db, keys: Limited[], now = Date.now()): Promise<{ key: string; minutes: number } | null> {
  return firstHeld(keys, await readCounters(db, keys), now);
}

function firstHeld(keys: Limited[], counters: Map<string, Counter>, now: number): { key: string; minutes: number } | null {
  for (const { key, policy } of keys) {
    const counter = counters.get(key);
    if (isHeld(counter, policy, now)) return { key, minutes: minutesUntilFree(counter!, policy, now) };
  }
  return null;
}

/** Counts one event against each key. */
export async function countEvents(db: Db, keys: Limited[], now = Date.now()): Promise<void> {
  await writeCounts(db, keys, await readCounters(db, keys), now);
}

/** `heldKey`, then (when none is held) `countEvents`, reading the counters once. */
export async function countUnlessHeld(db: Db, keys: Limited[], now = Date.now()): Promise<{ key: string; minutes: number } | null> {
  const counters = await readCounters(db, keys);
  const held = firstHeld(keys, counters, now);
  if (!held) await writeCounts(db, keys, counters, now);
  return held;
}

async function writeCounts(db: Db, keys: Limited[], counters: Map<string, Counter>, now: number): Promise<void> {
  const [first, ...rest] = keys.map(({ key, policy }) => {
    const next = countEvent(key, counters.get(key), policy, now);
    return db
      .insert(rateCounters)
      .values(next)
      .onConflictDoUpdate({ target: rateCounters.key, set: { count: next.count, windowStart: next.windowStart } });
  });
  if (first) await db.batch([first, ...rest]);
}

export async function clearCounter(db: Db, key: string): Promise<void> {
  await db.delete(rateCounters).where(eq(rateCounters.key, key));
}

async function readCounters(db: Db, keys: Limited[]): Promise<Map<string, Counter>> {
  const rows = await db.select().from(rateCounters).where(inArray(rateCounters.key, keys.map((k) => k.key)));
  return new Map(rows.map((r) => [r.key, r]));
}
