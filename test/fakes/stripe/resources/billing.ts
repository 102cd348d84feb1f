// Stripe Billing, as far as a SaaS subscription needs it: products and recurring prices (found by
// lookup key), Checkout Sessions in subscription mode (the hosted page is the fake's
// /_fake/checkout/:id), subscriptions (price change, cancel at period end, cancel now) and the
// invoices each period makes. Renewals happen when a test says so (fake.renewSubscription).
// Events as Stripe sends them: customer.subscription.created/updated/deleted, invoice.paid,
// invoice.payment_failed, checkout.session.completed.
import { cardByTestId } from "../cards";
import type { Ctx } from "../context";
import { id } from "../context";
import { currencyParam } from "../currency";
import { invalidRequest, unexpectedState } from "../errors";
import { allowOnly, allowOnlyNested, applyMetadata, bool, hash, int, list, oneOf, str, type FormHash } from "../form";
import { newId, randomToken } from "../ids";
import type { Store } from "../store";
import type { CheckoutSession, Invoice, Price, Product, Subscription, SubscriptionItem } from "../types";

// ---- prices ----

export function createPrice(ctx: Ctx): Price {
  const { params, store } = ctx;
  allowOnly(params, ["currency", "unit_amount", "recurring", "lookup_key", "transfer_lookup_key", "product", "product_data", "metadata", "nickname", "active", "expand"]);
  allowOnlyNested(params, "recurring", ["interval", "interval_count"]);
  allowOnlyNested(params, "product_data", ["name", "metadata"]);
  const currency = currencyParam(str(params, "currency", true)!);
  const unitAmount = int(params, "unit_amount", { required: true, min: 0 })!;
  const recurring = hash(params, "recurring");
  const interval = recurring ? oneOf(recurring, "interval", ["day", "week", "month", "year"], true)! : null;
  let product = str(params, "product");
  const productData = hash(params, "product_data");
  if (product && productData) throw invalidRequest("You may only specify one of these parameters: product, product_data.", { param: "product" });
  if (product) store.need("products", product, ctx.account, "product", "product");
  else if (productData) {
    const made: Product = { id: newId("prod"), object: "product", active: true, created: store.now(), livemode: false, metadata: {}, name: str(productData, "name", true)! };
    store.put("products", made, ctx.account);
    store.emit("product.created", made);
    product = made.id;
  } else throw invalidRequest("You must specify either product or product_data when creating a price.", { param: "product" });
  const lookupKey = str(params, "lookup_key") ?? null;
  if (lookupKey) {
    const holder = store.on("prices", ctx.account).find((p) => p.lookup_key === lookupKey);
    if (holder && bool(params, "transfer_lookup_key") !== true)
      throw invalidRequest(`A price (\`${holder.id}\`) already uses that lookup key.`, { param: "lookup_key" });
    if (holder) holder.lookup_key = null;
  }
  const price: Price = {
    id: newId("price"),
    object: "price",
    active: bool(params, "active") ?? true,
    billing_scheme: "per_unit",
    created: store.now(),
    currency,
    livemode: false,
    lookup_key: lookupKey,
    metadata: applyMetadata({}, params),
    nickname: str(params, "nickname") ?? null,
    product,
    recurring: interval ? { interval, interval_count: int(recurring!, "interval_count", { min: 1 }) ?? 1, usage_type: "licensed" } : null,
    type: interval ? "recurring" : "one_time",
    unit_amount: unitAmount,
  };
  store.put("prices", price, ctx.account);
  store.emit("price.created", price);
  return price;
}

export function retrievePrice(ctx: Ctx): Price {
  return ctx.store.need("prices", id(ctx), ctx.account, "price");
}

export function listPrices(ctx: Ctx): unknown {
  const keys = ctx.params.lookup_keys === undefined ? undefined : list(ctx.params, "lookup_keys");
  const active = bool(ctx.params, "active");
  const items = ctx.store.on("prices", ctx.account).filter((p) => (!keys || (p.lookup_key !== null && keys.includes(p.lookup_key))) && (active === undefined || p.active === active));
  return ctx.store.list(items, ctx.params, "/v1/prices", ["lookup_keys", "active"]);
}

// ---- checkout sessions ----

