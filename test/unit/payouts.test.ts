import { describe, expect, it } from "vitest";
import { accountReady, connectedAccountParams } from "../../worker/billing/connect";
import { payoutLines, payoutNote, planPayout, transferFailure, transferKey } from "../../worker/billing/payouts";

const ready = { stripeAccountId: "acct_1", stripeAccountReady: true };

describe("what the payout run does with a due payout", () => {
  it("transfers a Stripe payout to the solo's ready connected account", () => {
    expect(planPayout({ method: "stripe", account: "me@x.test" }, ready, true)).toEqual({ kind: "transfer", destination: "acct_1" });
  });

  it("fails a Stripe payout, with what to do, while no account is connected or ready, or Stripe is not configured", () => {
    expect(planPayout({ method: "stripe", account: "me@x.test" }, { stripeAccountId: null, stripeAccountReady: false }, true)).toMatchObject({ kind: "fail", code: "no_connected_account" });
    expect(planPayout({ method: "stripe", account: "me@x.test" }, { stripeAccountId: "acct_1", stripeAccountReady: false }, true)).toMatchObject({ kind: "fail", code: "no_connected_account" });
    expect(planPayout({ method: "stripe", account: "me@x.test" }, ready, false)).toMatchObject({ kind: "fail", code: "stripe_unconfigured" });
    expect(planPayout(null, ready, true)).toMatchObject({ kind: "fail", code: "no_payout_method" });
  });

  it("leaves PayPal, AliPay and WeChat Pay to be paid by hand to the chosen account, Stripe or not", () => {
    expect(planPayout({ method: "paypal", account: "me@pp.test" }, ready, true)).toEqual({ kind: "manual", method: "paypal", destination: "me@pp.test" });
    expect(planPayout({ method: "wechat_pay", account: "wx_me" }, { stripeAccountId: null, stripeAccountReady: false }, false)).toEqual({ kind: "manual", method: "wechat_pay", destination: "wx_me" });
  });
});

describe("a Transfer's failure", () => {
  it("is final when Stripe refused the request (a new attempt is safe), with a reason the solo understands", () => {
    expect(transferFailure({ type: "StripeInvalidRequestError", code: "balance_insufficient", message: "You have insufficient funds" })).toEqual({
      retry: false,
      code: "balance_insufficient",
      reason: "Parley's Stripe balance did not cover this payout yet; it is tried again at the next payout run.",
    });
    expect(transferFailure({ type: "StripeInvalidRequestError", code: "odd_code", message: "Odd." })).toEqual({ retry: false, code: "odd_code", reason: "Stripe refused the transfer: Odd." });
  });

  it("is retried with the same key when the answer never came or Stripe failed (the Transfer may exist)", () => {
    for (const type of ["StripeConnectionError", "StripeAPIError", "StripeRateLimitError", "StripeIdempotencyError"]) expect(transferFailure({ type })).toEqual({ retry: true });
    expect(transferFailure(new TypeError("network"))).toEqual({ retry: true });
  });

  it("keys each attempt of a payout apart, and the same attempt alike", () => {
    expect(transferKey("po-1", 1)).toBe("payout:po-1:transfer:1");
    expect(transferKey("po-1", 2)).not.toBe(transferKey("po-1", 1));
  });
});

describe("a paid payout in the ledger", () => {
  it("moves the amount out of the solo's balance in two lines that sum to zero", () => {
    const lines = payoutLines(880);
    expect(lines).toEqual([
      { kind: "payout", account: "merchant", amountMinor: -880 },
      { kind: "payout", account: "payout", amountMinor: 880 },
    ]);
    expect(lines.reduce((t, l) => t + l.amountMinor, 0)).toBe(0);
  });
});

describe("the line under a payout's state", () => {
  const base = { method: "stripe" as const, destination: "acct_1", reference: null, failureReason: null };
  it("says where it went, why it failed, or that Parley pays it by hand", () => {
    expect(payoutNote({ ...base, state: "scheduled" })).toBeNull();
    expect(payoutNote({ ...base, state: "paid", reference: "tr_1" })).toBe("Transfer tr_1");
    expect(payoutNote({ ...base, state: "paid", method: "paypal", destination: "a@pp.test", reference: "PP-1" })).toBe("Reference PP-1");
    expect(payoutNote({ ...base, state: "failed", failureReason: "No account." })).toBe("No account.");
    expect(payoutNote({ ...base, state: "manual", method: "alipay", destination: "+86 138" })).toBe("Parley pays this to AliPay +86 138 by hand; it shows as paid once sent.");
  });
});

describe("a solo's connected account", () => {
  it("is an Express account asked only to receive transfers, ready once transfers are active", () => {
    expect(connectedAccountParams({ id: "c1", name: "Dr Lee", email: "lee@x.test", accountType: "solo" })).toMatchObject({ type: "express", capabilities: { transfers: { requested: true } } });
    expect(connectedAccountParams({ id: "c1", name: "Co", email: "b@x.test", accountType: "company" })).toMatchObject({ type: "standard" });
    expect(accountReady({ charges_enabled: false, capabilities: { transfers: "active" } }, "solo")).toBe(true);
    expect(accountReady({ charges_enabled: false, capabilities: { transfers: "inactive" } }, "solo")).toBe(false);
    expect(accountReady({ charges_enabled: false, capabilities: { transfers: "active" } }, "company")).toBe(false);
  });
});
