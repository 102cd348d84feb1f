import { describe, expect, it } from "vitest";
import { fieldErrors } from "../../worker/accounts/validation";
import { OWN_PRICING_NEEDS_THRESHOLD, agentProfileForm, ownPricingForm } from "../../worker/agents/profile";
import { currencyOf, pricingSchemeForm, schemeValuesFromForm, schemeValuesFromRow, type SchemeColumns } from "../../worker/billing/pricing-form";

// The pricing fields as a browser sends them: the DESIGN.md example, EUR 10 per 5 minutes.
const example: Record<string, string> = {
  pricingCurrency: "EUR",
  pricingFreeMinutes: "0",
  pricingBlockPrice: "10.00",
  pricingBlockMinutes: "5",
  pricingSplitThreshold: "",
};

const parse = (changes: Record<string, string | undefined> = {}) => {
  const input: Record<string, unknown> = { ...example, ...changes };
  return pricingSchemeForm(currencyOf(input)).safeParse(input);
};
const columns = (changes: Record<string, string | undefined> = {}) => {
  const result = parse(changes);
  if (!result.success) throw new Error(JSON.stringify(fieldErrors(result.error)));
  return result.data;
};
const errors = (changes: Record<string, string | undefined>) => {
  const result = parse(changes);
  if (result.success) throw new Error("expected the scheme to be refused");
  return fieldErrors(result.error);
};

describe("the pricing scheme form", () => {
  it("reads the DESIGN.md example into the pricing columns, money in minor units", () => {
    expect(columns()).toEqual({
      pricingCurrency: "EUR",
      pricingFreeMinutes: 0,
      pricingBlockPriceMinor: 1000,
      pricingBlockMinutes: 5,
      pricingSplitThresholdMinor: null,
    } satisfies SchemeColumns);
  });

  it("reads money in the currency chosen in the same form", () => {
    expect(columns({ pricingCurrency: "JPY", pricingBlockPrice: "3000", pricingSplitThreshold: "9000" })).toMatchObject({
      pricingBlockPriceMinor: 3000,
      pricingSplitThresholdMinor: 9000,
    });
    expect(errors({ pricingCurrency: "JPY", pricingBlockPrice: "3000.50" }).pricingBlockPrice).toBe("Amounts in JPY have no decimals: enter a whole number, for example 3000.");
    expect(columns({ pricingCurrency: "GBP", pricingBlockPrice: "7.5", pricingSplitThreshold: "20" })).toMatchObject({ pricingBlockPriceMinor: 750, pricingSplitThresholdMinor: 2000 });
  });

  it.each(["EUR", "USD", "GBP", "JPY", "CHF", "AUD", "CAD"])("offers %s", (pricingCurrency) => {
    expect(columns({ pricingCurrency, pricingBlockPrice: "100" }).pricingCurrency).toBe(pricingCurrency);
  });

  it.each(["XYZ", "eur", "", "SEK"])("refuses the currency %j, and leaves the money fields alone until one is chosen", (pricingCurrency) => {
    const e = errors({ pricingCurrency, pricingBlockPrice: "10.505" });
    expect(e.pricingCurrency).toBe("Choose one of EUR, USD, GBP, JPY, CHF, AUD, CAD.");
    expect(e.pricingBlockPrice).toBeUndefined();
  });

  describe("free minutes", () => {
    it.each([
      ["0", 0],
      [" 3 ", 3],
      ["600", 600],
    ])("reads %j as %i", (pricingFreeMinutes, expected) => {
      expect(columns({ pricingFreeMinutes }).pricingFreeMinutes).toBe(expected);
    });
    it.each(["601", "-1", "1.5", "", "two", "1e2"])("refuses %j", (pricingFreeMinutes) => {
      expect(errors({ pricingFreeMinutes }).pricingFreeMinutes).toBe("Enter a whole number of free minutes from 0 to 600.");
    });
  });

  describe("block length", () => {
    it("takes 1 to 600 minutes", () => {
      expect(columns({ pricingBlockMinutes: "1" }).pricingBlockMinutes).toBe(1);
      expect(columns({ pricingBlockMinutes: "600" }).pricingBlockMinutes).toBe(600);
    });
    it.each(["0", "601", "2.5", ""])("refuses %j", (pricingBlockMinutes) => {
      expect(errors({ pricingBlockMinutes }).pricingBlockMinutes).toBe("Enter a whole number of minutes from 1 to 600.");
    });
  });

  describe("price per block", () => {
    it("must be one Stripe can charge, since it is the smallest bill of a paid chat", () => {
      expect(columns({ pricingBlockPrice: "0.50" }).pricingBlockPriceMinor).toBe(50);
      expect(errors({ pricingBlockPrice: "0.49" }).pricingBlockPrice).toBe("Stripe cannot take less than EUR 0.50 in one payment; enter at least 0.50.");
      expect(columns({ pricingCurrency: "GBP", pricingBlockPrice: "0.30" }).pricingBlockPriceMinor).toBe(30);
      expect(errors({ pricingCurrency: "GBP", pricingBlockPrice: "0.29" }).pricingBlockPrice).toBe("Stripe cannot take less than GBP 0.30 in one payment; enter at least 0.30.");
      expect(errors({ pricingCurrency: "JPY", pricingBlockPrice: "49" }).pricingBlockPrice).toBe("Stripe cannot take less than JPY 50 in one payment; enter at least 50.");
    });
    it("is required, with the parser's messages", () => {
      expect(errors({ pricingBlockPrice: "" }).pricingBlockPrice).toBe("Enter an amount, for example 10.50.");
      expect(errors({ pricingBlockPrice: "-1" }).pricingBlockPrice).toBe("Enter the amount without a minus sign.");
      expect(errors({ pricingBlockPrice: undefined }).pricingBlockPrice).toBe("Enter an amount, for example 10.50.");
    });
  });

  describe("split threshold", () => {
    it("is optional: empty means one charge at the end", () => {
      expect(columns({ pricingSplitThreshold: "  " }).pricingSplitThresholdMinor).toBeNull();
    });
    it("is at least Stripe's minimum", () => {
      expect(errors({ pricingBlockPrice: "0.50", pricingSplitThreshold: "0.40" }).pricingSplitThreshold).toBe("Stripe cannot take less than EUR 0.50 in one payment; enter at least 0.50.");
    });
    it("covers the first block, because it is also the card hold", () => {
      expect(columns({ pricingSplitThreshold: "10" }).pricingSplitThresholdMinor).toBe(1000);
      expect(errors({ pricingSplitThreshold: "9.99" }).pricingSplitThreshold).toBe(
        "Set the split threshold to at least the price per block (EUR 10.00): the customer's card is held for this amount, and a smaller hold cannot pay for the first block.",
      );
    });
  });

  it("names every bad field at once", () => {
    const e = errors({ pricingFreeMinutes: "-1", pricingBlockPrice: "abc", pricingBlockMinutes: "0", pricingSplitThreshold: "1e3" });
    expect(Object.keys(e).sort()).toEqual(["pricingBlockMinutes", "pricingBlockPrice", "pricingFreeMinutes", "pricingSplitThreshold"]);
  });
});

