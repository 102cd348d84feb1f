// The fake Stripe API (test/fakes/stripe.ts) driven through the real `stripe` client, so what
// these tests prove is what Parley's Stripe adapter will see: the same requests on the wire, the
// same objects and the same error classes back.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Stripe from "stripe";
import { beforeEach, describe, expect, it } from "vitest";
import { createFakeStripe, type StripeEvent } from "../fakes/stripe";

type StripeError = InstanceType<typeof Stripe.errors.StripeError>;

const fake = createFakeStripe();
const stripe = new Stripe("sk_test_fake", {
  httpClient: Stripe.createFetchHttpClient(fake.fetch),
  host: "localhost",
  port: 12111,
  protocol: "http",
  maxNetworkRetries: 0,
});

beforeEach(() => fake.reset());

/** The error a Stripe call rejects with (fails the test if it resolves). */
async function failure(call: Promise<unknown>): Promise<StripeError> {
  try {
    await call;
  } catch (err) {
    return err as StripeError;
  }
  throw new Error("expected the Stripe call to fail");
}

/** A customer whose card is held (manual capture) and saved for off-session use, as Parley does before a metered chat. */
async function holdCard(card = "pm_card_visa", amount = 2000) {
  const customer = await stripe.customers.create({ email: "customer@example.test", metadata: { chat_id: "chat_1" } });
  const intent = await stripe.paymentIntents.create({
    amount,
    currency: "eur",
    customer: customer.id,
    capture_method: "manual",
    setup_future_usage: "off_session",
    allowed_payment_method_types: ["card"],
    metadata: { chat_id: "chat_1" },
  });
  const confirmed = await stripe.paymentIntents.confirm(intent.id, { payment_method: card });
  return { customer, intent: confirmed };
}

describe("fake Stripe: holds, captures and off-session charges", () => {
  it("holds a card with manual capture, then a partial capture charges part and releases the rest", async () => {
    const { customer, intent } = await holdCard();
    expect(intent).toMatchObject({
      object: "payment_intent",
      status: "requires_capture",
      amount: 2000,
      amount_capturable: 2000,
      amount_received: 0,
      currency: "eur",
      customer: customer.id,
      capture_method: "manual",
      setup_future_usage: "off_session",
      metadata: { chat_id: "chat_1" },
      last_payment_error: null,
    });
    expect(intent.id).toMatch(/^pi_/);
    expect(intent.client_secret).toMatch(new RegExp(`^${intent.id}_secret_`));
    expect(intent.latest_charge).toMatch(/^ch_/);
    // The test id mints a real PaymentMethod, saved on the customer by setup_future_usage.
    expect(intent.payment_method).toMatch(/^pm_/);
    expect(intent.payment_method).not.toBe("pm_card_visa");
    const pm = await stripe.paymentMethods.retrieve(intent.payment_method as string);
    expect(pm).toMatchObject({ customer: customer.id, card: { brand: "visa", last4: "4242" } });

    const captured = await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 1100 }, { idempotencyKey: "chat:chat_1:charge:1" });
    expect(captured).toMatchObject({ status: "succeeded", amount_received: 1100, amount_capturable: 0 });

    const withCharge = await stripe.paymentIntents.retrieve(intent.id, { expand: ["latest_charge.balance_transaction"] });
    const charge = withCharge.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({ object: "charge", captured: true, amount: 2000, amount_captured: 1100, amount_refunded: 900, status: "succeeded" });
    const txn = charge.balance_transaction as Stripe.BalanceTransaction;
    expect(txn).toMatchObject({ object: "balance_transaction", amount: 1100, currency: "eur" });
    expect(txn.fee).toBeGreaterThan(0);
    expect(txn.net).toBe(1100 - txn.fee);

    expect(fake.events().map((e) => e.type)).toEqual(
      expect.arrayContaining(["payment_intent.amount_capturable_updated", "charge.captured", "payment_intent.succeeded"]),
    );
    // A second capture is refused: the hold is used up.
    const again = await failure(stripe.paymentIntents.capture(intent.id));
    expect(again).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(again.code).toBe("payment_intent_unexpected_state");
  });

  it("sends Stripe's wire format: form-encoded brackets, Bearer key, an idempotency key on every POST", async () => {
    await holdCard();
    const create = fake.state.requests.find((r) => r.method === "POST" && r.path === "/v1/payment_intents");
    expect(create?.params).toMatchObject({ amount: "2000", metadata: { chat_id: "chat_1" }, allowed_payment_method_types: ["card"] });
    expect(fake.state.paymentIntents.values().next().value).toMatchObject({ allowed_payment_method_types: ["card"], payment_method_types: ["card"] });
    expect(create?.idempotencyKey).toMatch(/^stripe-node-retry-/);

    // The same with curl-style brackets (`[]`), as other clients send them.
    const response = await fake.fetch(
      new Request("http://localhost:12111/v1/payment_intents", {
        method: "POST",
        headers: { Authorization: "Bearer sk_test_curl", "Content-Type": "application/x-www-form-urlencoded" },
        body: "amount=500&currency=EUR&allowed_payment_method_types[]=card&metadata[chat_id]=7&expand[]=latest_charge",
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("Request-Id")).toMatch(/^req_/);
    const body = (await response.json()) as { currency: string; metadata: object; payment_method_types: string[]; status: string };
    expect(body).toMatchObject({ currency: "eur", metadata: { chat_id: "7" }, payment_method_types: ["card"], status: "requires_payment_method" });
  });

  it("takes payment_method_types only from API versions before 2026-09-30 (stripe-node 23 sends allowed_payment_method_types)", async () => {
    const post = (version: string) =>
      fake.fetch("http://localhost:12111/v1/payment_intents", {
        method: "POST",
        headers: { Authorization: "Bearer sk_test_curl", "Stripe-Version": version },
        body: new URLSearchParams({ amount: "500", currency: "eur", "payment_method_types[]": "card" }),
      });
    expect((await post("2025-03-31.basil")).status).toBe(200);
    const endive = await post(Stripe.API_VERSION);
    expect(endive.status).toBe(400);
    expect(((await endive.json()) as { error: { code: string; param: string } }).error).toMatchObject({ code: "parameter_unknown", param: "payment_method_types" });
  });

  it("charges the saved card off-session with a second PaymentIntent", async () => {
    const { customer, intent } = await holdCard();
    await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 2000 });
    const next = await stripe.paymentIntents.create({
      amount: 2000,
      currency: "eur",
      customer: customer.id,
      payment_method: intent.payment_method as string,
      capture_method: "manual",
      allowed_payment_method_types: ["card"],
      off_session: true,
      confirm: true,
      metadata: { chat_id: "chat_1", hold: "2" },
    });
    expect(next).toMatchObject({ status: "requires_capture", amount_capturable: 2000, payment_method: intent.payment_method });

    // A saved card belongs to its customer: without the customer Stripe refuses it.
    const stranger = await failure(
      stripe.paymentIntents.create({ amount: 1000, currency: "eur", payment_method: intent.payment_method as string, allowed_payment_method_types: ["card"], confirm: true }),
    );
    expect(stranger).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(stranger.param).toBe("payment_method");
  });

  it("refuses a server-side confirmation that could need a redirect unless return_url, card-only or allow_redirects=never is given", async () => {
    const err = await failure(stripe.paymentIntents.create({ amount: 1000, currency: "eur", payment_method: "pm_card_visa", confirm: true }));
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(err.message).toMatch(/allow_redirects/);
    const ok = await stripe.paymentIntents.create({
      amount: 1000,
      currency: "eur",
      payment_method: "pm_card_visa",
      confirm: true,
      automatic_payment_methods: { enabled: true, allow_redirects: "never" },
    });
    expect(ok.status).toBe("succeeded");
  });
});

