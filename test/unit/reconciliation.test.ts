import { describe, expect, it } from "vitest";
import type { StripeCharge } from "../../worker/billing/fee-correction";
import { reconcileDay, type BalanceEntry, type DayInput, type LedgerCharge } from "../../worker/billing/reconciliation";

const ledgerCharge = (over: Partial<LedgerCharge> = {}): LedgerCharge => ({
  chargeId: "chat-1:0",
  chatId: "chat-1",
  paymentIntentId: "pi_1",
  currency: "EUR",
  grossMinor: 1100,
  refundedMinor: 0,
  processingFeeMinor: 42,
  platformFeeMinor: 110,
  disputedMinor: {},
  ...over,
});

const stripeCharge = (over: Partial<StripeCharge> = {}): StripeCharge => ({
  id: "ch_1",
  paymentIntentId: "pi_1",
  chatId: "chat-1",
  currency: "EUR",
  capturedMinor: 1100,
  refundedMinor: 0,
  balanceTransactionId: "txn_1",
  stripeFeeMinor: 42,
  applicationFeeMinor: 110,
  ...over,
});

const payment = (over: Partial<BalanceEntry> = {}): BalanceEntry => ({
  id: "txn_1",
  type: "payment",
  sourceId: "ch_1",
  currency: "EUR",
  amountMinor: 1100,
  feeMinor: 152,
  paymentIntentId: "pi_1",
  chatId: "chat-1",
  payoutId: null,
  ...over,
});

function day(over: Partial<DayInput> = {}): DayInput {
  return {
    account: "company",
    charges: [ledgerCharge()],
    stripeCharges: new Map([["pi_1", stripeCharge()]]),
    balance: [payment()],
    payouts: [],
    stripeTransfers: new Map(),
    ...over,
  };
}

describe("reconciling a day of the ledger with Stripe", () => {
  it("finds no difference when every charge, fee and refund agrees", () => {
    expect(reconcileDay(day())).toEqual([]);
  });

  it("reports a charge the ledger holds that Stripe never captured", () => {
    expect(reconcileDay(day({ stripeCharges: new Map([["pi_1", null]]), balance: [] }))).toEqual([
      { kind: "missing_at_stripe", txnId: "chat-1:0", chatId: "chat-1", stripeObject: "pi_1", currency: "EUR", ledgerMinor: 1100, stripeMinor: null },
    ]);
  });

  it("reports a payment Stripe took for one of Parley's chats that the ledger lacks, but not the company's own sales", () => {
    const lost = payment({ id: "txn_2", sourceId: "ch_2", paymentIntentId: "pi_2", chatId: "chat-2", amountMinor: 2000 });
    const ownSale = payment({ id: "txn_3", sourceId: "ch_3", paymentIntentId: "pi_3", chatId: null });
    expect(reconcileDay(day({ balance: [payment(), lost, ownSale] }))).toEqual([
      { kind: "missing_in_ledger", txnId: null, chatId: "chat-2", stripeObject: "ch_2", currency: "EUR", ledgerMinor: null, stripeMinor: 2000 },
    ]);
  });

  it("reports amounts, refunds and fees that still differ after the correction", () => {
    const differences = reconcileDay(day({ stripeCharges: new Map([["pi_1", stripeCharge({ capturedMinor: 1200, refundedMinor: 300, stripeFeeMinor: 45, applicationFeeMinor: 120 })]]) }));
    expect(differences.map((d) => [d.kind, d.ledgerMinor, d.stripeMinor])).toEqual([
      ["amount", 1100, 1200],
      ["refunded", 0, 300],
      ["processing_fee", 42, 45],
      ["platform_fee", 110, 120],
    ]);
  });

  it("reports a charge without a balance transaction as a processing fee Stripe has not stated", () => {
    const differences = reconcileDay(day({ stripeCharges: new Map([["pi_1", stripeCharge({ balanceTransactionId: null, stripeFeeMinor: null, applicationFeeMinor: null })]]) }));
    expect(differences.map((d) => [d.kind, d.ledgerMinor, d.stripeMinor])).toEqual([["processing_fee", 42, null]]);
  });

  it("does not compare Parley's share of a solo account's charge with an application fee", () => {
    const solo = day({ account: "solo", charges: [ledgerCharge({ platformFeeMinor: 220 })], stripeCharges: new Map([["pi_1", stripeCharge({ applicationFeeMinor: 0 })]]) });
    expect(reconcileDay(solo)).toEqual([]);
  });

  it("reports a dispute the ledger did not book with what Stripe withdrew: the amount and its fee", () => {
    const dispute = payment({ id: "txn_9", type: "dispute", sourceId: "dp_1", amountMinor: -1100, feeMinor: 1500, chatId: null });
    expect(reconcileDay(day({ balance: [payment(), dispute] }))).toEqual([
      { kind: "dispute", txnId: "chat-1:0", chatId: "chat-1", stripeObject: "dp_1", currency: "EUR", ledgerMinor: null, stripeMinor: 2600 },
    ]);
  });

  it("finds nothing to say about a dispute the ledger booked as Stripe withdrew it, and reports one booked short", () => {
    const dispute = payment({ id: "txn_9", type: "dispute", sourceId: "dp_1", amountMinor: -1100, feeMinor: 1500, chatId: null });
    expect(reconcileDay(day({ charges: [ledgerCharge({ disputedMinor: { dp_1: 2600 } })], balance: [payment(), dispute] }))).toEqual([]);
    expect(reconcileDay(day({ charges: [ledgerCharge({ disputedMinor: { dp_1: 1100 } })], balance: [payment(), dispute] })).map((d) => [d.kind, d.ledgerMinor, d.stripeMinor])).toEqual([["dispute", 1100, 2600]]);
  });

  it("compares a solo's payouts with Stripe's transfers, both ways", () => {
    const transfer = (id: string, payoutId: string, amountMinor: number): BalanceEntry => ({ ...payment(), id: `txn_${id}`, type: "transfer", sourceId: id, amountMinor: -amountMinor, feeMinor: 0, paymentIntentId: null, chatId: null, payoutId });
    const differences = reconcileDay(
      day({
        account: "solo",
        charges: [],
        balance: [transfer("tr_ok", "p1", 880), transfer("tr_short", "p2", 800), transfer("tr_unbooked", "p3", 500)],
        payouts: [
          { payoutId: "p1", transferId: "tr_ok", currency: "EUR", amountMinor: 880 },
          { payoutId: "p2", transferId: "tr_short", currency: "EUR", amountMinor: 880 },
          { payoutId: "p4", transferId: "tr_gone", currency: "EUR", amountMinor: 100 },
        ],
        stripeTransfers: new Map([
          ["tr_ok", { id: "tr_ok", currency: "EUR", amountMinor: 880 }],
          ["tr_short", { id: "tr_short", currency: "EUR", amountMinor: 800 }],
          ["tr_gone", null],
        ]),
      }),
    );
    expect(differences.map((d) => [d.kind, d.txnId, d.stripeObject, d.ledgerMinor, d.stripeMinor])).toEqual([
      ["amount", "p2:paid", "tr_short", 880, 800],
      ["missing_at_stripe", "p4:paid", "tr_gone", 100, null],
      ["missing_in_ledger", null, "tr_unbooked", null, 500],
    ]);
  });
});
