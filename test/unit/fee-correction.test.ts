import { describe, expect, it } from "vitest";
import { bookedFeesOf, feeCorrectionLines } from "../../worker/billing/fee-correction";
import { chargeLines } from "../../worker/billing/fees";

const sum = (lines: { amountMinor: number }[]) => lines.reduce((t, l) => t + l.amountMinor, 0);
const balance = (lines: { account: string; amountMinor: number }[], account: string) => lines.filter((l) => l.account === account).reduce((t, l) => t + l.amountMinor, 0);

describe("the correcting entry of a charge's fees", () => {
  it("moves a company's estimated 0.65 processing fee on 12.00 to Stripe's 0.43: the company's net grows by 0.22", () => {
    const estimate = chargeLines(1200, "EUR", "company", "service");
    const correction = feeCorrectionLines(bookedFeesOf(estimate), { stripeFeeMinor: 43, applicationFeeMinor: 120 }, "company");
    expect(correction).toEqual([
      { kind: "processing_fee", account: "merchant", amountMinor: 22 },
      { kind: "processing_fee", account: "processor", amountMinor: -22 },
    ]);
    const all = [...estimate, ...correction];
    expect(sum(all)).toBe(0);
    expect(balance(all, "merchant")).toBe(1200 - 120 - 43);
    expect(balance(all, "processor")).toBe(43);
  });

  it("charges the difference to Parley on a solo account, which bears the processing", () => {
    const estimate = chargeLines(1100, "EUR", "solo", "service");
    const correction = feeCorrectionLines(bookedFeesOf(estimate), { stripeFeeMinor: 70, applicationFeeMinor: 0 }, "solo");
    expect(correction).toEqual([
      { kind: "processing_fee", account: "platform", amountMinor: -8 },
      { kind: "processing_fee", account: "processor", amountMinor: 8 },
    ]);
    expect(balance([...estimate, ...correction], "merchant")).toBe(1100 - 220);
  });

  it("corrects Parley's fee to the application fee Stripe took for a company's charge", () => {
    const estimate = chargeLines(1100, "EUR", "company", "service");
    expect(feeCorrectionLines(bookedFeesOf(estimate), { stripeFeeMinor: 62, applicationFeeMinor: 100 }, "company")).toEqual([
      { kind: "platform_fee", account: "merchant", amountMinor: 10 },
      { kind: "platform_fee", account: "platform", amountMinor: -10 },
    ]);
  });

  it("adds nothing when the ledger already agrees, or while Stripe's fee is unknown", () => {
    const estimate = chargeLines(1100, "EUR", "company", "service");
    expect(feeCorrectionLines(bookedFeesOf(estimate), { stripeFeeMinor: 62, applicationFeeMinor: 110 }, "company")).toEqual([]);
    expect(feeCorrectionLines(bookedFeesOf(estimate), { stripeFeeMinor: null, applicationFeeMinor: null }, "company")).toEqual([]);
  });
});