describe("fake Stripe: declines and 3-D Secure", () => {
  it("surfaces insufficient funds as a StripeCardError, and the same PaymentIntent can then be paid with another card", async () => {
    const customer = await stripe.customers.create({ email: "c@example.test" });
    const intent = await stripe.paymentIntents.create({
      amount: 1500,
      currency: "eur",
      customer: customer.id,
      capture_method: "manual",
      setup_future_usage: "off_session",
      allowed_payment_method_types: ["card"],
    });
    const err = await failure(stripe.paymentIntents.confirm(intent.id, { payment_method: "pm_card_chargeDeclinedInsufficientFunds" }));
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(err).toMatchObject({ statusCode: 402, type: "StripeCardError", code: "card_declined", decline_code: "insufficient_funds", message: "Your card has insufficient funds." });
    expect(err.payment_intent).toMatchObject({ id: intent.id, status: "requires_payment_method", last_payment_error: { code: "card_declined", decline_code: "insufficient_funds" } });
    expect(err.charge).toMatch(/^ch_/);
    expect(fake.lastEvent("payment_intent.payment_failed")?.data.object).toMatchObject({ id: intent.id });
    expect(fake.state.charges.get(err.charge as string)).toMatchObject({ status: "failed", failure_code: "card_declined", paid: false });

    const generic = await failure(stripe.paymentIntents.confirm(intent.id, { payment_method: "pm_card_chargeDeclined" }));
    expect(generic).toMatchObject({ code: "card_declined", decline_code: "generic_decline" });

    const paid = await stripe.paymentIntents.confirm(intent.id, { payment_method: "pm_card_mastercard" });
    expect(paid).toMatchObject({ status: "requires_capture", last_payment_error: null });
  });

  it("fails off-session with authentication_required; on session the same card asks for 3-D Secure again", async () => {
    const { customer, intent } = await holdCard("pm_card_authenticationRequired");
    expect(intent.status).toBe("requires_action");
    fake.completeAuthentication(intent.id);
    const held = await stripe.paymentIntents.retrieve(intent.id);
    expect(held.status).toBe("requires_capture");
    const savedCard = held.payment_method as string;

    const err = await failure(
      stripe.paymentIntents.create(
        {
          amount: 2000,
          currency: "eur",
          customer: customer.id,
          payment_method: savedCard,
          capture_method: "manual",
          allowed_payment_method_types: ["card"],
          off_session: true,
          confirm: true,
        },
        { idempotencyKey: "chat:chat_1:hold:2" },
      ),
    );
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(err).toMatchObject({ code: "authentication_required", decline_code: "authentication_required" });
    const failed = err.payment_intent as Stripe.PaymentIntent;
    expect(failed.status).toBe("requires_payment_method");
    expect(failed.last_payment_error?.payment_method?.id).toBe(savedCard);

    // Bring the customer back: confirm on session with the same card → 3-D Secure → held.
    const retry = await stripe.paymentIntents.confirm(failed.id, { payment_method: savedCard });
    expect(retry.status).toBe("requires_action");
    expect(fake.completeAuthentication(failed.id).status).toBe("requires_capture");
  });

  it("runs 3-D Secure on session: requires_action → completeAuthentication → requires_capture", async () => {
    const { intent } = await holdCard("pm_card_threeDSecure2Required");
    expect(intent.status).toBe("requires_action");
    expect(intent.next_action?.type).toBe("use_stripe_sdk");
    expect(fake.lastEvent("payment_intent.requires_action")?.data.object).toMatchObject({ id: intent.id });

    const done = fake.completeAuthentication(intent.id);
    expect(done).toMatchObject({ status: "requires_capture", amount_capturable: 2000 });
    const charge = await stripe.charges.retrieve(done.latest_charge as string);
    expect(charge.payment_method_details?.card?.three_d_secure).toMatchObject({ result: "authenticated" });
  });

  it("serves a 3-D Secure page for redirect_to_url that returns to the shop with redirect_status", async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 1000,
      currency: "eur",
      payment_method: "pm_card_authenticationRequired",
      allowed_payment_method_types: ["card"],
      confirm: true,
      return_url: "https://parley.test/c/demo/ROOM/paid",
    });
    expect(intent.next_action?.type).toBe("redirect_to_url");
    const pageUrl = intent.next_action?.redirect_to_url?.url as string;
    const page = await fake.fetch(pageUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("3-D Secure");
    const answer = await fake.fetch(new Request(pageUrl, { method: "POST", body: new URLSearchParams({ outcome: "complete" }) }));
    expect(answer.status).toBe(303);
    const back = new URL(answer.headers.get("Location") as string);
    expect(back.origin + back.pathname).toBe("https://parley.test/c/demo/ROOM/paid");
    expect(back.searchParams.get("payment_intent")).toBe(intent.id);
    expect(back.searchParams.get("redirect_status")).toBe("succeeded");
    expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe("succeeded");
  });

  it("fails 3-D Secure with payment_intent_authentication_failure", async () => {
    const { intent } = await holdCard("pm_card_authenticationRequired");
    const failed = fake.failAuthentication(intent.id);
    expect(failed).toMatchObject({ status: "requires_payment_method", payment_method: null, last_payment_error: { code: "payment_intent_authentication_failure" } });
  });

  it("saves an authenticationRequiredOnSetup card for later off-session use", async () => {
    const { customer, intent } = await holdCard("pm_card_authenticationRequiredOnSetup");
    fake.completeAuthentication(intent.id);
    const pm = (await stripe.paymentIntents.retrieve(intent.id)).payment_method as string;
    const later = await stripe.paymentIntents.create({
      amount: 2000,
      currency: "eur",
      customer: customer.id,
      payment_method: pm,
      allowed_payment_method_types: ["card"],
      off_session: true,
      confirm: true,
    });
    expect(later.status).toBe("succeeded");
  });

  it("lets a test make a saved card fail later (split bill declined after a good hold)", async () => {
    const { customer, intent } = await holdCard("pm_card_fake_insufficientFundsAfterFirstCharge");
    expect(intent.status).toBe("requires_capture");
    const next = (card: string) =>
      stripe.paymentIntents.create({ amount: 2000, currency: "eur", customer: customer.id, payment_method: card, allowed_payment_method_types: ["card"], off_session: true, confirm: true });
    expect(await failure(next(intent.payment_method as string))).toMatchObject({ decline_code: "insufficient_funds" });

    const { customer: other, intent: good } = await holdCard();
    fake.setPaymentMethodOutcome(good.payment_method as string, "expired_card");
    const later = await failure(
      stripe.paymentIntents.create({ amount: 2000, currency: "eur", customer: other.id, payment_method: good.payment_method as string, allowed_payment_method_types: ["card"], off_session: true, confirm: true }),
    );
    expect(later).toMatchObject({ code: "expired_card", message: "Your card has expired." });
  });
});

