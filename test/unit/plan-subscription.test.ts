import { describe, expect, it } from "vitest";
import { PLAN_LIMITS, planOfLookupKey, roomLimit } from "../../worker/accounts/plan-limits";
import { GRACE_MS, effectivePlan, graceAfterFailure, planStanding, type PlanSubscription } from "../../worker/accounts/subscription";

const NOW = Date.UTC(2026, 11, 7, 12);
const sub = (over: Partial<PlanSubscription>): PlanSubscription => ({
  companyId: "c1",
  source: "stripe",
  plan: "pro",
  status: "active",
  stripeCustomerId: "cus_1",
  stripeSubscriptionId: "sub_1",
  currentPeriodEnd: NOW + 20 * 86_400_000,
  cancelAtPeriodEnd: false,
  graceUntil: null,
  carriedPlan: null,
  carriedUntil: null,
  ...over,
});

describe("what each plan allows", () => {
  it("gives Forever Free the spec's 500 chats and emails and the GENERAL room only; nearest routing only on Large Enterprise", () => {
    expect(PLAN_LIMITS.free).toMatchObject({ entitlementQuota: 500, rooms: 1, paidRooms: false, nearestAgent: false, priceMinor: 0 });
    expect(roomLimit("pro")).toBeGreaterThan(1);
    expect(PLAN_LIMITS.pro.nearestAgent).toBe(false);
    expect(PLAN_LIMITS.enterprise.nearestAgent).toBe(true);
    expect(planOfLookupKey("parley_enterprise_monthly")).toBe("enterprise");
    expect(planOfLookupKey("someone_elses_price")).toBeNull();
  });
});

describe("effectivePlan", () => {
  it("is Free without a subscription, and the subscription's plan while Stripe says it is paid", () => {
    expect(effectivePlan(null, NOW)).toBe("free");
    expect(effectivePlan(sub({}), NOW)).toBe("pro");
    for (const status of ["incomplete", "canceled", "unpaid", "incomplete_expired", "none"]) expect(effectivePlan(sub({ status }), NOW), status).toBe("free");
  });

  it("keeps the plan through the grace period after a failed renewal, and not a moment after", () => {
    const grace = sub({ status: "past_due", graceUntil: NOW + 1000 });
    expect(effectivePlan(grace, NOW)).toBe("pro");
    expect(effectivePlan(grace, NOW + 1000)).toBe("free");
    expect(effectivePlan(sub({ status: "past_due" }), NOW)).toBe("free");
  });

  it("starts the grace period at the first failure; Stripe's retries do not move it", () => {
    expect(graceAfterFailure({ graceUntil: null }, NOW)).toBe(NOW + GRACE_MS);
    expect(graceAfterFailure({ graceUntil: NOW + 5 }, NOW + 86_400_000)).toBe(NOW + 5);
  });

  it("keeps a higher plan already paid for until its time, then the plan Stripe bills", () => {
    const downgraded = sub({ plan: "pro", carriedPlan: "enterprise", carriedUntil: NOW + 1000 });
    expect(effectivePlan(downgraded, NOW)).toBe("enterprise");
    expect(effectivePlan(downgraded, NOW + 1000)).toBe("pro");
    // Not when the subscription itself ended.
    expect(effectivePlan({ ...downgraded, status: "canceled" }, NOW)).toBe("free");
  });

  it("never takes away a complimentary plan", () => {
    expect(effectivePlan(sub({ source: "complimentary", status: "active", stripeSubscriptionId: null }), NOW + 10 * GRACE_MS)).toBe("pro");
  });
});

describe("planStanding", () => {
  it("says what the Plan page shows", () => {
    expect(planStanding(null, NOW)).toEqual({ kind: "free" });
    expect(planStanding(sub({}), NOW)).toEqual({ kind: "active", plan: "pro", renewsAt: NOW + 20 * 86_400_000 });
    expect(planStanding(sub({ cancelAtPeriodEnd: true }), NOW)).toMatchObject({ kind: "ending", plan: "pro" });
    expect(planStanding(sub({ status: "past_due", graceUntil: NOW + 1 }), NOW)).toEqual({ kind: "grace", plan: "pro", until: NOW + 1 });
    expect(planStanding(sub({ status: "past_due", graceUntil: NOW - 1 }), NOW)).toEqual({ kind: "free" });
    expect(planStanding(sub({ carriedPlan: "enterprise", carriedUntil: NOW + 1 }), NOW)).toEqual({ kind: "downgrading", plan: "enterprise", to: "pro", at: NOW + 1 });
    expect(planStanding(sub({ source: "complimentary" }), NOW)).toEqual({ kind: "complimentary", plan: "pro" });
  });
});
