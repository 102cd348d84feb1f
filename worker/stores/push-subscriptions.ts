import { and, asc, eq } from "drizzle-orm";
import { pushSubscriptions, roomAgents, rooms, users } from "../db/schema";
import type { DeviceSubscription, SubscribedDevice } from "../push/subscription";
import type { Db } from "./db";
import { inList } from "./in-list";

// The devices agents allowed Web Push on (worker/push). An endpoint belongs to one browser
// profile: subscribing it again (another agent signed in there, or new keys) replaces the row.
// A row goes with the sign-in that saved it (the foreign key cascades): signing out, or being
// signed out everywhere, stops that browser's notifications.

/** `sessionHash`: the sessions row of the sign-in subscribing (worker/stores/sessions.ts). */
export async function saveSubscription(db: Db, userId: string, sessionHash: string, sub: DeviceSubscription, label: string): Promise<void> {
  const values = { userId, sessionHash, endpoint: sub.endpoint, p256dh: sub.keys.p256dh, auth: sub.keys.auth, label };
  await db
    .insert(pushSubscriptions)
    .values({ id: crypto.randomUUID(), ...values })
    .onConflictDoUpdate({ target: pushSubscriptions.endpoint, set: values });
}

export async function listDevices(db: Db, userId: string): Promise<SubscribedDevice[]> {
  return db
    .select({ id: pushSubscriptions.id, label: pushSubscriptions.label, createdAt: pushSubscriptions.createdAt })
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.userId, userId))
    .orderBy(asc(pushSubscriptions.createdAt))
    .all();
}

export async function hasEndpoint(db: Db, userId: string, endpoint: string): Promise<boolean> {
  const row = await db
    .select({ id: pushSubscriptions.id })
    .from(pushSubscriptions)
    .where(and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, endpoint)))
    .get();
  return row !== undefined;
}

/** Removes one of the agent's own devices; false when it is not theirs (or gone already). */
export async function removeDevice(db: Db, userId: string, id: string): Promise<boolean> {
  const gone = await db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.id, id), eq(pushSubscriptions.userId, userId)))
    .returning({ id: pushSubscriptions.id });
  return gone.length > 0;
}

/** The push service said the subscription no longer exists (404/410). */
export async function forgetEndpoint(db: Db, endpoint: string): Promise<void> {
  await db.delete(pushSubscriptions).where(eq(pushSubscriptions.endpoint, endpoint));
}

export type AgentSubscription = DeviceSubscription & { agentId: string };

const columns = {
  agentId: pushSubscriptions.userId,
  endpoint: pushSubscriptions.endpoint,
  p256dh: pushSubscriptions.p256dh,
  auth: pushSubscriptions.auth,
};
type Row = { agentId: string; endpoint: string; p256dh: string; auth: string };
const asSubscription = ({ agentId, endpoint, p256dh, auth }: Row): AgentSubscription => ({ agentId, endpoint, keys: { p256dh, auth } });

/**
 * The subscribed devices of the enabled agents who serve a room: a company's room by its name,
 * or an agent's private room `~handle`.
 */
export async function roomSubscriptions(db: Db, companyId: string, roomName: string): Promise<AgentSubscription[]> {
  const enabled = and(eq(users.companyId, companyId), eq(users.disabled, false), eq(users.isAgent, true));
  const rows = roomName.startsWith("~")
    ? await db
        .select(columns)
        .from(pushSubscriptions)
        .innerJoin(users, eq(users.id, pushSubscriptions.userId))
        .where(and(enabled, eq(users.handle, roomName.slice(1))))
        .all()
    : await db
        .select(columns)
        .from(pushSubscriptions)
        .innerJoin(users, eq(users.id, pushSubscriptions.userId))
        .innerJoin(roomAgents, eq(roomAgents.userId, users.id))
        .innerJoin(rooms, eq(rooms.id, roomAgents.roomId))
        .where(and(enabled, eq(rooms.companyId, companyId), eq(rooms.name, roomName)))
        .all();
  return rows.map(asSubscription);
}

export async function agentSubscriptions(db: Db, agentIds: string[]): Promise<AgentSubscription[]> {
  if (!agentIds.length) return [];
  const rows = await db.select(columns).from(pushSubscriptions).where(inList(pushSubscriptions.userId, agentIds)).all();
  return rows.map(asSubscription);
}