describe("fake Stripe: cancel, idempotency, refunds", () => {
  it("cancel releases a hold", async () => {
    const { intent } = await holdCard();
    const canceled = await stripe.paymentIntents.cancel(intent.id, { cancellation_reason: "abandoned" });
    expect(canceled).toMatchObject({ status: "canceled", amount_capturable: 0, cancellation_reason: "abandoned" });
    expect(canceled.canceled_at).toEqual(expect.any(Number));
    expect(fake.state.charges.get(intent.latest_charge as string)).toMatchObject({ captured: false, refunded: true, amount_refunded: 2000 });
    expect(fake.lastEvent("payment_intent.canceled")?.data.object).toMatchObject({ id: intent.id, status: "canceled" });

    const capture = await failure(stripe.paymentIntents.capture(intent.id));
    expect(capture).toMatchObject({ code: "payment_intent_unexpected_state", statusCode: 400 });
    const twice = await failure(stripe.paymentIntents.cancel(intent.id));
    expect(twice.code).toBe("payment_intent_unexpected_state");
  });

  it("replays the stored response for a repeated Idempotency-Key and creates nothing twice", async () => {
    const customer = await stripe.customers.create({});
    const params = {
      amount: 2000,
      currency: "eur",
      customer: customer.id,
      capture_method: "manual" as const,
      allowed_payment_method_types: ["card"],
      metadata: { chat_id: "chat_9" },
    };
    const first = await stripe.paymentIntents.create(params, { idempotencyKey: "chat:chat_9:hold:1" });
    const second = await stripe.paymentIntents.create(params, { idempotencyKey: "chat:chat_9:hold:1" });
    expect(second.id).toBe(first.id);
    expect(second.client_secret).toBe(first.client_secret);
    expect(fake.state.paymentIntents.size).toBe(1);
    expect(fake.state.requests.filter((r) => r.idempotencyKey === "chat:chat_9:hold:1").map((r) => r.replayed)).toEqual([false, true]);

    await stripe.paymentIntents.confirm(first.id, { payment_method: "pm_card_visa" });
    const capture = () => stripe.paymentIntents.capture(first.id, { amount_to_capture: 1200 }, { idempotencyKey: "chat:chat_9:charge:1" });
    const c1 = await capture();
    const c2 = await capture(); // a retried capture after a crash: the same answer, no error, no second capture
    expect(c2).toMatchObject({ id: c1.id, status: "succeeded", amount_received: 1200 });
    expect(fake.events("charge.captured")).toHaveLength(1);

    // Reusing a key with other parameters is Stripe's idempotency_error.
    const reused = await failure(stripe.paymentIntents.create({ ...params, amount: 3000 }, { idempotencyKey: "chat:chat_9:hold:1" }));
    expect(reused).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    const otherEndpoint = await failure(stripe.customers.create({}, { idempotencyKey: "chat:chat_9:hold:1" }));
    expect(otherEndpoint).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });

  it("replays a decline too: one failed attempt, the same 402 twice", async () => {
    const make = () =>
      stripe.paymentIntents.create(
        { amount: 2000, currency: "eur", payment_method: "pm_card_chargeDeclinedInsufficientFunds", allowed_payment_method_types: ["card"], confirm: true },
        { idempotencyKey: "chat:chat_2:hold:1" },
      );
    const e1 = await failure(make());
    const e2 = await failure(make());
    expect(e2).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect((e2.payment_intent as Stripe.PaymentIntent).id).toBe((e1.payment_intent as Stripe.PaymentIntent).id);
    expect(fake.state.paymentIntents.size).toBe(1);
    expect(fake.state.charges.size).toBe(1);
  });

  it("refunds part and then the rest of a charge, by PaymentIntent", async () => {
    const paid = await stripe.paymentIntents.create({ amount: 3000, currency: "eur", payment_method: "pm_card_visa", allowed_payment_method_types: ["card"], confirm: true });
    expect(paid.status).toBe("succeeded");
    const part = await stripe.refunds.create({ payment_intent: paid.id, amount: 1000, reason: "requested_by_customer" }, { idempotencyKey: "refund:1" });
    expect(part).toMatchObject({ object: "refund", amount: 1000, status: "succeeded", payment_intent: paid.id, charge: paid.latest_charge });
    expect(part.id).toMatch(/^re_/);
    expect(await stripe.charges.retrieve(paid.latest_charge as string)).toMatchObject({ amount_refunded: 1000, refunded: false });

    const tooMuch = await failure(stripe.refunds.create({ payment_intent: paid.id, amount: 2500 }));
    expect(tooMuch).toMatchObject({ statusCode: 400, param: "amount" });

    const rest = await stripe.refunds.create({ charge: paid.latest_charge as string });
    expect(rest.amount).toBe(2000);
    expect(await stripe.charges.retrieve(paid.latest_charge as string)).toMatchObject({ amount_refunded: 3000, refunded: true });
    const refunded = fake.events("charge.refunded");
    expect(refunded).toHaveLength(2);
    expect(refunded[1]?.data.previous_attributes).toEqual({ amount_refunded: 1000, refunded: false });

    const again = await failure(stripe.refunds.create({ payment_intent: paid.id }));
    expect(again.code).toBe("charge_already_refunded");
  });

  it("refunds at most what a partial capture took", async () => {
    const { intent } = await holdCard();
    await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 700 });
    const err = await failure(stripe.refunds.create({ payment_intent: intent.id, amount: 701 }));
    expect(err.param).toBe("amount");
    expect((await stripe.refunds.create({ payment_intent: intent.id })).amount).toBe(700);
  });
});

