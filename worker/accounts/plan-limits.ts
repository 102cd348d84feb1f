import type { Plan } from "./company";

// What each plan allows, in one table for every page and check that asks (rooms, the plan page,
// room settings). Pure: no env, no I/O.

export type PlanLimits = {
  /** Rooms the company may keep open (not retired), GENERAL included; private rooms do not count. */
  rooms: number;
  /** Chat assignment "nearest to the customer" (spec: Large Enterprise only). */
  nearestAgent: boolean;
};

// Forever Free is GENERAL alone (spec: "a single default Chat Room"). The other plans' counts are
// Parley's choice: enough for a business's departments, and a bound on the rooms each agent's
// console announces itself to.
export const PLAN_LIMITS: Record<Plan, PlanLimits> = {
  free: { rooms: 1, nearestAgent: false },
  pro: { rooms: 20, nearestAgent: false },
  enterprise: { rooms: 200, nearestAgent: true },
};

export const roomLimit = (plan: Plan): number => PLAN_LIMITS[plan].rooms;

/** Why another room cannot be opened on this plan with `open` rooms, or null when it can. */
export function roomLimitReached(plan: Plan, open: number): string | null {
  const limit = roomLimit(plan);
  if (open < limit) return null;
  return plan === "free"
    ? "The Forever Free plan includes the GENERAL room only. Upgrade to Pro to add rooms."
    : `Your plan allows ${limit} rooms and you have ${open}. Retire a room you no longer use${plan === "enterprise" ? "" : ", or upgrade to Large Enterprise"}.`;
}
