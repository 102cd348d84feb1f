// Stripe Billing on the fake, through the real `stripe` client and Parley's own adapter: what the
// Plan page's calls send and get back is what Stripe's API would.
import Stripe from "stripe";
import { beforeEach, describe, expect, it } from "vitest";
import { changePlan, createBillingCustomer, priceOf, setCancelAtPeriodEnd, startCheckout, subscriptionFacts } from "../../worker/adapters/stripe-billing";
import { createFakeStripe } from "../fakes/stripe";

const fake = createFakeStripe();
const stripe = new Stripe("sk_test_fake", { httpClient: Stripe.createFetchHttpClient(fake.fetch), host: "localhost", port: 12111, protocol: "http", maxNetworkRetries: 0 });

beforeEach(() => fake.reset());

async function subscribe(plan: "pro" | "enterprise" = "pro") {
  const customer = await createBillingCustomer(stripe, { id: "co_1", name: "Acme" }, "boss@acme.test");
  const url = await startCheckout(stripe, { companyId: "co_1", customerId: customer, plan, origin: "https://parley.test" });
  const session = [...fake.state.checkoutSessions.values()][0]!;
  expect(url).toBe(`http://localhost:12111/_fake/checkout/${session.id}`);
  fake.completeCheckout(session.id);
  return { customer, subscription: fake.state.checkoutSessions.get(session.id)!.subscription! };
}

describe("fake Stripe Billing", () => {
  it("makes the plan's price once, found afterwards by its lookup key", async () => {
    const first = await priceOf(stripe, "pro");
    expect(await priceOf(stripe, "pro")).toBe(first);
    const price = await stripe.prices.retrieve(first);
    expect(price).toMatchObject({ unit_amount: 2900, currency: "eur", lookup_key: "parley_pro_monthly", recurring: { interval: "month" }, type: "recurring" });
    expect(fake.state.prices.size).toBe(1);
  });

  it("gives one billing customer per company however often it is asked (idempotency key)", async () => {
    const a = await createBillingCustomer(stripe, { id: "co_1", name: "Acme" }, "boss@acme.test");
    expect(await createBillingCustomer(stripe, { id: "co_1", name: "Acme" }, "boss@acme.test")).toBe(a);
  });

  it("starts an active subscription from Checkout, with its paid first invoice and Stripe's events in order", async () => {
    const { customer, subscription } = await subscribe();
    const sub = await stripe.subscriptions.retrieve(subscription);
    expect(subscriptionFacts(sub)).toMatchObject({ customerId: customer, companyId: "co_1", plan: "pro", status: "active", cancelAtPeriodEnd: false });
    expect(sub.items.data[0]!.current_period_end).toBeGreaterThan(sub.items.data[0]!.current_period_start);
    const invoice = await stripe.invoices.retrieve(sub.latest_invoice as string);
    expect(invoice).toMatchObject({ status: "paid", amount_paid: 2900, billing_reason: "subscription_create", parent: { subscription_details: { subscription: subscription } } });
    const setup = ["customer.created", "product.created", "price.created"];
    expect(fake.events().map((e) => e.type).filter((t) => !setup.includes(t))).toEqual(["customer.subscription.created", "invoice.paid", "checkout.session.completed"]);
  });

  it("refuses a Checkout Session without a recurring price, as Stripe", async () => {
    const price = await stripe.prices.create({ currency: "eur", unit_amount: 500, product_data: { name: "One-off" } });
    await expect(stripe.checkout.sessions.create({ mode: "subscription", line_items: [{ price: price.id, quantity: 1 }], success_url: "https://x.test" })).rejects.toThrow(/recurring price/);
  });

  it("changes the price, invoicing an upgrade at once; cancels at the period's end, and then deletes", async () => {
    const { subscription } = await subscribe();
    await changePlan(stripe, subscription, "enterprise", true);
    expect(fake.lastEvent("invoice.paid")!.data.object).toMatchObject({ billing_reason: "subscription_update" });
    expect(subscriptionFacts(await stripe.subscriptions.retrieve(subscription)).plan).toBe("enterprise");
    await setCancelAtPeriodEnd(stripe, subscription, true);
    expect(fake.lastEvent("customer.subscription.updated")!.data.previous_attributes).toEqual({ cancel_at_period_end: false });
    fake.renewSubscription(subscription);
    expect((await stripe.subscriptions.retrieve(subscription)).status).toBe("canceled");
    expect(fake.lastEvent()!.type).toBe("customer.subscription.deleted");
  });

  it("makes a declined renewal past_due with invoice.payment_failed, and a paid retry active again", async () => {
    const { subscription } = await subscribe();
    fake.renewSubscription(subscription, "failed");
    expect((await stripe.subscriptions.retrieve(subscription)).status).toBe("past_due");
    expect(fake.lastEvent("invoice.payment_failed")!.data.object).toMatchObject({ status: "open", billing_reason: "subscription_cycle", attempt_count: 1 });
    fake.renewSubscription(subscription, "paid");
    expect((await stripe.subscriptions.retrieve(subscription)).status).toBe("active");
    expect(fake.lastEvent("invoice.paid")!.data.object).toMatchObject({ billing_reason: "subscription_cycle", attempt_count: 2 });
  });
});
