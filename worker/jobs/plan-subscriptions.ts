import type Stripe from "stripe";
import type { BatchItem } from "drizzle-orm/batch";
import type { Plan } from "../accounts/company";
import { PLAN_RANK } from "../accounts/plan-limits";
import { graceAfterFailure, type PlanSubscription } from "../accounts/subscription";
import { enqueueMail } from "../adapters/mail-queue";
import { reconnectAfterPlanChange } from "../live/room-locks";
import { createBillingCustomer, currentSubscription, invoiceSubscription, startCheckout } from "../adapters/stripe-billing";
import type { Db } from "../stores/db";
import { getPlanSubscription, planSubscriptionOf, savePlanSubscription, subscriptionsDue, unsubscribed } from "../stores/plan-subscriptions";
import { eventSeen, seenInsert } from "../stores/stripe-events";

// A company's plan follows its Stripe subscription: each subscription or invoice event makes
// Parley read the subscription as Stripe has it now (events can come out of order) and store
// it, once per event id; the five-minute cron ends grace periods and paid-up higher plans.

/**
 * Stores the subscription; held mail it released goes out, and consoles reconnect to the rooms the
 * new plan locks or unlocks. The plan is stored by then: a reconnection that fails is logged, not
 * retried: the lock holds for customers whatever the consoles do.
 */
async function applySubscription(env: Env, db: Db, sub: PlanSubscription, now: number, also: BatchItem<"sqlite">[] = []): Promise<void> {
  const { released, planChange } = await savePlanSubscription(db, sub, now, null, also);
  const reconnected = planChange
    ? reconnectAfterPlanChange(env, db, sub.companyId, planChange.from, planChange.to).catch((err: unknown) => console.error("consoles not reconnected after a plan change", sub.companyId, err))
    : null;
  await Promise.all([enqueueMail(env, released), reconnected]);
}

export const PLAN_EVENTS = new Set(["customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted", "invoice.paid", "invoice.payment_failed"]);

const ENDED = new Set(["canceled", "incomplete_expired"]);

/** Applies one verified plan event; false when it was applied before. */
export async function applyPlanEvent(env: Env, db: Db, stripe: Stripe, event: Stripe.Event, now: number): Promise<boolean> {
  if (await eventSeen(db, event.id)) return false;
  const seen = seenInsert(db, event);
  const object = event.data.object as Stripe.Subscription | Stripe.Invoice;
  const subscriptionId = object.object === "subscription" ? object.id : invoiceSubscription(object);
  const facts = subscriptionId ? await currentSubscription(stripe, subscriptionId) : null;
  // Only customers Parley made for a company (before its Checkout) are anyone's plan.
  const known = facts ? await planSubscriptionOf(db, { subscriptionId: facts.id, customerId: facts.customerId }) : null;
  const supersededEnd = known?.stripeSubscriptionId && known.stripeSubscriptionId !== facts?.id && ENDED.has(facts!.status);
  if (!facts || !facts.plan || !known || known.source !== "stripe" || supersededEnd) {
    await seen.run();
    return true;
  }
  const same = known.stripeSubscriptionId === facts.id;
  const carried = same && known.carriedPlan && PLAN_RANK[known.carriedPlan] > PLAN_RANK[facts.plan] ? known : null;
  const next: PlanSubscription = {
    ...known,
    plan: facts.plan,
    status: facts.status,
    stripeCustomerId: facts.customerId,
    stripeSubscriptionId: facts.id,
    currentPeriodEnd: facts.currentPeriodEnd,
    cancelAtPeriodEnd: facts.cancelAtPeriodEnd,
    // From the first failed renewal, not moved by Stripe's retries; gone once an invoice is paid.
    graceUntil: facts.status === "past_due" ? graceAfterFailure({ graceUntil: same ? known.graceUntil : null }, event.created * 1000) : null,
    carriedPlan: carried?.carriedPlan ?? null,
    carriedUntil: carried?.carriedUntil ?? null,
  };
  await applySubscription(env, db, next, now, [seen]);
  return true;
}

/** The cron's part: plans whose grace period or paid-up time ran out. How many changed. */
export async function settlePlans(env: Env, db: Db, now: number): Promise<number> {
  const due = await subscriptionsDue(db, now);
  for (const sub of due) {
    const expired = sub.carriedUntil !== null && sub.carriedUntil <= now;
    await applySubscription(env, db, expired ? { ...sub, carriedPlan: null, carriedUntil: null } : sub, now);
  }
  return due.length;
}

/**
 * Where the admin pays for a paid plan: Stripe Checkout for the company's billing customer, made
 * (and stored, so the webhooks find the company) before the first Checkout.
 */
export async function checkoutForPlan(db: Db, stripe: Stripe, p: { company: { id: string; name: string }; email: string; plan: Exclude<Plan, "free">; origin: string; now: number }): Promise<string> {
  let sub = await getPlanSubscription(db, p.company.id);
  if (!sub?.stripeCustomerId) {
    sub = { ...(sub ?? unsubscribed(p.company.id, null)), stripeCustomerId: await createBillingCustomer(stripe, p.company, p.email) };
    await savePlanSubscription(db, sub, p.now, null);
  }
  return startCheckout(stripe, { companyId: p.company.id, customerId: sub.stripeCustomerId!, plan: p.plan, origin: p.origin });
}
