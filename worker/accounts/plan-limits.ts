import type { Plan } from "./company";

// What each plan allows, in one table for every page and check that asks (rooms, routing, the
// entitlement quota, the Plan page and its Stripe prices). Pure: no env, no I/O.

export type PlanLimits = {
  name: string;
  /** Rooms the company may keep open (not retired), GENERAL included; private rooms do not count. */
  rooms: number;
  /** Chat assignment "nearest to the customer" (spec: Large Enterprise only). */
  nearestAgent: boolean;
  /** Connected chats and emails sent (spec: "500 chats shared by all agents" on Forever Free). */
  entitlementQuota: number;
  /** Rooms other than GENERAL, such as the preset paid rooms, may take customers. */
  paidRooms: boolean;
  /** Parley's monthly price of the plan, in minor units. */
  priceMinor: number;
  currency: "EUR";
  /** Stripe's price for the plan is found (or made once) by this lookup key. */
  lookupKey: string | null;
};

// Forever Free is GENERAL alone (spec: "a single default Chat Room") and 500 entitlements (spec).
// The other plans' counts and prices are Parley's choice: enough for a business's departments,
// and a bound on the rooms each agent's console announces itself to.
export const PLAN_LIMITS: Record<Plan, PlanLimits> = {
  free: { name: "Forever Free", rooms: 1, nearestAgent: false, entitlementQuota: 500, paidRooms: false, priceMinor: 0, currency: "EUR", lookupKey: null },
  pro: { name: "Pro", rooms: 20, nearestAgent: false, entitlementQuota: 5_000, paidRooms: true, priceMinor: 2_900, currency: "EUR", lookupKey: "parley_pro_monthly" },
  enterprise: {
    name: "Large Enterprise",
    rooms: 200,
    nearestAgent: true,
    entitlementQuota: 50_000,
    paidRooms: true,
    priceMinor: 19_900,
    currency: "EUR",
    lookupKey: "parley_enterprise_monthly",
  },
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

/** Higher plans give more: an upgrade is a move up this order. */
export const PLAN_RANK: Record<Plan, number> = { free: 0, pro: 1, enterprise: 2 };

/** The plan a Stripe price's lookup key stands for; null for a price that is not one of ours. */
export function planOfLookupKey(key: string | null | undefined): Plan | null {
  for (const [plan, limits] of Object.entries(PLAN_LIMITS)) if (key && limits.lookupKey === key) return plan as Plan;
  return null;
}
