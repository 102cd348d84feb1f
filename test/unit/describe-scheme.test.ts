import { describe, expect, it } from "vitest";
import { describeScheme } from "../../worker/billing/describe";

describe("describeScheme", () => {
  it("puts the DESIGN.md example in words", () => {
    expect(describeScheme({ currency: "EUR", freeMinutes: 0, blockPriceMinor: 1000, blockMinutes: 5, splitThresholdMinor: null })).toEqual([
      "The chat costs EUR 10.00 for the first 5 minutes, even if shorter (the minimum charge).",
      "After that, about EUR 1.00 for every started 30 seconds (EUR 10.00 per 5 minutes).",
      "Time counts only while you and the agent are both connected.",
      "Your card is charged once, when the chat ends.",
    ]);
  });

  it("mentions free minutes, split bills and zero-decimal currencies", () => {
    const words = describeScheme({ currency: "JPY", freeMinutes: 1, blockPriceMinor: 3000, blockMinutes: 10, splitThresholdMinor: 6000 });
    expect(words[0]).toBe("The first minute is free.");
    expect(words[1]).toBe("Then JPY 3,000 for the next 10 minutes, even if shorter (the minimum charge).");
    expect(words[2]).toBe("After that, about JPY 150 for every started 30 seconds (JPY 3,000 per 10 minutes).");
    expect(describeScheme({ currency: "EUR", freeMinutes: 2, blockPriceMinor: 1000, blockMinutes: 5, splitThresholdMinor: null })[0]).toBe("The first 2 minutes are free.");
    expect(words[4]).toBe("Your card is charged in parts whenever JPY 6,000 has built up, and for the rest at the end.");
  });
});