export function createCheckoutSession(ctx: Ctx): CheckoutSession {
  const { params, store } = ctx;
  allowOnly(params, ["mode", "customer", "customer_email", "line_items", "success_url", "cancel_url", "client_reference_id", "metadata", "subscription_data", "expand"]);
  allowOnlyNested(params, "subscription_data", ["metadata"]);
  // Parley subscribes; one-time payments go through PaymentIntents.
  oneOf(params, "mode", ["subscription"], true);
  const customer = str(params, "customer") ?? null;
  if (customer) store.need("customers", customer, ctx.account, "customer", "customer");
  const successUrl = str(params, "success_url", true)!;
  const lines = Object.values(hash(params, "line_items") ?? {});
  if (!lines.length) throw invalidRequest("line_items is required in subscription mode.", { param: "line_items" });
  const items = lines.map((line, i) => {
    if (typeof line !== "object" || Array.isArray(line)) throw invalidRequest("Invalid line_items", { param: "line_items" });
    allowOnly(line, ["price", "quantity"]);
    const price = store.need("prices", str(line, "price", true)!, ctx.account, "price", `line_items[${i}][price]`);
    if (price.type !== "recurring") throw invalidRequest("You must provide at least one recurring price in `subscription` mode when using prices.", { param: `line_items[${i}][price]` });
    return { price: price.id, quantity: int(line, "quantity", { min: 1 }) ?? 1 };
  });
  const subscriptionData = hash(params, "subscription_data") ?? {};
  const session: CheckoutSession = {
    id: `cs_test_${randomToken(58)}`,
    object: "checkout.session",
    cancel_url: str(params, "cancel_url") ?? null,
    client_reference_id: str(params, "client_reference_id") ?? null,
    created: store.now(),
    currency: store.get("prices", items[0]!.price, ctx.account)!.currency,
    customer,
    customer_email: str(params, "customer_email") ?? null,
    expires_at: store.now() + 24 * 3600,
    livemode: false,
    metadata: applyMetadata({}, params),
    mode: "subscription",
    payment_status: "unpaid",
    status: "open",
    subscription: null,
    success_url: successUrl,
    url: null,
  };
  session.url = `${store.baseUrl}/_fake/checkout/${session.id}`;
  store.put("checkoutSessions", session, ctx.account);
  store.checkoutInternals.set(session.id, { items, subscriptionMetadata: applyMetadata({}, subscriptionData as FormHash) });
  return session;
}

export function retrieveCheckoutSession(ctx: Ctx): CheckoutSession {
  return ctx.store.need("checkoutSessions", id(ctx), ctx.account, "checkout.session");
}

/** What the customer does on the hosted page: pays with a test card, or the card is declined. */
export function completeCheckout(store: Store, sessionId: string, card: string): { session: CheckoutSession; declined: string | null } {
  const session = store.state.checkoutSessions.get(sessionId);
  if (!session) throw new Error(`fake Stripe: no Checkout Session ${sessionId}`);
  if (session.status !== "open") throw new Error(`fake Stripe: Checkout Session ${sessionId} is ${session.status}`);
  const decline = cardByTestId(card)?.decline;
  if (decline) return { session, declined: decline.message };
  const account = store.owner.get(session.id) ?? null;
  let customer = session.customer;
  if (!customer) {
    customer = newId("cus");
    store.put("customers", { id: customer, object: "customer", address: null, balance: 0, created: store.now(), currency: null, default_source: null, delinquent: false, description: null, email: session.customer_email, invoice_prefix: randomToken(8).toUpperCase(), invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null }, livemode: false, metadata: {}, name: null, phone: null, preferred_locales: [], shipping: null, tax_exempt: "none", test_clock: null }, account);
  }
  const internals = store.checkoutInternals.get(session.id)!;
  const start = store.now();
  const end = monthAfter(start);
  const subscription: Subscription = {
    id: newId("sub"),
    object: "subscription",
    billing_cycle_anchor: start,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    created: start,
    currency: session.currency ?? "eur",
    customer,
    default_payment_method: card,
    ended_at: null,
    items: { object: "list", data: [], has_more: false, url: "" },
    latest_invoice: null,
    livemode: false,
    metadata: { ...internals.subscriptionMetadata },
    start_date: start,
    status: "active",
  };
  subscription.items.url = `/v1/subscription_items?subscription=${subscription.id}`;
  subscription.items.data = internals.items.map((item) => subscriptionItem(store, subscription.id, store.get("prices", item.price, account)!, item.quantity, start, end));
  store.put("subscriptions", subscription, account);
  const invoice = makeInvoice(store, subscription, "subscription_create", amountOf(subscription), start, end, account);
  invoice.status = "paid";
  invoice.amount_paid = invoice.amount_due;
  invoice.amount_remaining = 0;
  invoice.attempted = true;
  invoice.attempt_count = 1;
  subscription.latest_invoice = invoice.id;
  Object.assign(session, { status: "complete", payment_status: "paid", customer, subscription: subscription.id, url: null });
  store.emit("customer.subscription.created", subscription);
  store.emit("invoice.paid", invoice);
  store.emit("checkout.session.completed", session);
  return { session, declined: null };
}

