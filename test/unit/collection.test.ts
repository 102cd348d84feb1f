import { describe, expect, it } from "vitest";
import { dueMinor, nextStep, type Hold, type Situation } from "../../worker/billing/collection";

// EUR 10 per 5 minutes, split at EUR 10, holds of EUR 10, Stripe's EUR minimum of 0.50.
const held = (n: number, amountMinor = 1000): Hold => ({ n, paymentIntentId: `pi_${n}`, amountMinor, authorised: true, attempts: 0 });
const situation = (s: Partial<Situation>): Situation => ({
  moment: "tick",
  unpaidMinor: 0,
  thresholdMinor: 1000,
  minimumMinor: 50,
  hold: held(0),
  nextHoldN: 1,
  holdMinor: 1000,
  abandon: false,
  ...s,
});

describe("what is due", () => {
  it("splits the bill once the unpaid amount reaches the threshold, and not before", () => {
    expect(dueMinor(situation({ unpaidMinor: 900 }))).toBe(0);
    expect(dueMinor(situation({ unpaidMinor: 1000 }))).toBe(1000);
    expect(dueMinor(situation({ unpaidMinor: 1100 }))).toBe(1100);
  });

  it("charges only at the end when the scheme has no threshold", () => {
    expect(dueMinor(situation({ unpaidMinor: 5000, thresholdMinor: null }))).toBe(0);
    expect(dueMinor(situation({ unpaidMinor: 5000, thresholdMinor: null, moment: "end" }))).toBe(5000);
  });

  it("carries an amount below Stripe's minimum instead of charging it, even past the threshold", () => {
    expect(dueMinor(situation({ unpaidMinor: 40, thresholdMinor: 10 }))).toBe(0);
    expect(dueMinor(situation({ unpaidMinor: 40, moment: "end" }))).toBe(0);
    expect(dueMinor(situation({ unpaidMinor: 56, thresholdMinor: 10 }))).toBe(56);
  });

  it("uses each currency's own minimum (JPY 50 yen, GBP 30 pence)", () => {
    expect(dueMinor(situation({ unpaidMinor: 49, minimumMinor: 50, moment: "end" }))).toBe(0);
    expect(dueMinor(situation({ unpaidMinor: 30, minimumMinor: 30, moment: "end" }))).toBe(30);
  });
});

describe("the next step of a chat's charges", () => {
  it("waits while nothing is due", () => {
    expect(nextStep(situation({ unpaidMinor: 900 }))).toEqual({ kind: "wait" });
  });

  it("captures what is due from the current hold, at most what it holds", () => {
    expect(nextStep(situation({ unpaidMinor: 1000 }))).toEqual({ kind: "capture", n: 0, paymentIntentId: "pi_0", amountMinor: 1000 });
    expect(nextStep(situation({ unpaidMinor: 1300 }))).toEqual({ kind: "capture", n: 0, paymentIntentId: "pi_0", amountMinor: 1000 });
  });

  it("places the next hold off-session once the last one is spent: the agreed amount during the chat, the rest owed at the end", () => {
    expect(nextStep(situation({ hold: null, nextHoldN: 3, unpaidMinor: 300 }))).toEqual({ kind: "hold", n: 3, amountMinor: 1000 });
    expect(nextStep(situation({ hold: null, nextHoldN: 3, unpaidMinor: 300, moment: "end" }))).toEqual({ kind: "hold", n: 3, amountMinor: 300 });
  });

  it("waits for the customer's card while a hold is not authorised, during the chat and at the end", () => {
    const declined = { ...held(2), authorised: false };
    expect(nextStep(situation({ hold: declined, unpaidMinor: 2000 }))).toEqual({ kind: "wait" });
    expect(nextStep(situation({ hold: declined, unpaidMinor: 2000, moment: "end" }))).toEqual({ kind: "wait" });
  });

  it("at the end releases a hold that is not needed, then is done with nothing uncollected", () => {
    expect(nextStep(situation({ moment: "end", unpaidMinor: 0 }))).toEqual({ kind: "release", n: 0, paymentIntentId: "pi_0" });
    expect(nextStep(situation({ moment: "end", unpaidMinor: 0, hold: null }))).toEqual({ kind: "done", uncollectedMinor: 0 });
  });

  it("at the end records a remainder below the minimum as uncollected, after releasing the hold", () => {
    expect(nextStep(situation({ moment: "end", unpaidMinor: 30 }))).toEqual({ kind: "release", n: 0, paymentIntentId: "pi_0" });
    expect(nextStep(situation({ moment: "end", unpaidMinor: 30, hold: null }))).toEqual({ kind: "done", uncollectedMinor: 30 });
  });

  it("when the agent hangs up anyway, cancels the failed hold and leaves the whole unpaid fee uncollected", () => {
    const declined = { ...held(2), authorised: false };
    expect(nextStep(situation({ abandon: true, moment: "end", hold: declined, unpaidMinor: 1500 }))).toEqual({ kind: "release", n: 2, paymentIntentId: "pi_2" });
    expect(nextStep(situation({ abandon: true, moment: "end", hold: null, unpaidMinor: 1500 }))).toEqual({ kind: "done", uncollectedMinor: 1500 });
  });

  it("runs a chat through three thresholds: capture, next hold, … , the last part at the end", () => {
    // 1000 at once (the first block), then 100 per started 30 s; split at 1000.
    const steps: string[] = [];
    let hold: Hold | null = held(0);
    let nextHoldN = 1;
    let paid = 0;
    for (const [moment, owed] of [["tick", 1000], ["tick", 1500], ["tick", 2000], ["tick", 3000], ["end", 3100]] as const) {
      for (;;) {
        const next = nextStep(situation({ moment, unpaidMinor: owed - paid, hold, nextHoldN }));
        if (next.kind === "wait" || next.kind === "done") break;
        steps.push(`${next.kind} ${next.n}${next.kind === "release" ? "" : ` ${next.amountMinor}`}`);
        if (next.kind === "capture") [paid, hold] = [paid + next.amountMinor, null];
        if (next.kind === "hold") [hold, nextHoldN] = [held(next.n, next.amountMinor), next.n + 1];
        if (next.kind === "release") hold = null;
      }
    }
    expect(steps).toEqual(["capture 0 1000", "hold 1 1000", "capture 1 1000", "hold 2 1000", "capture 2 1000", "hold 3 1000", "capture 3 100"]);
    expect(paid).toBe(3100);
  });
});