describe("fake Stripe: balance transactions", () => {
  it("charges Stripe's EU card price on a euro payment: 1.5 % + 0.25, so 11.00 costs 0.42", async () => {
    const { intent } = await holdCard();
    await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 1100 });
    const charge = await stripe.charges.retrieve(intent.latest_charge as string, { expand: ["balance_transaction"] });
    const txn = charge.balance_transaction as Stripe.BalanceTransaction;
    expect(txn).toMatchObject({ type: "payment", amount: 1100, fee: 42, net: 1058, source: charge.id });
    expect(txn.fee_details).toEqual([expect.objectContaining({ type: "stripe_fee", amount: 42 })]);
  });

  it("lists an account's balance transactions newest first, by created time, type and source", async () => {
    let now = Date.parse("2025-05-31T23:59:58Z");
    const timed = createFakeStripe({ now: () => now });
    const client = new Stripe("sk_test_fake", { httpClient: Stripe.createFetchHttpClient(timed.fetch), host: "localhost", port: 12111, protocol: "http", maxNetworkRetries: 0 });
    const pay = (amount: number) =>
      client.paymentIntents.create({ amount, currency: "eur", payment_method: "pm_card_visa", allowed_payment_method_types: ["card"], confirm: true });
    const may = await pay(1000);
    now = Date.parse("2025-06-01T00:00:01Z");
    const june = await pay(2000);
    await client.refunds.create({ payment_intent: june.id, amount: 500 });

    const day = { gte: Date.parse("2025-06-01T00:00:00Z") / 1000, lt: Date.parse("2025-06-02T00:00:00Z") / 1000 };
    const listed = await client.balanceTransactions.list({ created: day, limit: 100 });
    expect(listed.data.map((t) => [t.type, t.amount])).toEqual([
      ["refund", -500],
      ["payment", 2000],
    ]);
    const payments = await client.balanceTransactions.list({ type: "payment", limit: 100 });
    expect(payments.data.map((t) => t.amount)).toEqual([2000, 1000]);
    const ofMay = await client.balanceTransactions.list({ source: may.latest_charge as string });
    expect(ofMay.data).toHaveLength(1);
  });

  it("can settle a capture later: balance_transaction null at first, then charge.updated with it", async () => {
    fake.deferBalanceTransactions(true);
    const { intent } = await holdCard();
    await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 1100 });
    expect((await stripe.charges.retrieve(intent.latest_charge as string)).balance_transaction).toBeNull();

    expect(fake.settleCharges().map((c) => c.id)).toEqual([intent.latest_charge]);
    const updated = fake.lastEvent("charge.updated")!;
    expect(updated.data.previous_attributes).toEqual({ balance_transaction: null });
    const txnId = (updated.data.object as { balance_transaction: string }).balance_transaction;
    expect((await stripe.balanceTransactions.retrieve(txnId)).amount).toBe(1100);
    expect(fake.settleCharges()).toEqual([]);
  });

  it("takes a disputed amount and the dispute fee off the balance in one adjustment", async () => {
    const { intent } = await holdCard();
    await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 1100 });
    const dispute = fake.createDispute(intent.latest_charge as string);
    expect(dispute.balance_transactions).toEqual([expect.objectContaining({ type: "adjustment", reporting_category: "dispute", amount: -1100, fee: 1500, net: -2600, source: dispute.id })]);
  });

  it("records a transfer as money leaving the platform's balance", async () => {
    const account = await stripe.accounts.create({ type: "express", country: "DE", capabilities: { transfers: { requested: true } } });
    fake.completeOnboarding(account.id);
    const transfer = await stripe.transfers.create({ amount: 1500, currency: "eur", destination: account.id });
    const txn = await stripe.balanceTransactions.retrieve(transfer.balance_transaction as string);
    expect(txn).toMatchObject({ type: "transfer", amount: -1500, source: transfer.id });
  });
});

