import { describe, expect, it } from "vitest";
import { NEW_PROFILE, profileChanges } from "../../worker/agents/profile-changes";

describe("profileChanges", () => {
  it("is empty when nothing changed", () => {
    expect(profileChanges(NEW_PROFILE, { ...NEW_PROFILE })).toEqual([]);
  });

  it("shows old and new values of the greeting, ringtone and switches", () => {
    expect(profileChanges(NEW_PROFILE, { ...NEW_PROFILE, greeting: "Hi", ringtone: "none", emailAlert: false, whatsappEnabled: true })).toEqual([
      ["Greeting", "“Hello! How can I help you today?” → “Hi”"],
      ["Ringtone", "Classic → Silent (visual only)"],
      ["WhatsApp", "off → on"],
      ["Email alert", "on → off"],
    ]);
  });

  it("says only that a photo, a WhatsApp number or the private room was added, changed or removed", () => {
    const before = { ...NEW_PROFILE, photoUrl: "https://a.example/1.png", whatsappNumber: "447700900123", privateRoomId: "r1" };
    expect(profileChanges(before, { ...before, photoUrl: "https://a.example/2.png", whatsappNumber: null, privateRoomId: "r2" })).toEqual([
      ["Photo", "changed"],
      ["WhatsApp number", "removed"],
      ["Private room", "changed"],
    ]);
    expect(profileChanges(NEW_PROFILE, { ...NEW_PROFILE, photoUrl: "https://a.example/1.png" })).toEqual([["Photo", "added"]]);
  });

  it("shows own pricing switched on and its prices in their currency", () => {
    const after = { ...NEW_PROFILE, ownPricingEnabled: true, pricingFreeMinutes: 3, pricingBlockPriceMinor: 750, pricingSplitThresholdMinor: 5000 };
    expect(profileChanges(NEW_PROFILE, after)).toEqual([
      ["Own pricing", "off → on"],
      ["Free minutes", "0 min → 3 min"],
      ["Price per block", "EUR 10.00 → EUR 7.50"],
      ["Split threshold", "none → EUR 50.00"],
    ]);
  });

  it("shows the prices again when only the currency changed", () => {
    expect(profileChanges(NEW_PROFILE, { ...NEW_PROFILE, pricingCurrency: "USD" })).toEqual([["Price per block", "EUR 10.00 → USD 10.00"]]);
  });
});
