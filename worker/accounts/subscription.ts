import type { Plan } from "./company";
import { PLAN_LIMITS, PLAN_RANK } from "./plan-limits";

// A company's plan subscription and the plan it gives now. Pure: worker/stores/plan-subscriptions.ts
// stores it and writes the resulting plan on the company; the webhook and the five-minute cron
// call it. Only what Stripe said counts, never the admin's return from Checkout.

/** A failed renewal keeps the plan this long while Stripe retries the card. */
export const GRACE_MS = 7 * 24 * 3600_000;

/** Stripe's statuses in which the plan applies; past_due applies during the grace period only. */
const PAYING = new Set(["active", "trialing"]);

export const PLAN_SOURCES = ["stripe", "complimentary"] as const;
export type PlanSource = (typeof PLAN_SOURCES)[number];

export type PlanSubscription = {
  companyId: string;
  /** `complimentary`: given by Parley (the demo), with no Stripe subscription; it never lapses. */
  source: PlanSource;
  /** The plan Stripe bills (the subscription's price). */
  plan: Plan;
  /** Stripe's subscription status: active, past_due, canceled, incomplete… */
  status: string;
  stripeCustomerId: string | null;
  stripeSubscriptionId: string | null;
  currentPeriodEnd: number | null;
  cancelAtPeriodEnd: boolean;
  /** Set when a renewal failed: the plan holds until then, then falls back to Free. */
  graceUntil: number | null;
  /** A downgrade between paid plans keeps the higher plan, already paid for, until the period ends. */
  carriedPlan: Plan | null;
  carriedUntil: number | null;
};

/** The plan the company has now; Forever Free without a subscription that Stripe says is paid. */
export function effectivePlan(sub: PlanSubscription | null | undefined, now: number): Plan {
  if (!sub) return "free";
  if (sub.source === "complimentary") return sub.plan;
  const inGrace = sub.status === "past_due" && sub.graceUntil !== null && now < sub.graceUntil;
  const billed = PAYING.has(sub.status) || inGrace ? sub.plan : "free";
  const carried = sub.carriedPlan && sub.carriedUntil !== null && now < sub.carriedUntil && billed !== "free" ? sub.carriedPlan : null;
  return carried && PLAN_RANK[carried] > PLAN_RANK[billed] ? carried : billed;
}

/** The grace period's end once a renewal failed: kept from the first failure, not moved by retries. */
export const graceAfterFailure = (sub: Pick<PlanSubscription, "graceUntil">, failedAt: number): number => sub.graceUntil ?? failedAt + GRACE_MS;

/** What the Plan page and the admin home say about the subscription. */
export type PlanStanding =
  | { kind: "free" }
  | { kind: "complimentary"; plan: Plan }
  | { kind: "active"; plan: Plan; renewsAt: number | null }
  | { kind: "ending"; plan: Plan; endsAt: number | null }
  | { kind: "downgrading"; plan: Plan; to: Plan; at: number }
  | { kind: "grace"; plan: Plan; until: number }
  | { kind: "pending"; plan: Plan };

export function planStanding(sub: PlanSubscription | null | undefined, now: number): PlanStanding {
  const plan = effectivePlan(sub, now);
  if (!sub) return { kind: "free" };
  if (sub.source === "complimentary") return { kind: "complimentary", plan };
  if (sub.status === "past_due" && plan !== "free") return { kind: "grace", plan, until: sub.graceUntil! };
  // Checkout finished but Stripe has not yet said the first invoice is paid.
  if (sub.status === "incomplete") return { kind: "pending", plan: sub.plan };
  if (plan === "free") return { kind: "free" };
  if (sub.cancelAtPeriodEnd) return { kind: "ending", plan, endsAt: sub.currentPeriodEnd };
  if (plan !== sub.plan && sub.carriedUntil !== null) return { kind: "downgrading", plan, to: sub.plan, at: sub.carriedUntil };
  return { kind: "active", plan, renewsAt: sub.currentPeriodEnd };
}

/** The company's entitlement quota on a plan. */
export const quotaOf = (plan: Plan): number => PLAN_LIMITS[plan].entitlementQuota;