describe("fake Stripe: Connect", () => {
  async function onboardedAccount() {
    const account = await stripe.accounts.create({
      type: "express",
      country: "DE",
      email: "owner@company.test",
      capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
      metadata: { company: "demo" },
    });
    fake.completeOnboarding(account.id);
    return account;
  }

  it("onboards an account through an Account Link", async () => {
    const account = await stripe.accounts.create({ type: "express", country: "DE", capabilities: { card_payments: { requested: true }, transfers: { requested: true } } });
    expect(account).toMatchObject({ object: "account", charges_enabled: false, details_submitted: false, default_currency: "eur" });
    expect(account.id).toMatch(/^acct_/);

    const missing = await failure(stripe.accountLinks.create({ account: account.id, type: "account_onboarding", refresh_url: "https://parley.test/admin/stripe/refresh" } as Stripe.AccountLinkCreateParams));
    expect(missing).toMatchObject({ code: "parameter_missing", param: "return_url" });

    const link = await stripe.accountLinks.create({
      account: account.id,
      type: "account_onboarding",
      refresh_url: "https://parley.test/admin/stripe/refresh",
      return_url: "https://parley.test/admin/stripe/return",
    });
    expect(link).toMatchObject({ object: "account_link" });
    expect(link.expires_at - link.created).toBe(300);
    expect(link.url).toMatch(/^http:\/\/localhost:12111\/_fake\/connect\/onboarding\//);

    expect((await fake.fetch(link.url)).status).toBe(200);
    const done = await fake.fetch(new Request(link.url, { method: "POST", body: new URLSearchParams({ action: "complete" }) }));
    expect(done.status).toBe(303);
    expect(done.headers.get("Location")).toBe("https://parley.test/admin/stripe/return");
    // Links are single-use: a second visit goes to refresh_url.
    expect((await fake.fetch(link.url)).headers.get("Location")).toBe("https://parley.test/admin/stripe/refresh");

    expect(await stripe.accounts.retrieve(account.id)).toMatchObject({
      charges_enabled: true,
      payouts_enabled: true,
      details_submitted: true,
      capabilities: { card_payments: "active", transfers: "active" },
    });
    const updated = fake.lastEvent("account.updated") as StripeEvent;
    expect(updated.account).toBe(account.id);
    expect(updated.data.previous_attributes).toMatchObject({ charges_enabled: false });
  });

  it("makes a direct charge on a connected account with an application fee", async () => {
    const pending = await stripe.accounts.create({ type: "standard", country: "DE" });
    const refused = await failure(
      stripe.paymentIntents.create({ amount: 1000, currency: "eur", payment_method: "pm_card_visa", allowed_payment_method_types: ["card"], confirm: true }, { stripeAccount: pending.id }),
    );
    expect(refused).toMatchObject({ statusCode: 400, code: "account_invalid" });

    const account = await onboardedAccount();
    const onAccount = { stripeAccount: account.id };
    const customer = await stripe.customers.create({ email: "c@example.test" }, onAccount);
    const intent = await stripe.paymentIntents.create(
      {
        amount: 5000,
        currency: "eur",
        customer: customer.id,
        capture_method: "manual",
        setup_future_usage: "off_session",
        allowed_payment_method_types: ["card"],
        application_fee_amount: 500,
        receipt_email: "c@example.test",
        description: "Chat with alice",
      },
      { ...onAccount, idempotencyKey: "chat:chat_3:hold:1" },
    );
    await stripe.paymentIntents.confirm(intent.id, { payment_method: "pm_card_visa" }, onAccount);
    const captured = await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 3000, application_fee_amount: 300 }, onAccount);
    expect(captured).toMatchObject({ status: "succeeded", amount_received: 3000, application_fee_amount: 300 });

    const charge = await stripe.charges.retrieve(captured.latest_charge as string, { expand: ["balance_transaction"] }, onAccount);
    expect(charge.application_fee).toMatch(/^fee_/);
    expect(charge.receipt_email).toBe("c@example.test");
    const txn = charge.balance_transaction as Stripe.BalanceTransaction;
    expect(txn.fee_details.map((f) => f.type).sort()).toEqual(["application_fee", "stripe_fee"]);
    expect(fake.state.applicationFees.get(charge.application_fee as string)).toMatchObject({ amount: 300, account: account.id });
    expect(fake.lastEvent("payment_intent.succeeded")?.account).toBe(account.id);

    // Objects of a connected account do not exist for the platform.
    const hidden = await failure(stripe.paymentIntents.retrieve(intent.id));
    expect(hidden).toMatchObject({ statusCode: 404, code: "resource_missing" });
    // Without Stripe-Account or a destination an application fee makes no sense.
    const noFee = await failure(stripe.paymentIntents.create({ amount: 1000, currency: "eur", application_fee_amount: 100, allowed_payment_method_types: ["card"] }));
    expect(noFee.param).toBe("application_fee_amount");
    // An unknown account in the header is refused.
    const unknown = await failure(stripe.customers.create({}, { stripeAccount: "acct_unknown" }));
    expect(unknown.statusCode).toBe(403);
  });

  it("makes a destination charge (platform fee kept, rest transferred) and transfers", async () => {
    const solo = await onboardedAccount();
    const paid = await stripe.paymentIntents.create({
      amount: 10000,
      currency: "eur",
      payment_method: "pm_card_visa",
      allowed_payment_method_types: ["card"],
      confirm: true,
      application_fee_amount: 2000,
      transfer_data: { destination: solo.id },
      on_behalf_of: solo.id,
    });
    expect(paid).toMatchObject({ status: "succeeded", transfer_data: { destination: solo.id }, on_behalf_of: solo.id });
    const charge = await stripe.charges.retrieve(paid.latest_charge as string);
    const transfer = await stripe.transfers.retrieve(charge.transfer as string);
    expect(transfer).toMatchObject({ amount: 8000, destination: solo.id, source_transaction: charge.id });

    const payout = await stripe.transfers.create({ amount: 1500, currency: "eur", destination: solo.id, metadata: { ledger: "payout-1" } });
    expect(payout).toMatchObject({ object: "transfer", amount: 1500, amount_reversed: 0, reversed: false });
    expect(payout.id).toMatch(/^tr_/);

    const notReady = await stripe.accounts.create({ type: "express", country: "DE" });
    const refused = await failure(stripe.transfers.create({ amount: 100, currency: "eur", destination: notReady.id }));
    expect(refused.code).toBe("insufficient_capabilities_for_transfer");
  });
});

