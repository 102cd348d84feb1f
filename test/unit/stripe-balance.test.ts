import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { stripeChargeOf } from "../../worker/adapters/stripe-balance";

/** A captured charge as Stripe answers it, with its balance transaction expanded (or not). */
function charge(fields: { amount: number; captured?: number; refunded?: number; fee?: number; applicationFee?: number; expanded?: boolean }): Stripe.Charge {
  const captured = fields.captured ?? fields.amount;
  const feeDetails = [
    { type: "stripe_fee", amount: fields.fee ?? 0 },
    ...(fields.applicationFee ? [{ type: "application_fee", amount: fields.applicationFee }] : []),
  ];
  return {
    id: "ch_1",
    object: "charge",
    amount: fields.amount,
    amount_captured: captured,
    amount_refunded: fields.amount - captured + (fields.refunded ?? 0),
    captured: true,
    currency: "eur",
    payment_intent: "pi_1",
    metadata: { chat_id: "chat-1" },
    balance_transaction: fields.expanded === false ? "txn_1" : ({ id: "txn_1", fee_details: feeDetails } as Stripe.BalanceTransaction),
  } as unknown as Stripe.Charge;
}

describe("Stripe's figures of a charge", () => {
  it("reads the fees from the expanded balance transaction, and the chat from the metadata", () => {
    expect(stripeChargeOf(charge({ amount: 5000, captured: 1100, fee: 42, applicationFee: 110 }))).toEqual({
      id: "ch_1",
      paymentIntentId: "pi_1",
      chatId: "chat-1",
      currency: "EUR",
      capturedMinor: 1100,
      refundedMinor: 0,
      balanceTransactionId: "txn_1",
      stripeFeeMinor: 42,
      applicationFeeMinor: 110,
    });
  });

  it("does not count the released rest of a partly captured hold as refunded", () => {
    expect(stripeChargeOf(charge({ amount: 5000, captured: 1100, refunded: 400, fee: 42 })).refundedMinor).toBe(400);
  });

  it("knows no fees while the balance transaction is only an id (not expanded, or not settled)", () => {
    const figures = stripeChargeOf(charge({ amount: 1100, fee: 42, expanded: false }));
    expect(figures).toMatchObject({ balanceTransactionId: null, stripeFeeMinor: null, applicationFeeMinor: null });
  });
});
