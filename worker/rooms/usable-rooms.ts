import type { Plan } from "../accounts/company";
import { PLAN_LIMITS, roomLimit } from "../accounts/plan-limits";
import { GENERAL } from "./presets";
import type { Room } from "./room";

// Which of a company's open rooms take chats on its plan. A plan allows `roomLimit` rooms; when a
// company has more (it moved down a plan), the first ones in this order stay usable and the rest
// are locked: shown, but closed to customers, consoles and invitations. Nothing is stored, so an
// upgrade, a retirement or a new order unlocks rooms at once. Pure: no env, no I/O.
//
// The order is the admins' own: GENERAL first (every company has it, private rooms fall back on
// it), then the rooms list's order (`position`, which the admin changes), then the older room.
// stores/rooms.ts counts the same order in SQL (`roomRank`); keep the two alike.

export type RankedRoom = Pick<Room, "id" | "name" | "position" | "createdAt">;

/** The rooms list's order, and the order in which a plan's rooms are kept usable. */
export function compareRooms(a: RankedRoom, b: RankedRoom): number {
  return (
    Number(a.name !== GENERAL) - Number(b.name !== GENERAL) ||
    a.position - b.position ||
    a.createdAt - b.createdAt ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * Whether a room takes chats on the plan, by its rank: how many of the company's open rooms come
 * before it in the order above (GENERAL's is 0, so GENERAL is usable on every plan).
 */
export const isRoomUsable = (plan: Plan, rank: number): boolean => rank < roomLimit(plan);

/** The ids of the open rooms (retired ones are left out) that the plan keeps usable. */
export function usableRoomIds(plan: Plan, rooms: (RankedRoom & { retiredAt?: number | null })[]): Set<string> {
  const open = rooms.filter((r) => r.retiredAt == null).sort(compareRooms);
  return new Set(open.slice(0, roomLimit(plan)).map((r) => r.id));
}

/** Why a locked room takes no chats, and what the admin can do about it. */
export function lockedReason(plan: Plan): string {
  const limit = roomLimit(plan);
  if (plan === "free") return "The Forever Free plan includes the GENERAL room only. Upgrade to use this one.";
  return `Your plan allows ${limit} rooms. Retire a room${plan === "enterprise" ? "" : " or upgrade"} to use this one.`;
}

/** The short badge a locked room wears wherever rooms are listed. */
export const lockedLabel = (plan: Plan): string => (plan === "free" ? "Locked on Forever Free" : `Locked · over your plan's ${roomLimit(plan)} rooms`);

/** The rooms list's note on which rooms a plan keeps, when some are locked. */
export function keptRoomsNote(plan: Plan): string {
  return plan === "free"
    ? `${PLAN_LIMITS.free.name} takes chats in GENERAL only; your other rooms wait, locked, with their settings kept.`
    : `Your plan allows ${roomLimit(plan)} rooms: the first ${roomLimit(plan)} in this list take chats, GENERAL always among them. Move a room up, or retire one, to choose which.`;
}

/**
 * The rooms' positions after the admin moves one up or down a place (GENERAL stays first and no
 * room goes above it): every room numbered by its place, and only those that changed returned.
 */
export function moveRoom(rooms: RankedRoom[], roomId: string, direction: "up" | "down"): { id: string; position: number }[] {
  const order = [...rooms].sort(compareRooms);
  const from = order.findIndex((r) => r.id === roomId);
  const to = from + (direction === "up" ? -1 : 1);
  if (from < 0 || order[from]!.name === GENERAL || to < 0 || to >= order.length || order[to]!.name === GENERAL) return [];
  [order[from], order[to]] = [order[to]!, order[from]!];
  return order.flatMap((r, i) => (r.position === i ? [] : [{ id: r.id, position: i }]));
}