// ---- subscriptions ----

export function retrieveSubscription(ctx: Ctx): Subscription {
  return ctx.store.need("subscriptions", id(ctx), ctx.account, "subscription");
}

export function listSubscriptions(ctx: Ctx): unknown {
  const customer = str(ctx.params, "customer");
  const status = str(ctx.params, "status");
  const items = ctx.store.on("subscriptions", ctx.account).filter((s) => (!customer || s.customer === customer) && (!status || status === "all" || s.status === status));
  return ctx.store.list(items, ctx.params, "/v1/subscriptions", ["customer", "status"]);
}

/** Price changes (items[n][id] + items[n][price]), cancel_at_period_end, metadata. */
export function updateSubscription(ctx: Ctx): Subscription {
  const { params, store } = ctx;
  allowOnly(params, ["items", "cancel_at_period_end", "proration_behavior", "metadata", "payment_behavior", "expand"]);
  const subscription = retrieveSubscription(ctx);
  if (subscription.status === "canceled" || subscription.status === "incomplete_expired")
    throw unexpectedState(`A canceled subscription can only update its cancellation_details and metadata.`);
  const proration = oneOf(params, "proration_behavior", ["create_prorations", "always_invoice", "none"]) ?? "create_prorations";
  const previous: Record<string, unknown> = {};
  const before = amountOf(subscription);
  const changes = Object.values(hash(params, "items") ?? {});
  if (changes.length) previous.items = store.snapshot(subscription.items);
  for (const [i, change] of changes.entries()) {
    if (typeof change !== "object" || Array.isArray(change)) throw invalidRequest("Invalid items", { param: "items" });
    allowOnly(change, ["id", "price", "quantity"]);
    const itemId = str(change, "id", true)!;
    const item = subscription.items.data.find((it) => it.id === itemId);
    if (!item) throw invalidRequest(`No such subscription item: '${itemId}'`, { param: `items[${i}][id]`, code: "resource_missing" });
    const priceId = str(change, "price");
    if (priceId) item.price = store.need("prices", priceId, ctx.account, "price", `items[${i}][price]`);
    item.quantity = int(change, "quantity", { min: 1 }) ?? item.quantity;
  }
  const cancel = bool(params, "cancel_at_period_end");
  if (cancel !== undefined && cancel !== subscription.cancel_at_period_end) {
    previous.cancel_at_period_end = subscription.cancel_at_period_end;
    subscription.cancel_at_period_end = cancel;
    subscription.cancel_at = cancel ? periodEnd(subscription) : null;
    subscription.canceled_at = cancel ? store.now() : null;
  }
  if (params.metadata !== undefined) {
    previous.metadata = subscription.metadata;
    subscription.metadata = applyMetadata(subscription.metadata, params);
  }
  store.emit("customer.subscription.updated", subscription, { previous });
  // An immediate invoice for the rest of the period at the difference (the fake prorates by time left).
  const difference = amountOf(subscription) - before;
  if (proration === "always_invoice" && difference > 0) {
    const item = subscription.items.data[0]!;
    const left = (item.current_period_end - store.now()) / (item.current_period_end - item.current_period_start);
    const invoice = makeInvoice(store, subscription, "subscription_update", Math.round(difference * Math.max(0, left)), store.now(), item.current_period_end, store.owner.get(subscription.id) ?? null);
    chargeInvoice(store, subscription, invoice);
  }
  return subscription;
}

export function cancelSubscription(ctx: Ctx): Subscription {
  allowOnly(ctx.params, ["invoice_now", "prorate", "cancellation_details", "expand"]);
  const subscription = retrieveSubscription(ctx);
  if (subscription.status === "canceled") throw unexpectedState(`No such subscription: '${subscription.id}' is already canceled.`);
  endSubscription(ctx.store, subscription);
  return subscription;
}

function endSubscription(store: Store, subscription: Subscription): void {
  subscription.status = "canceled";
  subscription.ended_at = store.now();
  subscription.canceled_at ??= store.now();
  store.emit("customer.subscription.deleted", subscription);
}

/**
 * The period ends (a test's clock): a subscription set to cancel ends (deleted); otherwise the
 * next period's invoice is charged to the card, or — when `outcome` is "failed" — the charge is
 * declined and the subscription becomes past_due. On a past_due subscription the open invoice is
 * retried instead, with the same choice of outcome.
 */
