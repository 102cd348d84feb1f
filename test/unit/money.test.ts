import { describe, expect, it } from "vitest";
import { MAX_AMOUNT_MINOR, moneyInput, parseMoney } from "../../worker/billing/money";

const minor = (text: string, currency = "EUR") => {
  const parsed = parseMoney(text, currency);
  if (!parsed.ok) throw new Error(`expected ${JSON.stringify(text)} to be read, got: ${parsed.message}`);
  return parsed.minor;
};
const message = (text: string, currency = "EUR") => {
  const parsed = parseMoney(text, currency);
  if (parsed.ok) throw new Error(`expected ${JSON.stringify(text)} to be refused, got ${parsed.minor}`);
  return parsed.message;
};

describe("parseMoney: an amount as a person types it, to minor units", () => {
  it.each([
    ["10", 1000],
    ["10.5", 1050],
    ["10.50", 1050],
    ["10.", 1000],
    [".5", 50],
    ["0.50", 50],
    ["  7.25 ", 725],
    ["010.00", 1000],
    ["10.500", 1050],
    ["0", 0],
    ["999999.99", 99_999_999],
  ])("reads EUR %j as %i cents", (text, expected) => {
    expect(minor(text)).toBe(expected);
  });

  it("reads a currency without decimals in whole units", () => {
    expect(minor("3000", "JPY")).toBe(3000);
    expect(minor("3000.00", "JPY")).toBe(3000);
    expect(minor("50", "jpy")).toBe(50);
  });

  it("is exact where floating point is not: 0.29, 1.15, 4.35 and 1005.99 of a currency", () => {
    // parseFloat("4.35") * 100 is 434.99999999999994; the parser must never go through it.
    expect(minor("0.29")).toBe(29);
    expect(minor("1.15")).toBe(115);
    expect(minor("4.35")).toBe(435);
    expect(minor("1005.99", "USD")).toBe(100599);
  });

  it.each([
    ["10.505", "Amounts in EUR have at most 2 decimals, for example 10.50."],
    ["-1", "Enter the amount without a minus sign."],
    ["1e3", "Enter the amount in digits, with a dot before the cents, for example 10.50."],
    ["abc", "Enter the amount in digits, with a dot before the cents, for example 10.50."],
    ["€10", "Enter the amount in digits, with a dot before the cents, for example 10.50."],
    ["+5", "Enter the amount in digits, with a dot before the cents, for example 10.50."],
    ["", "Enter an amount, for example 10.50."],
    ["   ", "Enter an amount, for example 10.50."],
    [".", "Enter the amount in digits, with a dot before the cents, for example 10.50."],
    ["10,50", "Use a dot for decimals and no thousands separators, for example 1250.50."],
    ["1,250.00", "Use a dot for decimals and no thousands separators, for example 1250.50."],
    ["1.2.3", "Use a dot for decimals and no thousands separators, for example 1250.50."],
    ["1000000", "Enter at most EUR 999,999.99."],
    ["1000000000000000000000", "Enter at most EUR 999,999.99."],
  ])("refuses EUR %j, saying %j", (text, expected) => {
    expect(message(text)).toBe(expected);
  });

  it("explains that a currency without decimals takes whole numbers", () => {
    expect(message("3000.5", "JPY")).toBe("Amounts in JPY have no decimals: enter a whole number, for example 3000.");
    expect(message("", "JPY")).toBe("Enter an amount, for example 3000.");
    expect(message("3,000", "JPY")).toBe("Use a dot for decimals and no thousands separators, for example 3000.");
    expect(message("100000000", "JPY")).toBe("Enter at most JPY 99,999,999.");
  });

  it("accepts the largest amount Stripe charges and nothing above it", () => {
    expect(minor(String(MAX_AMOUNT_MINOR), "JPY")).toBe(MAX_AMOUNT_MINOR);
    expect(parseMoney(String(MAX_AMOUNT_MINOR + 1), "JPY").ok).toBe(false);
  });
});

describe("moneyInput: a stored amount as the form shows it", () => {
  it.each([
    [1050, "EUR", "10.50"],
    [5, "USD", "0.05"],
    [0, "GBP", "0.00"],
    [100599, "CHF", "1005.99"],
    [3000, "JPY", "3000"],
  ])("shows %i %s as %j", (amount, currency, expected) => {
    expect(moneyInput(amount, currency)).toBe(expected);
  });

  it("round-trips through the parser", () => {
    for (const [amount, currency] of [
      [1, "EUR"],
      [99, "AUD"],
      [123456, "CAD"],
      [MAX_AMOUNT_MINOR, "USD"],
      [7, "JPY"],
    ] as const) {
      expect(minor(moneyInput(amount, currency), currency)).toBe(amount);
    }
  });
});