describe("fake Stripe: validation, authentication and webhooks", () => {
  it("lets the browser confirm with a publishable key and the client secret, as Stripe.js does", async () => {
    const intent = await stripe.paymentIntents.create({ amount: 1200, currency: "eur", capture_method: "manual", allowed_payment_method_types: ["card"] });
    const browser = (path: string, body?: Record<string, string>) =>
      fake.fetch(`http://localhost:12111${path}`, {
        method: body ? "POST" : "GET",
        headers: { Authorization: "Bearer pk_test_parley" },
        body: body ? new URLSearchParams(body) : undefined,
      });
    // The card picker of the test-mode page: the fake lists Stripe's test cards.
    const cards = (await (await fake.fetch("http://localhost:12111/_fake/cards")).json()) as { id: string; behaviour: string }[];
    expect(cards.find((c) => c.id === "pm_card_chargeDeclinedInsufficientFunds")?.behaviour).toBe("declined (insufficient_funds)");

    const pm = (await (await browser("/v1/payment_methods", { type: "card", "card[number]": "4242 4242 4242 4242", "card[exp_month]": "12", "card[exp_year]": "40" })).json()) as { id: string };
    expect(pm.id).toMatch(/^pm_/);
    expect((await browser(`/v1/payment_intents/${intent.id}/confirm`, { payment_method: pm.id, client_secret: "pi_wrong_secret_x" })).status).toBe(400);
    const confirmed = await browser(`/v1/payment_intents/${intent.id}/confirm`, { payment_method: pm.id, client_secret: intent.client_secret as string });
    expect(((await confirmed.json()) as { status: string }).status).toBe("requires_capture");
    expect((await browser(`/v1/payment_intents/${intent.id}?client_secret=${intent.client_secret}`)).status).toBe(200);
    // Anything else needs the secret key.
    expect((await browser(`/v1/payment_intents/${intent.id}/capture`, {})).status).toBe(401);
    // Raw card numbers from a server are refused, as Stripe does.
    expect(await failure(stripe.paymentMethods.create({ type: "card", card: { number: "4242424242424242", exp_month: 12, exp_year: 2040 } }))).toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
  });

  it("refuses amounts below Stripe's minimum charge with amount_too_small", async () => {
    const create = (amount: number, currency: string) => stripe.paymentIntents.create({ amount, currency, allowed_payment_method_types: ["card"] });
    const eur = await failure(create(49, "eur"));
    expect(eur).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(eur).toMatchObject({ statusCode: 400, code: "amount_too_small", param: "amount", message: "Amount must be at least €0.50 eur" });
    expect(await failure(create(49, "usd"))).toMatchObject({ code: "amount_too_small" });
    expect(await failure(create(29, "gbp"))).toMatchObject({ code: "amount_too_small" });
    expect(await failure(create(49, "jpy"))).toMatchObject({ code: "amount_too_small", message: "Amount must be at least ¥50 jpy" });
    for (const [amount, currency] of [[50, "eur"], [50, "usd"], [30, "gbp"], [50, "jpy"]] as const) expect((await create(amount, currency)).amount).toBe(amount);
    // Nothing was created by the refused requests.
    expect(fake.state.paymentIntents.size).toBe(4);
  });

  it("answers Stripe's errors for a missing or live key, unknown parameters and unknown objects", async () => {
    const anonymous = new Stripe("sk_live_oops", { httpClient: Stripe.createFetchHttpClient(fake.fetch), host: "localhost", port: 12111, protocol: "http", maxNetworkRetries: 0 });
    expect(await failure(anonymous.customers.create({}))).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    const noKey = await fake.fetch(new Request("http://localhost:12111/v1/customers", { method: "POST", body: "" }));
    expect(noKey.status).toBe(401);

    const typo = await failure(stripe.paymentIntents.create({ amount: 1000, currency: "eur", capture: "manual" } as unknown as Stripe.PaymentIntentCreateParams));
    expect(typo).toMatchObject({ statusCode: 400, code: "parameter_unknown", param: "capture" });
    const missing = await failure(stripe.paymentIntents.retrieve("pi_doesnotexist"));
    expect(missing).toMatchObject({ statusCode: 404, code: "resource_missing", message: "No such payment_intent: 'pi_doesnotexist'" });
    const noCustomer = await failure(stripe.paymentIntents.create({ amount: 1000, currency: "eur", customer: "cus_nope" }));
    expect(noCustomer).toMatchObject({ statusCode: 400, code: "resource_missing", param: "customer" });
  });

  it("signs webhook events so that constructEventAsync with SubtleCrypto accepts them", async () => {
    const { intent } = await holdCard();
    await stripe.paymentIntents.capture(intent.id);
    const secret = "whsec_test_parley";
    const event = fake.lastEvent("payment_intent.succeeded") as StripeEvent;
    expect(event).toMatchObject({ object: "event", livemode: false, type: "payment_intent.succeeded", data: { object: { id: intent.id, status: "succeeded" } } });
    expect(event.id).toMatch(/^evt_/);
    expect(event.request.id).toMatch(/^req_/);

    const { body, signature } = await fake.signedWebhook(event, secret);
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const verified = await stripe.webhooks.constructEventAsync(body, signature, secret, undefined, Stripe.createSubtleCryptoProvider());
    expect(verified.id).toBe(event.id);
    expect(verified.type).toBe("payment_intent.succeeded");

    await expect(stripe.webhooks.constructEventAsync(body, signature, "whsec_wrong", undefined, Stripe.createSubtleCryptoProvider())).rejects.toBeInstanceOf(
      Stripe.errors.StripeSignatureVerificationError,
    );
    const stale = await fake.signedWebhook(event, secret, Math.floor(Date.now() / 1000) - 3600);
    await expect(stripe.webhooks.constructEventAsync(stale.body, stale.signature, secret, undefined, Stripe.createSubtleCryptoProvider())).rejects.toThrow(/tolerance/);
  });

  it("delivers pending events to a webhook URL, each once", async () => {
    const received: Stripe.Event[] = [];
    const secret = "whsec_delivery";
    const receiver = async (input: Request | string, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(input, init);
      const event = await stripe.webhooks.constructEventAsync(
        await request.text(),
        request.headers.get("Stripe-Signature") ?? "",
        secret,
        undefined,
        Stripe.createSubtleCryptoProvider(),
      );
      received.push(event);
      return new Response("ok");
    };
    const { intent } = await holdCard();
    await stripe.paymentIntents.cancel(intent.id);
    const first = await fake.deliverTo("https://parley.test/webhooks/stripe", { secret, fetch: receiver, types: ["payment_intent.amount_capturable_updated", "payment_intent.canceled"] });
    expect(first.map((d) => [d.type, d.status])).toEqual([
      ["payment_intent.amount_capturable_updated", 200],
      ["payment_intent.canceled", 200],
    ]);
    expect(await fake.deliverTo("https://parley.test/webhooks/stripe", { secret, fetch: receiver, types: ["payment_intent.canceled"] })).toEqual([]);
    expect(received.map((e) => e.type)).toEqual(["payment_intent.amount_capturable_updated", "payment_intent.canceled"]);
  });

  it("delivers every new event automatically to a registered endpoint", async () => {
    const seen: string[] = [];
    const auto = createFakeStripe({
      webhooks: [{ url: "https://parley.test/webhooks/stripe", secret: "whsec_auto", fetch: async (input) => (seen.push(JSON.parse(await (input as Request).text()).type), new Response("ok")) }],
    });
    const client = new Stripe("sk_test_auto", { httpClient: Stripe.createFetchHttpClient(auto.fetch), host: "localhost", port: 12111, protocol: "http", maxNetworkRetries: 0 });
    await client.paymentIntents.create({ amount: 1000, currency: "eur", payment_method: "pm_card_visa", allowed_payment_method_types: ["card"], confirm: true });
    await auto.flushWebhooks();
    expect(seen).toEqual(["payment_intent.created", "charge.succeeded", "payment_intent.succeeded"]);
    expect(auto.state.deliveries.every((d) => d.status === 200)).toBe(true);
  });

  it("remembers its accounts and payments across a restart when given a state file, as the local demo's D1 does", async () => {
    const { startFakeStripe } = await import("../../scripts/fake-stripe.mjs");
    const stateFile = join(mkdtempSync(join(tmpdir(), "fake-stripe-")), "state.json");
    const clientOf = (url: string) => new Stripe("sk_test_http", { host: new URL(url).hostname, port: Number(new URL(url).port), protocol: "http", maxNetworkRetries: 0 });
    const first = await startFakeStripe(0, { stateFile });
    const account = await clientOf(first.url).accounts.create({ type: "standard" });
    await fetch(`${first.url}/_fake/accounts/${account.id}/complete_onboarding`, { method: "POST" });
    const paid = await clientOf(first.url).paymentIntents.create(
      { amount: 1100, currency: "eur", payment_method: "pm_card_visa", allowed_payment_method_types: ["card"], confirm: true },
      { stripeAccount: account.id, idempotencyKey: "pay-1" },
    );
    await first.close();

    const again = await startFakeStripe(0, { stateFile });
    try {
      const client = clientOf(again.url);
      const known = await client.paymentIntents.retrieve(paid.id, { expand: ["latest_charge.balance_transaction"] }, { stripeAccount: account.id });
      expect((known.latest_charge as Stripe.Charge).balance_transaction).toMatchObject({ amount: 1100, fee: 42 });
      // The same key still answers the first request's result: nothing is charged twice.
      const replay = await client.paymentIntents.create(
        { amount: 1100, currency: "eur", payment_method: "pm_card_visa", allowed_payment_method_types: ["card"], confirm: true },
        { stripeAccount: account.id, idempotencyKey: "pay-1" },
      );
      expect(replay.id).toBe(paid.id);
      expect((await client.balanceTransactions.list({}, { stripeAccount: account.id })).data).toHaveLength(1);
    } finally {
      await again.close();
    }
  });

  it("runs over HTTP as a separate server (scripts/fake-stripe.mjs)", async () => {
    const { startFakeStripe } = await import("../../scripts/fake-stripe.mjs");
    const server = await startFakeStripe(0);
    try {
      const url = new URL(server.url);
      const client = new Stripe("sk_test_http", { host: url.hostname, port: Number(url.port), protocol: "http", maxNetworkRetries: 0 });
      const intent = await client.paymentIntents.create({ amount: 1000, currency: "eur", capture_method: "manual", payment_method: "pm_card_visa", allowed_payment_method_types: ["card"], confirm: true });
      expect(intent.status).toBe("requires_capture");
      const declined = await failure(client.paymentIntents.confirm(intent.id, { payment_method: "pm_card_visa" }));
      expect(declined.code).toBe("payment_intent_unexpected_state");
      const state = (await (await fetch(`${server.url}/_fake/state`)).json()) as { paymentIntents: Record<string, { status: string }> };
      expect(state.paymentIntents[intent.id]?.status).toBe("requires_capture");
    } finally {
      await server.close();
    }
  });
});
