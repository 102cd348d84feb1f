import { describe, expect, it } from "vitest";
import { meterAmount, type PricingScheme } from "../../worker/billing/meter";

const eur10per5: PricingScheme = { currency: "EUR", freeMinutes: 0, blockPriceMinor: 1000, blockMinutes: 5, splitThresholdMinor: null };

describe("meterAmount", () => {
  it.each([
    [20, 1000],
    [300, 1000],
    [301, 1100],
    [330, 1100],
    [331, 1200],
    [360, 1200],
  ])("charges EUR 10 per 5 minutes: %i s cost %i cents (DESIGN.md example)", (seconds, amount) => {
    expect(meterAmount(eur10per5, seconds)).toBe(amount);
  });

  it("charges nothing for no time at all", () => {
    expect(meterAmount(eur10per5, 0)).toBe(0);
  });

  it("charges nothing within the free minutes and the minimum one second after them", () => {
    const withFree = { ...eur10per5, freeMinutes: 2 };
    expect(meterAmount(withFree, 120)).toBe(0);
    expect(meterAmount(withFree, 121)).toBe(1000);
    expect(meterAmount(withFree, 120 + 300)).toBe(1000);
    expect(meterAmount(withFree, 120 + 301)).toBe(1100);
  });

  it("rounds a step's pro-rata price half up", () => {
    // 7 per 2 minutes: a 30-second step is 1.75 → 2.
    const odd = { ...eur10per5, blockPriceMinor: 7, blockMinutes: 2 };
    expect(meterAmount(odd, 121)).toBe(9);
    // 10 per 3 minutes: one step is 1.666… → 2, two steps 3.333… → 3.
    const third = { ...eur10per5, blockPriceMinor: 10, blockMinutes: 3 };
    expect(meterAmount(third, 181)).toBe(12);
    expect(meterAmount(third, 211)).toBe(13);
  });

  it("works in a zero-decimal currency (JPY)", () => {
    const yen = { currency: "JPY", freeMinutes: 0, blockPriceMinor: 3000, blockMinutes: 10, splitThresholdMinor: null };
    expect(meterAmount(yen, 600)).toBe(3000);
    expect(meterAmount(yen, 601)).toBe(3150);
    expect(meterAmount(yen, 3600)).toBe(18000);
  });

  // DESIGN.md's formula in BigInt, where no product can lose a unit.
  const exactAmount = (P: number, N: number, s: number) => {
    const steps = (BigInt(Math.max(0, s - 60 * N)) + 29n) / 30n;
    const numerator = BigInt(P) * steps * 30n;
    const denominator = BigInt(60 * N);
    return Number(BigInt(P) + (2n * numerator + denominator) / (2n * denominator));
  };

  it.each([
    [62_967_377, 11, 303_065_766],
    [99_999_999, 1, 999_999_999],
    [99_999_999, 7, 999_999_999],
    [12_345_679, 599, 999_999_971],
  ])("stays exact to the unit at %i minor units per %i minutes for %i seconds (the largest price and quote)", (P, N, s) => {
    expect(meterAmount({ ...eur10per5, blockPriceMinor: P, blockMinutes: N }, s)).toBe(exactAmount(P, N, s));
  });
});
