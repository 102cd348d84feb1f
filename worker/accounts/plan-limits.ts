import type { Plan } from "./company";

// What each plan allows, as one plain table: the gates elsewhere read it (rooms, routing, the
// entitlement quota) and the Plan page shows it. Prices are Parley's monthly subscription in
// integer minor units; Stripe bills them through the price with this lookup key.

export type PlanLimits = {
  name: string;
  /** Connected chats and emails sent (spec: "500 chats shared by all agents" on Forever Free). */
  entitlementQuota: number;
  /** Chat rooms a company may use; Forever Free has GENERAL only (spec). */
  roomLimit: number;
  /** Rooms other than GENERAL, such as the preset paid rooms, may take customers. */
  paidRooms: boolean;
  /** "Nearest to the customer" routing (spec: Large Enterprise only). */
  nearestRouting: boolean;
  priceMinor: number;
  currency: "EUR";
  /** Stripe's price for the plan is found (or made once) by this lookup key. */
  lookupKey: string | null;
};

export const PLAN_LIMITS: Record<Plan, PlanLimits> = {
  free: { name: "Forever Free", entitlementQuota: 500, roomLimit: 1, paidRooms: false, nearestRouting: false, priceMinor: 0, currency: "EUR", lookupKey: null },
  pro: { name: "Pro", entitlementQuota: 5_000, roomLimit: 20, paidRooms: true, nearestRouting: false, priceMinor: 2_900, currency: "EUR", lookupKey: "parley_pro_monthly" },
  enterprise: { name: "Large Enterprise", entitlementQuota: 50_000, roomLimit: 200, paidRooms: true, nearestRouting: true, priceMinor: 19_900, currency: "EUR", lookupKey: "parley_enterprise_monthly" },
};

export const roomLimit = (plan: Plan): number => PLAN_LIMITS[plan].roomLimit;

/** Higher plans give more: an upgrade is a move up this order. */
export const PLAN_RANK: Record<Plan, number> = { free: 0, pro: 1, enterprise: 2 };

/** The plan a Stripe price's lookup key stands for; null for a price that is not one of ours. */
export function planOfLookupKey(key: string | null | undefined): Plan | null {
  for (const [plan, limits] of Object.entries(PLAN_LIMITS)) if (key && limits.lookupKey === key) return plan as Plan;
  return null;
}
