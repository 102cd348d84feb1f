import { sendPush, vapidPublicKey, type VapidEnv } from "../adapters/web-push";
import type { RingInfo } from "../live/contracts";
import { agentObject } from "../live/stubs";
import { openDb, type Db } from "../stores/db";
import { agentSubscriptions, forgetEndpoint, roomSubscriptions, type AgentSubscription } from "../stores/push-subscriptions";
import { RING_TTL_SECONDS, ringPush, withdrawPush, type PushMessage, type WithdrawPush } from "./notifications";

// Rings for agents away from the console: a room with no console to ring pushes the chat to
// the subscribed devices of its agents who are away and available (durable-objects/RoomDO.ts),
// and withdraws it when the chat is answered or the customer leaves. Both run in the
// background of the ring, never on its way.

export type PushEnv = Env & VapidEnv;

/**
 * Pushes the ring to every device of the room's away agents (those `chosen` of them); returns the
 * agents at least one device of whom took it.
 */
export async function pushRing(env: PushEnv, ring: RingInfo, chosen: (agentId: string) => boolean = () => true): Promise<string[]> {
  if (!vapidPublicKey(env)) return [];
  const db = openDb(env.DB);
  const at = ring.roomKey.indexOf(":");
  const subscriptions = (await roomSubscriptions(db, ring.roomKey.slice(0, at), ring.roomKey.slice(at + 1))).filter((s) => chosen(s.agentId));
  const agentIds = [...new Set(subscriptions.map((s) => s.agentId))];
  const available = await Promise.all(
    agentIds.map((id) =>
      agentObject(env, id)
        .awayAndAvailable()
        .catch((err: unknown) => {
          console.error("push: agent's state unknown", id, err);
          return false;
        }),
    ),
  );
  const away = new Set(agentIds.filter((_, i) => available[i]));
  const sent = await deliver(env, db, subscriptions.filter((s) => away.has(s.agentId)), ringPush(ring));
  return [...new Set(sent.map((s) => s.agentId))];
}

/** Closes the ring's notification on the devices of the agents it was pushed to, saying why. */
export async function withdrawRing(env: PushEnv, chatId: string, agentIds: string[], why: WithdrawPush["why"]): Promise<void> {
  if (!vapidPublicKey(env) || !agentIds.length) return;
  const db = openDb(env.DB);
  await deliver(env, db, await agentSubscriptions(db, agentIds), withdrawPush(chatId, why));
}

/** Sends once to each device (a failure is logged by sendPush, not retried); subscriptions the push service no longer knows are deleted. */
async function deliver(env: PushEnv, db: Db, subscriptions: AgentSubscription[], message: PushMessage): Promise<AgentSubscription[]> {
  const outcomes = await Promise.all(subscriptions.map((s) => sendPush(env, s, message, RING_TTL_SECONDS)));
  await Promise.all(subscriptions.filter((_, i) => outcomes[i] === "gone").map((s) => forgetEndpoint(db, s.endpoint)));
  return subscriptions.filter((_, i) => outcomes[i] === "sent");
}
