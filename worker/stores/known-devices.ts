import { and, eq } from "drizzle-orm";
import { sha256Hex } from "../accounts/tokens";
import { knownDevices } from "../db/schema";
import type { Db } from "./db";

// A device is a browser holding a device cookie (http/device.ts); it becomes known to an account
// when it signs in to it. Only the cookie's hash is stored, like sessions'.

/** The device's hash when it has signed in to this user's account before; null otherwise. */
export async function knownDevice(db: Db, userId: string, token: string): Promise<string | null> {
  const deviceHash = await sha256Hex(token);
  const row = await db
    .select({ deviceHash: knownDevices.deviceHash })
    .from(knownDevices)
    .where(and(eq(knownDevices.userId, userId), eq(knownDevices.deviceHash, deviceHash)))
    .get();
  return row?.deviceHash ?? null;
}

export async function addKnownDevice(db: Db, userId: string, token: string, now = Date.now()): Promise<void> {
  await db
    .insert(knownDevices)
    .values({ userId, deviceHash: await sha256Hex(token), lastSignInAt: now })
    .onConflictDoUpdate({ target: [knownDevices.userId, knownDevices.deviceHash], set: { lastSignInAt: now } });
}
