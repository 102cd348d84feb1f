import { describe, expect, it } from "vitest";
import { chargeLines, disputeLines, payoutDue, platformFeeMinor, processingFeeEstimateMinor, refundLines, soloPayoutMinor } from "../../worker/billing/fees";

const sum = (lines: { amountMinor: number }[]) => lines.reduce((t, l) => t + l.amountMinor, 0);
const balance = (lines: { account: string; amountMinor: number }[], account: string) =>
  lines.filter((l) => l.account === account).reduce((t, l) => t + l.amountMinor, 0);

describe("Parley's fees", () => {
  it("takes 10 % of a company's services, 4 % of its goods, and 20 % from a solo agent", () => {
    expect(platformFeeMinor(1100, "company", "service")).toBe(110);
    expect(platformFeeMinor(2500, "company", "goods")).toBe(100);
    expect(platformFeeMinor(1100, "solo", "service")).toBe(220);
    expect(soloPayoutMinor(1100)).toBe(880);
  });

  it("rounds a fee of half a cent up", () => {
    expect(platformFeeMinor(1005, "company", "service")).toBe(101); // 100.5
    expect(platformFeeMinor(1004, "company", "service")).toBe(100); // 100.4
  });

  it("estimates Stripe's processing fee as 2.9 % + 30", () => {
    expect(processingFeeEstimateMinor(1000, "EUR")).toBe(59);
    expect(processingFeeEstimateMinor(3150, "JPY")).toBe(131);
  });
});

describe("the revenue ledger lines of a charge", () => {
  it("always sum to zero", () => {
    for (const amount of [50, 999, 1100, 123457]) {
      for (const account of ["solo", "company"] as const) {
        for (const kind of ["service", "goods"] as const) expect(sum(chargeLines(amount, "EUR", account, kind))).toBe(0);
      }
    }
    expect(sum(refundLines(500))).toBe(0);
  });

  it("leave a company its amount less Parley's fee and Stripe's fee", () => {
    const lines = chargeLines(1100, "EUR", "company", "service");
    expect(balance(lines, "customer")).toBe(-1100);
    expect(balance(lines, "merchant")).toBe(1100 - 110 - 62);
    expect(balance(lines, "platform")).toBe(110);
    expect(balance(lines, "processor")).toBe(62);
  });

  it("leave a solo agent 80 %, with Parley paying the processing out of its 20 %", () => {
    const lines = chargeLines(1100, "EUR", "solo", "service");
    expect(balance(lines, "merchant")).toBe(880);
    expect(balance(lines, "platform")).toBe(220 - 62);
  });
});

describe("disputeLines", () => {
  it("take the disputed amount from the merchant and the fee from whoever bears processing, and sum to zero", () => {
    const company = disputeLines(1100, 1500, "company");
    expect(balance(company, "merchant")).toBe(-1100 - 1500);
    expect(balance(company, "customer")).toBe(1100);
    expect(balance(company, "processor")).toBe(1500);
    expect(company.reduce((t, l) => t + l.amountMinor, 0)).toBe(0);
    const solo = disputeLines(1100, 1500, "solo");
    expect(balance(solo, "merchant")).toBe(-1100);
    expect(balance(solo, "platform")).toBe(-1500);
  });
});

describe("payoutDue", () => {
  it("is five business days later, skipping the weekend", () => {
    const friday = Date.UTC(2026, 10, 20, 15, 0); // Fri 20 Nov 2026
    expect(new Date(payoutDue(friday)).toISOString().slice(0, 10)).toBe("2026-11-27");
    const monday = Date.UTC(2026, 10, 23, 9, 0);
    expect(new Date(payoutDue(monday)).toISOString().slice(0, 10)).toBe("2026-11-30");
  });
});
