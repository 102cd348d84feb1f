import type Stripe from "stripe";
import type { Plan } from "../accounts/company";
import { PLAN_LIMITS, planOfLookupKey } from "../accounts/plan-limits";

// Stripe Billing for Parley's own plans. A paid plan is a subscription started on Stripe Checkout
// (subscription mode): Stripe's hosted page takes the card, handles 3-D Secure and the first
// invoice, so no card form of ours and no Stripe.js on the Plan page. The plan's gates follow
// the subscription's webhooks (worker/stores/plan-subscriptions.ts), never the return from Checkout.

/** The plan's monthly price, found by its lookup key; made once (idempotently) on an account that has none. */
export async function priceOf(stripe: Stripe, plan: Exclude<Plan, "free">): Promise<string> {
  const limits = PLAN_LIMITS[plan];
  const key = limits.lookupKey!;
  const found = await stripe.prices.list({ lookup_keys: [key], active: true, limit: 1 });
  if (found.data[0]) return found.data[0].id;
  const price = await stripe.prices.create(
    { currency: limits.currency.toLowerCase(), unit_amount: limits.priceMinor, recurring: { interval: "month" }, lookup_key: key, product_data: { name: `Parley ${limits.name}` } },
    { idempotencyKey: `plan-price:${key}:${limits.priceMinor}` },
  );
  return price.id;
}

/** The company's customer on Parley's own Stripe account; one per company, whatever the retries. */
export async function createBillingCustomer(stripe: Stripe, company: { id: string; name: string }, email: string): Promise<string> {
  const customer = await stripe.customers.create({ name: company.name, email, metadata: { company_id: company.id } }, { idempotencyKey: `company:${company.id}:billing-customer` });
  return customer.id;
}

/** A Checkout Session for the plan's subscription; the admin is sent to its URL. */
export async function startCheckout(stripe: Stripe, p: { companyId: string; customerId: string; plan: Exclude<Plan, "free">; origin: string }): Promise<string> {
  const session = await stripe.checkout.sessions.create({
    mode: "subscription",
    customer: p.customerId,
    line_items: [{ price: await priceOf(stripe, p.plan), quantity: 1 }],
    client_reference_id: p.companyId,
    subscription_data: { metadata: { company_id: p.companyId } },
    success_url: `${p.origin}/admin/plan?checkout=done`,
    cancel_url: `${p.origin}/admin/plan?checkout=cancelled`,
  });
  if (!session.url) throw new Error(`Checkout Session ${session.id} has no URL`);
  return session.url;
}

/**
 * Moves the subscription to another paid plan. Up: at once, the rest of the period invoiced now
 * (always_invoice). Down: the new price from the next period, nothing refunded (proration none);
 * the company keeps the higher plan it paid for until then.
 */
export async function changePlan(stripe: Stripe, subscriptionId: string, plan: Exclude<Plan, "free">, upgrade: boolean): Promise<void> {
  const subscription = await stripe.subscriptions.retrieve(subscriptionId);
  const item = subscription.items.data[0];
  if (!item) throw new Error(`subscription ${subscriptionId} has no item`);
  await stripe.subscriptions.update(subscriptionId, {
    items: [{ id: item.id, price: await priceOf(stripe, plan) }],
    proration_behavior: upgrade ? "always_invoice" : "none",
    cancel_at_period_end: false,
  });
}

/** Back to Free when the period ends (true), or stay subscribed after all (false). */
export async function setCancelAtPeriodEnd(stripe: Stripe, subscriptionId: string, cancel: boolean): Promise<void> {
  await stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: cancel });
}

/** Ends the subscription now (one whose renewal could not be collected). */
export async function cancelSubscription(stripe: Stripe, subscriptionId: string): Promise<void> {
  await stripe.subscriptions.cancel(subscriptionId);
}

/** What Parley keeps of a subscription, as Stripe says now. */
export type SubscriptionFacts = {
  id: string;
  customerId: string;
  companyId: string | null;
  plan: Plan | null;
  status: Stripe.Subscription.Status;
  currentPeriodEnd: number | null;
  cancelAtPeriodEnd: boolean;
};

export function subscriptionFacts(sub: Stripe.Subscription): SubscriptionFacts {
  const item = sub.items.data[0];
  return {
    id: sub.id,
    customerId: typeof sub.customer === "string" ? sub.customer : sub.customer.id,
    companyId: sub.metadata?.company_id ?? null,
    plan: planOfLookupKey(item?.price.lookup_key),
    status: sub.status,
    currentPeriodEnd: item ? item.current_period_end * 1000 : null,
    cancelAtPeriodEnd: sub.cancel_at_period_end,
  };
}

/** The subscription as Stripe has it now: events may arrive out of order, the object's state may not. */
export async function currentSubscription(stripe: Stripe, id: string): Promise<SubscriptionFacts> {
  return subscriptionFacts(await stripe.subscriptions.retrieve(id));
}

/** The subscription an invoice bills, if it is one. */
export function invoiceSubscription(invoice: Stripe.Invoice): string | null {
  const sub = invoice.parent?.subscription_details?.subscription;
  return !sub ? null : typeof sub === "string" ? sub : sub.id;
}
