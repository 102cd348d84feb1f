import { describe, expect, it } from "vitest";
import type { PricingScheme } from "../../worker/billing/meter";
import { accruedMinor, chargeableSeconds, newTaximeter, pausedOffline, setBothOnline, setRunning, shownMinor } from "../../worker/billing/taximeter";

const eur10per5: PricingScheme = { currency: "EUR", freeMinutes: 0, blockPriceMinor: 1000, blockMinutes: 5, splitThresholdMinor: null };
const s = (seconds: number) => seconds * 1000;

describe("the taximeter", () => {
  it("counts from connect when it starts automatically", () => {
    const m = newTaximeter(eur10per5, { running: true, bothOnline: true }, 0);
    expect(chargeableSeconds(m, s(330))).toBe(330);
    expect(accruedMinor(m, s(330))).toBe(1100);
  });

  it("waits for the agent's Start when the room gives agents the button", () => {
    let m = newTaximeter(eur10per5, { running: false, bothOnline: true }, 0);
    expect(chargeableSeconds(m, s(60))).toBe(0);
    m = setRunning(m, true, s(60));
    expect(chargeableSeconds(m, s(90))).toBe(30);
  });

  it("shows the first block's price from the moment it counts, and nothing while it does not", () => {
    let m = newTaximeter(eur10per5, { running: false, bothOnline: true }, 0);
    expect(shownMinor(m, s(60))).toBe(0);
    m = setRunning(m, true, s(60));
    expect(accruedMinor(m, s(60))).toBe(0);
    expect(shownMinor(m, s(60))).toBe(1000);
    m = setBothOnline(m, false, s(60));
    expect(shownMinor(m, s(90))).toBe(0);
    expect(pausedOffline(m)).toBe(true);
  });

  it("stops counting while paused and while either party is offline, and resumes after", () => {
    let m = newTaximeter(eur10per5, { running: true, bothOnline: true }, 0);
    m = setRunning(m, false, s(100)); // paused 100 → 200
    m = setRunning(m, true, s(200));
    m = setBothOnline(m, false, s(250)); // offline 250 → 300
    m = setBothOnline(m, true, s(300));
    expect(chargeableSeconds(m, s(400))).toBe(100 + 50 + 100);
  });

  it("does not double count when the same change is reported twice", () => {
    let m = newTaximeter(eur10per5, { running: true, bothOnline: true }, 0);
    m = setBothOnline(m, false, s(10));
    m = setBothOnline(m, false, s(20));
    m = setBothOnline(m, true, s(30));
    m = setBothOnline(m, true, s(40));
    expect(chargeableSeconds(m, s(50))).toBe(10 + 20);
  });
});
