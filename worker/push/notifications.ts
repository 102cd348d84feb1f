import type { RingInfo } from "../live/contracts";

// What a push carries to the service worker (static/sw.js). A ring and its withdrawal share the
// chat id as the notification's tag, so the withdrawal closes the ring's notification.

export type RingPush = { type: "ring"; chatId: string; room: string; customer: string; mode: RingInfo["mode"] };
/** `why`: a colleague answered ("taken") or the customer left; the notification says which before it goes. */
export type WithdrawPush = { type: "withdraw"; chatId: string; why: "taken" | "left" };
export type PushMessage = RingPush | WithdrawPush;

export function ringPush(ring: RingInfo): RingPush {
  return { type: "ring", chatId: ring.chatId, room: ring.roomName, customer: ring.customer.name ?? "A customer", mode: ring.mode };
}

export const withdrawPush = (chatId: string, why: WithdrawPush["why"]): WithdrawPush => ({ type: "withdraw", chatId, why });

/** A ring is worth nothing once the customer has given up; withdrawals matter only while a ring may show. */
export const RING_TTL_SECONDS = 120;