export function renewSubscription(store: Store, subscriptionId: string, outcome: "paid" | "failed"): Subscription {
  const subscription = store.state.subscriptions.get(subscriptionId);
  if (!subscription) throw new Error(`fake Stripe: no subscription ${subscriptionId}`);
  if (subscription.status === "canceled") throw new Error(`fake Stripe: subscription ${subscriptionId} is canceled`);
  const account = store.owner.get(subscription.id) ?? null;
  if (subscription.status === "past_due") {
    const open = store.state.invoices.get(subscription.latest_invoice ?? "");
    if (open && open.status === "open") {
      if (outcome === "failed") failInvoice(store, subscription, open);
      else chargeInvoice(store, subscription, open);
      return subscription;
    }
  }
  if (subscription.cancel_at_period_end) {
    endSubscription(store, subscription);
    return subscription;
  }
  const previous = { items: store.snapshot(subscription.items) };
  const start = periodEnd(subscription);
  const end = monthAfter(start);
  for (const item of subscription.items.data) Object.assign(item, { current_period_start: start, current_period_end: end });
  store.emit("customer.subscription.updated", subscription, { previous });
  const invoice = makeInvoice(store, subscription, "subscription_cycle", amountOf(subscription), start, end, account);
  subscription.latest_invoice = invoice.id;
  if (outcome === "failed") failInvoice(store, subscription, invoice);
  else chargeInvoice(store, subscription, invoice);
  return subscription;
}

function chargeInvoice(store: Store, subscription: Subscription, invoice: Invoice): void {
  Object.assign(invoice, { status: "paid", amount_paid: invoice.amount_due, amount_remaining: 0, attempted: true, attempt_count: invoice.attempt_count + 1, next_payment_attempt: null });
  store.emit("invoice.paid", invoice);
  if (subscription.status === "past_due") {
    subscription.status = "active";
    store.emit("customer.subscription.updated", subscription, { previous: { status: "past_due" } });
  }
}

function failInvoice(store: Store, subscription: Subscription, invoice: Invoice): void {
  Object.assign(invoice, { status: "open", attempted: true, attempt_count: invoice.attempt_count + 1, next_payment_attempt: store.now() + 3 * 24 * 3600 });
  store.emit("invoice.payment_failed", invoice);
  if (subscription.status !== "past_due") {
    const was = subscription.status;
    subscription.status = "past_due";
    store.emit("customer.subscription.updated", subscription, { previous: { status: was } });
  }
}

function subscriptionItem(store: Store, subscriptionId: string, price: Price, quantity: number, start: number, end: number): SubscriptionItem {
  return { id: newId("si"), object: "subscription_item", created: store.now(), current_period_start: start, current_period_end: end, metadata: {}, price, quantity, subscription: subscriptionId };
}

function makeInvoice(store: Store, subscription: Subscription, reason: Invoice["billing_reason"], amount: number, start: number, end: number, account: string | null): Invoice {
  const invoice: Invoice = {
    id: newId("in"),
    object: "invoice",
    amount_due: amount,
    amount_paid: 0,
    amount_remaining: amount,
    attempt_count: 0,
    attempted: false,
    billing_reason: reason,
    created: store.now(),
    currency: subscription.currency,
    customer: subscription.customer,
    hosted_invoice_url: "",
    livemode: false,
    next_payment_attempt: null,
    parent: { type: "subscription_details", quote_details: null, subscription_details: { metadata: { ...subscription.metadata }, subscription: subscription.id } },
    period_end: end,
    period_start: start,
    status: "open",
  };
  invoice.hosted_invoice_url = `${store.baseUrl}/_fake/invoices/${invoice.id}`;
  store.put("invoices", invoice, account);
  return invoice;
}

export function retrieveInvoice(ctx: Ctx): Invoice {
  return ctx.store.need("invoices", id(ctx), ctx.account, "invoice");
}

const amountOf = (subscription: Subscription) => subscription.items.data.reduce((t, item) => t + item.price.unit_amount * item.quantity, 0);
const periodEnd = (subscription: Subscription) => subscription.items.data[0]?.current_period_end ?? subscription.billing_cycle_anchor;

/** The same time a calendar month later (Unix seconds, UTC), as Stripe's monthly billing anchor. */
function monthAfter(seconds: number): number {
  const date = new Date(seconds * 1000);
  date.setUTCMonth(date.getUTCMonth() + 1);
  return Math.floor(date.getTime() / 1000);
}
