import { describe, expect, it } from "vitest";
import { BELOW_MINIMUM, hasMoney, standing, type ChargeFact } from "../../worker/billing/payment-state";

// Where a chat's money stands, from its price, its charge rows and its refunds (issue 17: a chat
// with money outstanding was listed as Paid).

const paid = (amountMinor: number): ChargeFact => ({ status: "succeeded", amountMinor, failureCode: null });
const failed = (amountMinor: number, failureCode = "insufficient_funds"): ChargeFact => ({ status: "failed", amountMinor, failureCode });
const uncollected = (amountMinor: number, failureCode: string): ChargeFact => ({ status: "abandoned", amountMinor, failureCode });

describe("a chat's payment state", () => {
  it("is disputed once a card holder's bank took a charge back, whatever else happened", () => {
    const disputed: ChargeFact = { status: "disputed", amountMinor: 1000, failureCode: null };
    expect(standing({ amountMinor: 1750, charges: [disputed, paid(750)], refundedMinor: 300 })).toMatchObject({ state: "disputed", paidMinor: 1750, outstandingMinor: 0 });
  });

  it("is paid when its charges cover what it costs", () => {
    expect(standing({ amountMinor: 1100, charges: [paid(1100)], refundedMinor: 0 })).toEqual({
      state: "paid",
      paidMinor: 1100,
      outstandingMinor: 0,
      abandonedMinor: 0,
      notChargedMinor: 0,
      refundedMinor: 0,
      failureCode: null,
    });
  });

  it("sums the split bills of a chat", () => {
    expect(standing({ amountMinor: 2750, charges: [paid(1000), paid(1000), paid(750)], refundedMinor: 0 })).toMatchObject({ state: "paid", paidMinor: 2750, outstandingMinor: 0 });
  });

  it("is part paid, with what is outstanding, while the rest is still being collected", () => {
    const pending: ChargeFact = { status: "pending", amountMinor: 750, failureCode: null };
    expect(standing({ amountMinor: 1750, charges: [paid(1000), pending], refundedMinor: 0 })).toMatchObject({ state: "part_paid", paidMinor: 1000, outstandingMinor: 750 });
  });

  it("needs payment when a charge failed and no card paid it since, whatever was paid before", () => {
    expect(standing({ amountMinor: 1750, charges: [paid(1000), failed(750)], refundedMinor: 0 })).toMatchObject({
      state: "payment_needed",
      paidMinor: 1000,
      outstandingMinor: 750,
      failureCode: "insufficient_funds",
    });
    expect(standing({ amountMinor: 1000, charges: [failed(1000, "card_not_usable")], refundedMinor: 0 })).toMatchObject({ state: "payment_needed", paidMinor: 0, outstandingMinor: 1000, failureCode: "card_not_usable" });
  });

  it("needs payment during the chat even before anything more is owed: the card for what follows failed", () => {
    const s = standing({ amountMinor: 1000, charges: [paid(1000), failed(5000)], refundedMinor: 0 });
    expect(s).toMatchObject({ state: "payment_needed", outstandingMinor: 0 });
    expect(hasMoney(s)).toBe(true);
  });

  it("is abandoned when the agent gave up the unpaid fee, which is then no longer outstanding", () => {
    expect(standing({ amountMinor: 1750, charges: [paid(1000), failed(750), uncollected(750, "insufficient_funds")], refundedMinor: 0 })).toMatchObject({
      state: "abandoned",
      paidMinor: 1000,
      abandonedMinor: 750,
      outstandingMinor: 0,
      failureCode: null,
    });
  });

  it("is paid when all that is left is below the card minimum, which is never asked for", () => {
    expect(standing({ amountMinor: 1030, charges: [paid(1000), uncollected(30, BELOW_MINIMUM)], refundedMinor: 0 })).toMatchObject({ state: "paid", outstandingMinor: 0, notChargedMinor: 30 });
  });

  it("is refunded when all that was paid went back, part refunded when some did", () => {
    expect(standing({ amountMinor: 1100, charges: [{ ...paid(1100), status: "refunded" }], refundedMinor: 1100 })).toMatchObject({ state: "refunded", paidMinor: 1100, refundedMinor: 1100 });
    expect(standing({ amountMinor: 1100, charges: [paid(1100)], refundedMinor: 300 })).toMatchObject({ state: "part_refunded", paidMinor: 1100, refundedMinor: 300 });
  });

  it("never owes less than nothing", () => {
    expect(standing({ amountMinor: 0, charges: [paid(500)], refundedMinor: 0 })).toMatchObject({ state: "paid", outstandingMinor: 0 });
  });

  it("leaves a chat that owes nothing and paid nothing off the Revenue page", () => {
    expect(hasMoney(standing({ amountMinor: 0, charges: [], refundedMinor: 0 }))).toBe(false);
    expect(hasMoney(standing({ amountMinor: 30, charges: [uncollected(30, BELOW_MINIMUM)], refundedMinor: 0 }))).toBe(false);
    expect(hasMoney(standing({ amountMinor: 750, charges: [uncollected(750, "abandoned")], refundedMinor: 0 }))).toBe(true);
  });
});