describe("scheme form values", () => {
  it("show a stored scheme in major units, so saving it unchanged reads back the same columns", () => {
    const stored: SchemeColumns = { pricingCurrency: "USD", pricingFreeMinutes: 2, pricingBlockPriceMinor: 750, pricingBlockMinutes: 3, pricingSplitThresholdMinor: 5000 };
    const values = schemeValuesFromRow(stored);
    expect(values).toEqual({ pricingCurrency: "USD", pricingFreeMinutes: "2", pricingBlockPrice: "7.50", pricingBlockMinutes: "3", pricingSplitThreshold: "50.00" });
    expect(pricingSchemeForm("USD").parse(values)).toEqual(stored);
  });

  it("keep what was typed in a refused form", () => {
    const fallback = schemeValuesFromRow({ pricingCurrency: "EUR", pricingFreeMinutes: 0, pricingBlockPriceMinor: 1000, pricingBlockMinutes: 5, pricingSplitThresholdMinor: null });
    expect(schemeValuesFromForm({ pricingBlockPrice: "10.505", pricingCurrency: "JPY" }, fallback)).toEqual({ ...fallback, pricingBlockPrice: "10.505", pricingCurrency: "JPY" });
  });
});

describe("an agent's own pricing (the same scheme schema)", () => {
  const own = { ...example, ownPricingEnabled: "on", pricingSplitThreshold: "20.00" };

  it("reads the switch and the scheme into the agent_profiles columns", () => {
    expect(ownPricingForm("EUR").parse(own)).toEqual({
      ownPricingEnabled: true,
      pricingCurrency: "EUR",
      pricingFreeMinutes: 0,
      pricingBlockPriceMinor: 1000,
      pricingBlockMinutes: 5,
      pricingSplitThresholdMinor: 2000,
    });
  });

  it("needs a split threshold once switched on, since it is also the card hold", () => {
    const result = ownPricingForm("EUR").safeParse({ ...own, pricingSplitThreshold: "" });
    expect(result.success).toBe(false);
    expect(fieldErrors(result.error!).pricingSplitThreshold).toBe(OWN_PRICING_NEEDS_THRESHOLD);
    expect(ownPricingForm("EUR").parse({ ...own, ownPricingEnabled: undefined, pricingSplitThreshold: "" }).ownPricingEnabled).toBe(false);
  });

  it("is read only when a room offers it, and its errors join the profile's", async () => {
    const profile = { photo: "initials", photoUrl: "", greeting: "", ringtone: "classic", whatsappNumber: "", privateRoomId: "r1" };
    const parse = (input: Record<string, unknown>, offered: boolean) => agentProfileForm(offered, currencyOf(input), false).safeParseAsync(input);
    const refused = await parse({ ...profile, ...own, pricingBlockPrice: "abc" }, true);
    expect(refused.success ? [] : Object.keys(fieldErrors(refused.error)).sort()).toEqual(["greeting", "pricingBlockPrice"]);
    const ignored = await parse({ ...profile, greeting: "Hi", ...own, pricingBlockPrice: "abc" }, false);
    expect(ignored).toMatchObject({ success: true, data: { ownPricing: null } });
  });
});
